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
        log.error("unexpected error", exc_info=error)
        box.setIcon(QMessageBox.Critical)
        # The traceback goes to the log for support; the clerk reads what happened and what it means.
        box.setInformativeText(
            QWidget.tr(
                "操作没有完成，已保存的数据没有丢失。详细情况已记入数据文件夹中的 logs/wudu.log，"
                "请告诉技术支持人员（错误类型：{0}）。"
            ).format(type(error).__name__)
        )
    box.exec()
