"""The one place that turns an exception into a message box: domain refusals get their Chinese sentence,
anything unexpected gets a message, the details, and an entry in the log."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop import messages
from desktop.errors import DomainError

log = logging.getLogger("desktop.views")


def show_error(parent: QWidget | None, error: BaseException, title: str | None = None) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle(title or QWidget.tr("无毒社区工作台"))
    box.setText(messages.describe(error))
    if isinstance(error, DomainError):
        box.setIcon(QMessageBox.Warning)
    else:
        log.error("unexpected error", exc_info=error)
        box.setIcon(QMessageBox.Critical)
        box.setInformativeText(QWidget.tr("已记入日志。请把详细信息告诉技术支持人员。"))
        box.setDetailedText("".join(traceback.format_exception(error)))
    box.exec()
