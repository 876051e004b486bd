"""The 考核 tab's record pages: one page per register of services/assessment_records.KINDS (a list newest
first for the chosen year, 新增 and 更正 through one form built from the register's columns), and the 脱毒认定
page, whose form picks the key person."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import Problem, ValidationFailed
from desktop.services.auth import Permission
from desktop.views.errors import show_error
from desktop.views.forms import Form, close_buttons, date_from_field
from desktop.views.tables import ListTableModel, read_only_table

TOWNSHIP_WIDE = "全乡镇"


class RecordModel(ListTableModel):
    def __init__(self, headers: tuple[str, ...], photos: bool, parent=None) -> None:
        super().__init__(parent, headers=headers + (("照片",) if photos else ()))
        self.photos = photos

    def cells(self, r) -> tuple:
        return r.shown + ((f"{r.photos}张" if r.photos else "",) if self.photos else ())


class RecordsPage(QWidget):
    """One register: the year's records, newest first, and the buttons to add and correct."""

    def __init__(self, window, kind) -> None:
        super().__init__()
        self.window_, self.kind = window, kind
        self.title = self.tr(kind.title)
        self.setObjectName(f"records-{kind.key}")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.year.setSuffix(self.tr("年"))
        self.count = QLabel()
        self.add_button = QPushButton(self.tr("新增(&N)…"))
        self.correct_button = QPushButton(self.tr("更正(&E)…"))
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("年度：")))
        bar.addWidget(self.year)
        bar.addWidget(self.add_button)
        bar.addWidget(self.correct_button)
        self.photo_button = None
        if kind.key == "activity":
            self.photo_button = QPushButton(self.tr("添加照片(&F)…"))
            self.photo_button.clicked.connect(self.add_photo)
            bar.addWidget(self.photo_button)
            self.view_photos_button = QPushButton(self.tr("查看照片(&V)"))
            self.view_photos_button.clicked.connect(self.show_photos)
            bar.addWidget(self.view_photos_button)
        bar.addStretch()
        bar.addWidget(self.count)
        self.model = RecordModel(tuple(c.label for c in kind.columns), kind.key == "activity", self)
        self.view = read_only_table(self.model)
        self.view.doubleClicked.connect(lambda _i: self.correct())
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.year.valueChanged.connect(lambda _v: self.load())
        self.add_button.clicked.connect(self.add)
        self.correct_button.clicked.connect(self.correct)

    @staticmethod
    def all_pages(window) -> list[QWidget]:
        from desktop.services.assessment_records import KINDS

        return [RecordsPage(window, kind) for kind in KINDS.values()] + [DetoxPage(window)]

    def load(self) -> None:
        from desktop.services import assessment, assessment_records

        database, key, year = self.window_.db, self.kind.key, self.year.value()
        actor = database.actor
        for b in (self.add_button, self.correct_button, self.photo_button):
            if b is not None:
                b.setEnabled(bool(actor and actor.may(Permission.WRITE)))

        def fetch(progress, cancelled):
            return assessment_records.records(database, key, assessment.parse_period(year, ""))

        def shown(rows) -> None:
            if database is self.window_.db:
                self.model.set_rows(rows)
                self.view.resizeColumnsToContents()
                self.count.setText(self.tr("{0}年 {1} 条").format(year, len(rows)))

        self.window_.runner.run(
            fetch, on_done=shown, on_error=lambda exc: show_error(self, exc), writes=False
        )

    def selected(self):
        rows = self.view.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def add(self) -> None:
        if RecordForm(self.window_, self.kind, None, self).exec():
            self.window_.assessment_tab.load()

    def correct(self) -> None:
        record = self.selected()
        if record is None:
            QMessageBox.information(self, self.title, self.tr("请先在列表中选中要更正的一条。"))
            return
        if RecordForm(self.window_, self.kind, record, self).exec():
            self.window_.assessment_tab.load()

    def add_photo(self) -> None:
        from desktop.services import assessment_records

        record = self.selected()
        if record is None:
            QMessageBox.information(self, self.title, self.tr("请先在列表中选中活动。"))
            return
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择活动照片"), "", self.tr("图片 (*.jpg *.jpeg *.png)")
        )
        if not path:
            return
        from pathlib import Path

        try:
            assessment_records.add_photo(self.window_.db, record.id, Path(path))
        except Exception as exc:  # noqa: BLE001 - every failure is said in Chinese
            show_error(self, exc)
            return
        self.load()

    def show_photos(self) -> None:
        from desktop.services import assessment_records

        record = self.selected()
        if record is None or not record.photos:
            QMessageBox.information(self, self.title, self.tr("请先选中一条有照片的活动。"))
            return
        try:
            shown = assessment_records.photos(self.window_.db, record.id)
        except Exception as exc:  # noqa: BLE001 - every failure is said in Chinese
            show_error(self, exc)
            return
        PhotosDialog(shown, self).exec()


