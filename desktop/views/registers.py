"""The shell every register tab shares: its columns, the count above it and what to do first when it is empty.
Each tab's module (residents_tab, aftercare_tab, …) gives its RegisterSpec and fills the shell with its model
(STYLE.md, 'Large registers')."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.views.tables import ListTableModel, read_only_table


@dataclass(frozen=True)
class RegisterSpec:
    key: str
    title: str
    columns: tuple[str, ...]
    empty_text: str
    first_step: str  # what a clerk does first when the register is empty


def tr(text: str) -> str:
    return QWidget.tr(text)


class RegisterTableModel(ListTableModel):
    """A register with its columns and, until its issue lands, no rows."""

    def __init__(self, columns: tuple[str, ...], parent=None) -> None:
        super().__init__(parent, headers=columns)
        self.columns = columns


class RegisterTab(QWidget):
    def __init__(self, spec: RegisterSpec, parent=None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"register-{spec.key}")
        self.model = RegisterTableModel(spec.columns, self)
        self.view = read_only_table(self.model)
        self.empty = QLabel(
            self.tr("{0}<br><br><span style='color:#555'>{1}</span>").format(spec.empty_text, spec.first_step)
        )
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setWordWrap(True)
        self.count_label = QLabel()
        self.count_label.setWordWrap(True)  # a long line of figures wraps rather than widen the window
        layout = QVBoxLayout(self)
        layout.addWidget(self.count_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 2)
        self.count_label.hide()

    def show_rows(self, model, count_text: str) -> None:
        """Replace the empty register by a filled one (its issue's id-backed model)."""
        self.model = model
        self.view.setModel(model)
        metrics = self.view.fontMetrics()
        self.view.verticalHeader().setDefaultSectionSize(metrics.height() + 10)
        for column, sample in enumerate(getattr(model, "width_samples", ())):
            self.view.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)
        self.show_count(count_text, model.rowCount() > 0)

    def show_count(self, text: str, has_rows: bool) -> None:
        self.empty.setVisible(not has_rows)
        self.count_label.setText(text)
        self.count_label.setVisible(bool(text))
