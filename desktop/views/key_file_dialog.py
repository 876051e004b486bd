"""重点人员档案: one person's file — open it, add to the status history, keep scans of the papers."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from desktop import messages, tempfiles
from desktop.errors import DomainError
from desktop.models.enums import DrugCategory, DrugStatus
from desktop.services import key_persons
from desktop.views.errors import show_error
from desktop.views.forms import close_buttons, date_from_field
from desktop.views.tables import ListTableModel, read_only_table


class HistoryTableModel(ListTableModel):
    HEADERS = ("日期", "状态", "原因")

    def cells(self, e: key_persons.StatusEntry) -> tuple:
        return (e.since.isoformat(), e.status, e.reason)


class AttachmentsTableModel(ListTableModel):
    HEADERS = ("附件", "大小", "加入时间")

    def cells(self, a: key_persons.AttachmentInfo) -> tuple:
        return (a.name, f"{a.size / 1024:.0f} KB", a.added_at.strftime("%Y-%m-%d %H:%M"))


class KeyFileDialog(QDialog):
    def __init__(self, database, person_id: int, person_name: str, parent=None) -> None:
        super().__init__(parent)
        self.database, self.person_id = database, person_id
        self.setWindowTitle(self.tr("重点人员档案 — {0}").format(person_name))
        scratch = tempfiles.scratch_dir(database.path.parent)  # inside the data folder, never the system's
        self._tmp = tempfile.TemporaryDirectory(dir=scratch, prefix="wudu-attachment-")
        self.message = QLabel()
        self.message.setStyleSheet("color: #a61b1b;")
        self.message.setWordWrap(True)
        self.message.hide()

        # opening a file
        self.open_box = QGroupBox(self.tr("建立档案"))
        self.category = QComboBox()
        self.category.addItems([c.value for c in DrugCategory])
        self.first_found = QLineEdit(dt.date.today().isoformat())
        self.first_status = QComboBox()
        self.first_status.addItems([s.value for s in DrugStatus])
        self.decision_kind = QComboBox()
        self.decision_kind.addItems(["", "责令社区戒毒决定书", "责令社区康复决定书"])
        self.decision_number = QLineEdit()
        self.decision_date = QLineEdit()
        self.decision_station = QLineEdit()
        self.open_button = QPushButton(self.tr("建立档案(&O)"))
        form = QFormLayout(self.open_box)
        for label, w in (
            (self.tr("类别："), self.category),
            (self.tr("首次发现日期："), self.first_found),
            (self.tr("当时状态："), self.first_status),
            (self.tr("决定书："), self.decision_kind),
            (self.tr("文号："), self.decision_number),
            (self.tr("决定日期："), self.decision_date),
            (self.tr("作出决定的派出所："), self.decision_station),
            ("", self.open_button),
        ):
            form.addRow(label, w)

        # the file itself
        self.file_box = QGroupBox(self.tr("档案"))
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.history = HistoryTableModel(self)
        self.history_view = read_only_table(self.history)
        self.status = QComboBox()
        self.status.addItems([s.value for s in DrugStatus])
        self.since = QLineEdit(dt.date.today().isoformat())
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("原因或依据（失联、死亡、迁出必填）"))
        self.add_button = QPushButton(self.tr("登记新状态(&A)"))
        add_row = QHBoxLayout()
        for w in (self.status, self.since, self.reason, self.add_button):
            add_row.addWidget(w)
        add_row.setStretch(2, 1)
        self.attachments = AttachmentsTableModel(self)
        self.attachments_view = read_only_table(self.attachments)
        self.attach_button = QPushButton(self.tr("添加扫描件(&F)…"))
        self.view_button = QPushButton(self.tr("查看(&V)"))
        file_layout = QVBoxLayout(self.file_box)
        file_layout.addWidget(self.header)
        file_layout.addWidget(self.history_view, 2)
        file_layout.addLayout(add_row)
        file_layout.addWidget(QLabel(self.tr("附件（决定书、协议书等的扫描件，保存在加密数据库中）：")))
        file_layout.addWidget(self.attachments_view, 1)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.attach_button)
        buttons_row.addWidget(self.view_button)
        buttons_row.addStretch()
        file_layout.addLayout(buttons_row)

        close = close_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.open_box)
        layout.addWidget(self.file_box, 1)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.open_button.clicked.connect(self.open_file)
        self.add_button.clicked.connect(self.add_status)
        self.attach_button.clicked.connect(self.add_attachment)
        self.view_button.clicked.connect(self.view_attachment)
        self.resize(760, 620)
        self.show_file(key_persons.file_of(database, person_id))

    def show_file(self, file: key_persons.KeyFile | None) -> None:
        self.open_box.setVisible(file is None)
        self.file_box.setVisible(file is not None)
        if file is None:
            return
        decision = file.decision_text
        self.header.setText(
            self.tr("类别：{0}　首次发现：{1}　当前状态：<b>{2}</b>（自{3}）<br>决定书：{4}").format(
                file.category,
                file.first_found_on.isoformat(),
                file.current.status,
                file.current.since.isoformat(),
                decision or self.tr("未登记"),
            )
        )
        self.history.set_rows(file.history)
        self.history_view.resizeColumnsToContents()
        self.attachments.set_rows(file.attachments)

    def refuse(self, exc: BaseException) -> None:
        if isinstance(exc, DomainError):
            self.message.setText(messages.describe(exc))
            self.message.show()
        else:
            show_error(self, exc)

    def open_file(self) -> None:
        try:
            decision_date = (
                date_from_field(self.decision_date, "decision_date")
                if self.decision_date.text().strip()
                else None
            )
            file = key_persons.open_file(
                self.database,
                self.person_id,
                category=self.category.currentText(),
                first_found_on=date_from_field(self.first_found, "first_found_on"),
                status=self.first_status.currentText(),
                reason=self.decision_kind.currentText(),
                decision_kind=self.decision_kind.currentText(),
                decision_number=self.decision_number.text(),
                decision_date=decision_date,
                decision_station=self.decision_station.text(),
            )
        except Exception as exc:
            self.refuse(exc)
            return
        self.message.hide()
        self.show_file(file)

    def add_status(self) -> None:
        try:
            file = key_persons.add_status(
                self.database,
                self.person_id,
                self.status.currentText(),
                date_from_field(self.since, "since"),
                self.reason.text(),
            )
        except Exception as exc:
            self.refuse(exc)
            return
        self.message.hide()
        self.reason.clear()
        self.show_file(file)

    def add_attachment(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择扫描件"), "", self.tr("扫描件 (*.jpg *.jpeg *.png *.pdf *.tif *.tiff)")
        )
        if not name:
            return
        try:
            key_persons.attach(self.database, self.person_id, Path(name))
        except Exception as exc:
            self.refuse(exc)
            return
        self.show_file(key_persons.file_of(self.database, self.person_id))

    def view_attachment(self) -> Path | None:
        index = self.attachments_view.currentIndex()
        if not index.isValid():
            return None
        try:
            name, data = key_persons.attachment_bytes(self.database, self.attachments.rows[index.row()].id)
        except DomainError as exc:
            self.refuse(exc)
            return None
        target = Path(self._tmp.name) / name  # removed when this dialog closes
        target.write_bytes(data)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        return target

    def done(self, result: int) -> None:
        super().done(result)
        self._tmp.cleanup()
