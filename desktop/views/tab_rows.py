"""What the 尿检通知 and 责任书 tabs do alike with their list: the selected rows, the one selected row a step needs,
and voiding it with a reason asked for."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QMessageBox

from desktop.errors import DomainError
from desktop.views.errors import show_error


def selected(tab) -> list:
    """The rows of the tab's list the clerk selected, in list order."""
    return [tab.model.rows[r] for r in sorted({i.row() for i in tab.view.selectionModel().selectedRows()})]


def one(window, tab, title: str, what: str):
    """The single selected row, or None after saying what to select."""
    picked = selected(tab)
    if len(picked) != 1:
        QMessageBox.information(window, title, window.tr("请先在列表中选中一份{0}。").format(what))
        return None
    return picked[0]


def void_with_reason(window, number: str, void: Callable[[str], None]) -> bool:
    """Ask why, then `void(reason)`; a refusal is said. True when it was voided."""
    reason, ok = QInputDialog.getText(window, window.tr("作废 {0}").format(number), window.tr("作废原因："))
    if not ok:
        return False
    try:
        void(reason)
    except DomainError as exc:
        show_error(window, exc)
        return False
    return True