class PhotosDialog(QDialog):
    """An activity's photos, one at a time, drawn from memory (never written to a file)."""

    def __init__(self, photos: list[tuple[str, bytes]], parent=None) -> None:
        super().__init__(parent)
        from PySide6.QtGui import QPixmap
        from PySide6.QtWidgets import QListWidget

        self.setWindowTitle(self.tr("活动照片"))
        self.pixmaps = []
        for _name, data in photos:
            pixmap = QPixmap()
            pixmap.loadFromData(data)
            self.pixmaps.append(pixmap)
        self.names = QListWidget()
        self.names.addItems([name for name, _ in photos])
        self.names.setMaximumWidth(200)
        self.picture = QLabel(self.tr("无法显示这张图片"))
        self.picture.setAlignment(Qt.AlignCenter)
        self.picture.setMinimumSize(560, 420)
        row = QHBoxLayout()
        row.addWidget(self.names)
        row.addWidget(self.picture, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(close_buttons(self))
        self.names.currentRowChanged.connect(self.show_photo)
        self.names.setCurrentRow(0)

    def show_photo(self, row: int) -> None:
        pixmap = self.pixmaps[row] if 0 <= row < len(self.pixmaps) else None
        if pixmap is None or pixmap.isNull():
            self.picture.setText(self.tr("无法显示这张图片（文件不是图片或已损坏）"))
            return
        self.picture.setPixmap(
            pixmap.scaled(self.picture.size(), Qt.KeepAspectRatio, Qt.SmoothTransformation)
        )


class RecordForm(Form):
    """新增 or 更正 one record of a register, with a field for each of its columns."""

    def __init__(self, window, kind, record=None, parent=None) -> None:
        title = window.tr("更正：{0}") if record else window.tr("新增：{0}")
        super().__init__(title.format(window.tr(kind.title)), window.tr("保存"), parent)
        from desktop.services import residents

        self.window_, self.kind, self.record = window, kind, record
        self.villages = residents.villages(window.db)
        self.fields = {}
        values = record.values if record else {}
        for col in kind.columns:
            self.fields[col.name] = field = self._field(col, values.get(col.name))
            self.form.addRow(self.tr(col.label) + ("" if col.required else self.tr("（可空）")), field)
        self.first_field = next(iter(self.fields.values()))
        self.resize(520, self.sizeHint().height())

    def _field(self, col, value):
        if col.kind == "long":
            w = QPlainTextEdit(value or "")
            w.setTabChangesFocus(True)
            w.setFixedHeight(70)
            return w
        if col.kind == "int":
            w = QSpinBox()
            w.setRange(0, 1_000_000)
            w.setValue(int(value or 0))
            return w
        if col.kind in ("choice", "village"):
            w = QComboBox()
            if col.kind == "village":
                w.addItem(self.tr(TOWNSHIP_WIDE), None)
                for vid, name in self.villages:
                    w.addItem(name, vid)
            else:
                for c in col.choices:
                    w.addItem(c, c)
            index = w.findData(value)
            w.setCurrentIndex(max(0, index))
            return w
        w = QLineEdit(
            "" if value is None else value.isoformat() if isinstance(value, dt.date) else str(value)
        )
        if col.kind == "date":
            w.setPlaceholderText("2026-06-26")
        return w

    def values(self) -> dict:
        out, problems = {}, []
        for col in self.kind.columns:
            w = self.fields[col.name]
            if isinstance(w, QPlainTextEdit):
                out[col.name] = w.toPlainText()
            elif isinstance(w, QSpinBox):
                out[col.name] = w.value()
            elif isinstance(w, QComboBox):
                out[col.name] = w.currentData()
            elif col.kind == "date":
                if not w.text().strip():
                    out[col.name] = None
                    continue
                try:
                    out[col.name] = date_from_field(w, col.label)
                except ValidationFailed as exc:
                    problems += exc.problems
            else:
                out[col.name] = w.text()
        if problems:
            raise ValidationFailed(problems)
        return out

    def _on_submit(self) -> None:
        from desktop.services import assessment_records

        def save():
            values = self.values()
            if self.record is None:
                assessment_records.add(self.window_.db, self.kind.key, values)
            else:
                assessment_records.correct(self.window_.db, self.kind.key, self.record.id, values)

        if self.run(save):
            self.accept()


class DetoxPage(QWidget):
    """脱毒认定: every decision, and the form that records one for a key person."""

    def __init__(self, window) -> None:
        super().__init__()
        self.window_ = window
        self.title = self.tr("脱毒认定")
        self.setObjectName("records-detox")
        self.add_button = QPushButton(self.tr("登记脱毒认定(&N)…"))
        self.count = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addStretch()
        bar.addWidget(self.count)
        self.model = RecordModel(
            ("姓名", "身份证号码", "村（社区）", "认定日期", "认定依据", "认定单位"), False, self
        )
        self.view = read_only_table(self.model)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.add_button.clicked.connect(self.add)

    def load(self) -> None:
        from desktop.services import assessment_people

        database = self.window_.db
        actor = database.actor
        self.add_button.setEnabled(bool(actor and actor.may(Permission.WRITE)))

        def fetch(progress, cancelled):
            from desktop.models.idnumber import mask

            books = assessment_people.load(database)
            by_file = {f.file_id: f for f in books.files}
            rows = []
            for file_id, day, basis, by in sorted(books.detox_rows, key=lambda d: d[1], reverse=True):
                f = by_file[file_id]
                rows.append(_Shown((f.name, mask(f.id_number), f.village, day.isoformat(), basis, by)))
            return rows, list(books.files)

        def shown(result) -> None:
            if database is self.window_.db:
                self.model.set_rows(result[0])
                self.people = result[1]
                self.view.resizeColumnsToContents()
                self.count.setText(self.tr("共 {0} 人次").format(len(result[0])))

        self.window_.runner.run(
            fetch, on_done=shown, on_error=lambda exc: show_error(self, exc), writes=False
        )

    def add(self) -> None:
        if DetoxForm(self.window_, getattr(self, "people", []), self).exec():
            self.window_.assessment_tab.load()


class _Shown:
    def __init__(self, shown: tuple) -> None:
        self.shown = shown


class DetoxForm(Form):
    def __init__(self, window, people: list, parent=None) -> None:
        super().__init__(window.tr("登记脱毒认定"), window.tr("保存"), parent)
        from desktop.models.idnumber import mask

        self.window_ = window
        self.person = QComboBox()
        self.person.setEditable(True)  # type a name to find the person
        self.person.setInsertPolicy(QComboBox.NoInsert)
        for f in sorted(people, key=lambda f: (f.village, f.name)):
            self.person.addItem(f"{f.name}（{mask(f.id_number)}，{f.village}）", f.person_id)
        self.day = QLineEdit(dt.date.today().isoformat())
        self.basis = QLineEdit()
        self.basis.setPlaceholderText(self.tr("例如：社区康复期满，期间尿检均为阴性"))
        self.by = QLineEdit()
        self.by.setPlaceholderText(self.tr("例如：县公安局禁毒大队"))
        self.notes = QLineEdit()
        self.set_status = QCheckBox(self.tr("同时把管控状态改为“戒断三年未复吸”"))
        self.set_status.setChecked(True)
        for label, w in (("人员", self.person), ("认定日期", self.day), ("认定依据", self.basis),
                         ("认定单位", self.by), ("备注（可空）", self.notes)):  # fmt: skip
            self.form.addRow(self.tr(label), w)
        self.form.addRow("", self.set_status)
        self.first_field = self.person

    def _on_submit(self) -> None:
        from desktop.services import assessment_records

        def save():
            person_id = self.person.currentData()
            if person_id is None or self.person.currentText() != self.person.itemText(
                self.person.currentIndex()
            ):
                raise ValidationFailed([Problem("person", "unknown_person", {})])
            assessment_records.record_detox(
                self.window_.db, person_id, decided_on=date_from_field(self.day, "认定日期"),
                basis=self.basis.text(), decided_by=self.by.text(), notes=self.notes.text(),
                set_status=self.set_status.isChecked(),
            )  # fmt: skip

        if self.run(save):
            self.accept()
