"""The 责任书 tab's dialogs: signing and filing, the scans of a signed paper, the coverage by type, village and
group with who is missing, and the template editor with a live preview of the printed page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DomainError
from desktop.models.agreement_texts import PLACEHOLDERS, TARGETS
from desktop.models.enums import AgreementType
from desktop.services import agreement_register, agreements
from desktop.views.errors import show_error
from desktop.views.forms import Form, close_buttons, date_from_field
from desktop.views.tables import ListTableModel, read_only_table


class SignForm(Form):
    def __init__(
        self, database, agreement_id: int, number: str, parent=None, today: dt.date | None = None
    ) -> None:
        super().__init__(self.tr("登记签订 — {0}").format(number), self.tr("登记"), parent)
        self.database, self.agreement_id, self.today = database, agreement_id, today
        self.on = QLineEdit((today or dt.date.today()).isoformat())
        self.by = QLineEdit()
        self.by.setPlaceholderText(self.tr("乙方签字人"))
        self.witness = QLineEdit()
        self.witness.setPlaceholderText(self.tr("见证人（可不填）"))
        self.form.addRow(self.tr("签订日期："), self.on)
        self.form.addRow(self.tr("签订人："), self.by)
        self.form.addRow(self.tr("见证人："), self.witness)
        self.first_field = self.by

    def _on_submit(self) -> None:
        def save() -> None:
            agreements.sign(self.database, self.agreement_id, on=date_from_field(self.on, "signed_on"),
                            by=self.by.text(), witness=self.witness.text(), today=self.today)  # fmt: skip

        if self.run(save):
            self.accept()


class FileForm(Form):
    def __init__(
        self, database, agreement_id: int, number: str, parent=None, today: dt.date | None = None
    ) -> None:
        super().__init__(self.tr("归档 — {0}").format(number), self.tr("归档"), parent)
        self.database, self.agreement_id, self.today = database, agreement_id, today
        self.on = QLineEdit((today or dt.date.today()).isoformat())
        self.where = QLineEdit()
        self.where.setPlaceholderText(self.tr("例如：禁毒办档案柜2层第3盒"))
        self.form.addRow(self.tr("归档日期："), self.on)
        self.form.addRow(self.tr("归档位置："), self.where)
        self.first_field = self.where

    def _on_submit(self) -> None:
        def save() -> None:
            agreements.file(self.database, self.agreement_id, on=date_from_field(self.on, "filed_on"),
                            where=self.where.text(), today=self.today)  # fmt: skip

        if self.run(save):
            self.accept()


class ScansDialog(QDialog):
    """The scans of one agreement: add one (stored encrypted in the database), or open one to look at it."""

    def __init__(self, database, agreement_id: int, number: str, parent=None, *, data_dir: Path) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("扫描件 — {0}").format(number))
        self.database, self.agreement_id, self.data_dir = database, agreement_id, data_dir
        self.items = QListWidget()
        add, view = QPushButton(self.tr("添加扫描件或照片(&A)…")), QPushButton(self.tr("查看(&O)"))
        add.clicked.connect(self.add)
        view.clicked.connect(self.view)
        self.items.itemDoubleClicked.connect(lambda _i: self.view())
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(view)
        row.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.items, 1)
        layout.addLayout(row)
        layout.addWidget(close_buttons(self))
        self.resize(520, 320)
        self.reload()

    def reload(self) -> None:
        self.items.clear()
        self.found = agreements.scans(self.database, self.agreement_id)
        self.items.addItems([f"{name}（{size // 1024} KB）" for _, name, size in self.found])

    def add(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择扫描件或照片"), "", self.tr("图片或PDF (*.jpg *.jpeg *.png *.pdf)")
        )
        if not name:
            return
        try:
            agreements.attach(self.database, self.agreement_id, Path(name))
        except DomainError as exc:
            show_error(self, exc)
            return
        self.reload()

    def view(self) -> None:
        from desktop.views.printouts import write_print

        row = self.items.currentRow()
        if row < 0:
            return
        try:
            name, data = agreements.scan_bytes(self.database, self.found[row][0])
        except DomainError as exc:
            show_error(self, exc)
            return
        write_print(
            self, self.data_dir, name, data
        )  # opened like a printout, removed when the program closes


class CoverageModel(ListTableModel):
    HEADERS = ("类别", "村（社区）", "小组", "已签订", "应签订", "签订率", "未签订")

    def cells(self, c) -> tuple:
        missing = "、".join(c.missing[:8]) + (f"……共{len(c.missing)}" if len(c.missing) > 8 else "")
        return (c.type, c.village or self.tr("（全乡镇）"), c.group, c.rate.numerator, c.rate.denominator,
                c.rate.text(), missing)  # fmt: skip

    def tooltip(self, c, column: int):
        return "、".join(c.missing) if column == 6 and c.missing else None

    def data(self, index, role=Qt.DisplayRole):
        if index.isValid():
            c = self.rows[index.row()]
            if role == Qt.ForegroundRole and c.missing:
                from PySide6.QtGui import QColor

                return QColor("#a61b1b")
            if role == Qt.FontRole and not c.village:  # a type's total for the township
                from PySide6.QtGui import QFont

                font = QFont()
                font.setBold(True)
                return font
        return super().data(index, role)


class CoverageDialog(QDialog):
    """签订情况: each type's coverage for the township, by village and (household pledges) by group, with who
    has not signed; the figure the county assesses (target 100%)."""

    def __init__(self, database, year: int, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("{0}年责任书签订情况").format(year))
        self.model = CoverageModel(self)
        self.model.set_rows(agreement_register.coverage(database, year))
        view = read_only_table(self.model)
        view.resizeColumnsToContents()
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("签订率 = 已签订（含已归档）÷ 现在应签订的村、组、户和场所；目标100%。"))
        )
        layout.addWidget(view, 1)
        layout.addWidget(close_buttons(self))
        self.resize(1100, 600)


class TemplateDialog(QDialog):
    """模板: each type's title and clauses as plain text, the placeholders listed, a live preview of the printed
    page; saving makes a new version (agreements already made keep theirs)."""

    def __init__(self, database, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("责任书模板"))
        self.database = database
        self.kind = QComboBox()
        self.kind.addItems([k.value for k in AgreementType])
        self.version = QLabel()
        self.title_field = QLineEdit()
        self.body = QPlainTextEdit()
        self.copies = QSpinBox()
        self.copies.setRange(1, 10)
        self.copies.setPrefix(self.tr("一式 "))
        self.copies.setSuffix(self.tr(" 份"))
        self.message = QLabel()
        self.message.setStyleSheet("color: #a61b1b;")
        self.message.setWordWrap(True)
        self.preview = QLabel(alignment=Qt.AlignHCenter | Qt.AlignTop)
        scroll = self.scroll = QScrollArea()
        scroll.setWidget(self.preview)
        scroll.setWidgetResizable(True)
        save = QPushButton(self.tr("保存为新版本(&S)"))
        save.clicked.connect(self.save)
        left = QWidget()
        column = QVBoxLayout(left)
        top = QHBoxLayout()
        top.addWidget(self.kind, 1)
        top.addWidget(self.version)
        column.addLayout(top)
        column.addWidget(QLabel(self.tr("标题：")))
        column.addWidget(self.title_field)
        column.addWidget(
            QLabel(
                self.tr("正文（每段一条；可用的占位符：{0}）：").format(
                    "、".join("{" + p + "}" for p in PLACEHOLDERS)
                )
            )
        )
        column.addWidget(self.body, 1)
        column.addWidget(self.copies)
        column.addWidget(self.message)
        column.addWidget(save)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        splitter.setSizes([640, 480])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(close_buttons(self))
        self.timer = QTimer(self, singleShot=True, interval=400)
        self.timer.timeout.connect(self.render)
        for signal in (self.title_field.textChanged, self.body.textChanged, self.copies.valueChanged):
            signal.connect(lambda *_: self.timer.start())
        self.kind.currentIndexChanged.connect(lambda _i: self.load())
        self.resize(1200, 700)
        self.load()

    def showEvent(self, event) -> None:  # the preview fits the pane once the pane has its size
        super().showEvent(event)
        self.timer.start(0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.timer.start()

    def load(self) -> None:
        t = agreements.templates(self.database)[self.kind.currentText()]
        self.version.setText(
            self.tr("当前版本：第{0}版（{1}）").format(t.version, t.created_at.date().isoformat())
        )
        self.title_field.setText(t.title)
        self.body.setPlainText(t.body)
        self.copies.setValue(t.copies)
        self.render()

    def sample(self):
        from desktop.pdf.agreement_docs import AgreementPaper

        values = {"甲方": "某某镇人民政府", "乙方": "某某村村民委员会", "年度": str(dt.date.today().year), "县": "某某县",
                  "乡镇": "某某镇", "村": "某某村", "组": "一组", "户主": "张某某", "户号": "000001",
                  "场所": "某某KTV", "场所类别": "KTV", "份数": str(self.copies.value())} | TARGETS  # fmt: skip
        body = agreements.render(self.body.toPlainText(), values)
        return AgreementPaper("2026-责-0000", "A2026-0000", agreements.render(self.title_field.text(), values),
                              values["甲方"], values["乙方"], tuple(x for x in body.splitlines() if x.strip()))  # fmt: skip

    def render(self) -> None:
        """The first page as it will print, from the same PDF builder (pdfium draws it), or the text alone."""
        from desktop.pdf.agreement_docs import build_agreements

        unknown = agreements.unknown_placeholders(self.title_field.text() + self.body.toPlainText())
        self.message.setText(self.tr("不认识的占位符：{0}").format("、".join(unknown)) if unknown else "")
        try:
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(build_agreements([self.sample()]))
            image = pdf[0].render(scale=1.6).to_pil().convert("RGB")
            data = image.tobytes()
            qimage = QImage(data, image.width, image.height, 3 * image.width, QImage.Format_RGB888)
            width = max(300, self.scroll.viewport().width() - 8)  # the whole page's width in view
            self.preview.setPixmap(
                QPixmap.fromImage(qimage.copy()).scaledToWidth(width, Qt.SmoothTransformation)
            )
        except Exception:  # noqa: BLE001 - the preview is a help, never a reason to fail (no pdfium, a bad page)
            import logging

            logging.getLogger(__name__).warning("template preview not drawn", exc_info=True)
            paper = self.sample()
            self.preview.setText("\n".join((paper.title, *paper.clauses)))

    def save(self) -> None:
        try:
            agreements.save_template(self.database, self.kind.currentText(), title=self.title_field.text(),
                                     body=self.body.toPlainText(), copies=self.copies.value())  # fmt: skip
        except DomainError as exc:
            from desktop import messages

            self.message.setText(messages.describe(exc))
            return
        self.load()
        self.message.setText(self.tr("已保存。此后生成的责任书用新版本；已生成的保持原文。"))


class UnitsModel(ListTableModel):
    HEADERS = ("村（社区）", "单位名称", "类别", "负责人", "电话", "状态")

    def cells(self, u) -> tuple:
        return (
            u.village,
            u.name,
            u.kind,
            u.contact,
            u.phone,
            self.tr("在册") if u.active else self.tr("已停用"),
        )


class UnitsDialog(QDialog):
    """辖区单位: the schools, companies, offices and clinics of each village's area, which sign a
    辖区单位禁毒责任书 with it; add one, or set one that closed inactive (its signed agreements stay)."""

    def __init__(self, database, parent=None) -> None:
        from desktop.models.enums import UnitKind
        from desktop.services import residents

        super().__init__(parent)
        self.setWindowTitle(self.tr("辖区单位"))
        self.database = database
        self.model = UnitsModel(self)
        self.view = read_only_table(self.model)
        self.village = QComboBox()
        for vid, name in residents.villages(database):
            self.village.addItem(name, vid)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("单位名称，如 东山小学"))
        self.kind = QComboBox()
        self.kind.addItems([k.value for k in UnitKind])
        self.contact = QLineEdit()
        self.contact.setPlaceholderText(self.tr("负责人"))
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(self.tr("电话"))
        self.message = QLabel()
        self.message.setStyleSheet("color: #a61b1b;")
        add, toggle = QPushButton(self.tr("添加(&A)")), QPushButton(self.tr("停用/恢复所选(&D)"))
        add.clicked.connect(self.add)
        toggle.clicked.connect(self.toggle)
        form = QHBoxLayout()
        for widget in (self.village, self.name, self.kind, self.contact, self.phone, add):
            form.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(toggle)
        layout.addWidget(close_buttons(self))
        self.resize(900, 520)
        self.reload()

    def reload(self) -> None:
        from desktop.services import units_register

        self.model.set_rows(units_register.units(self.database))
        self.view.resizeColumnsToContents()

    def add(self) -> None:
        from desktop import messages
        from desktop.services import units_register

        try:
            units_register.add_unit(self.database, self.village.currentData(), name=self.name.text(),
                                    kind=self.kind.currentText(), contact=self.contact.text(), phone=self.phone.text())  # fmt: skip
        except DomainError as exc:
            self.message.setText(messages.describe(exc))
            return
        self.message.setText("")
        for field in (self.name, self.contact, self.phone):
            field.clear()
        self.reload()

    def toggle(self) -> None:
        from desktop.services import units_register

        index = self.view.currentIndex()
        if not index.isValid():
            return
        unit = self.model.rows[index.row()]
        try:
            units_register.set_active(self.database, unit.id, not unit.active)
        except DomainError as exc:
            show_error(self, exc)
            return
        self.reload()
