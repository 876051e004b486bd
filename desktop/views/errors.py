"""The one place that turns an exception into a message box: domain refusals get their Chinese sentence,
anything unexpected gets a message, the details, and an entry in the log."""

from __future__ import annotations

import logging

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
        code = messages.incident_code()
        log.error("unexpected error %s", code, exc_info=error)
        box.setIcon(QMessageBox.Critical)
        # The traceback goes to the log for support, under a reference the clerk can read out; the clerk reads
        # what happened and what it means, never a Python class name.
        box.setInformativeText(
            QWidget.tr(
                "详细情况已记入数据文件夹中的 logs/wudu.log。请把错误编号 {0} 告诉技术支持人员。"
            ).format(code)
        )
    box.exec()
