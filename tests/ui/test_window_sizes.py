"""Remembered window sizes (views/window_sizes.py): a dialog comes back at the size it was left, but never
shorter than its contents now need — a size saved before its layout grew would cut off its last lines."""

from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QVBoxLayout

from desktop.views import window_sizes


class Hinted(QDialog):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(QLineEdit())
        hint = QLabel(
            "日期写成 2026-11-05；送达方式：当面、电话或家属代收；结果：阴性、阳性、拒检或未到。" * 3
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)


def test_a_size_saved_too_short_for_the_contents_comes_back_tall_enough(qtbot, tmp_path):
    sizes = window_sizes.install(QApplication.instance(), tmp_path)
    try:
        first = Hinted()
        qtbot.addWidget(first)
        first.show()
        first.resize(420, 40)  # as a size saved by an earlier version of the dialog
        first.close()
        second = Hinted()
        qtbot.addWidget(second)
        second.show()
        qtbot.wait(20)
        assert second.width() == 420  # the remembered width is kept …
        assert (
            second.height() >= second.layout().totalHeightForWidth(second.width()) > 40
        )  # … the height is not
    finally:
        QApplication.instance().removeEventFilter(sizes)
