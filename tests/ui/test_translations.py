"""Qt's own words are Chinese: the standard buttons of a message box, a text field's context menu."""

from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QMessageBox

from desktop.views.app import make_app


def test_a_message_box_says_queding_and_a_text_field_menu_says_fuzhi(qtbot):
    make_app()
    box = QMessageBox(QMessageBox.Question, "标题", "文字", QMessageBox.Ok | QMessageBox.Cancel)
    qtbot.addWidget(box)
    assert box.button(QMessageBox.Ok).text() == "确定"
    assert box.button(QMessageBox.Cancel).text() == "取消"
    buttons = QDialogButtonBox(QDialogButtonBox.Yes | QDialogButtonBox.No | QDialogButtonBox.Close)
    qtbot.addWidget(buttons)
    assert [
        buttons.button(b).text().replace("&", "").split("(")[0]
        for b in (QDialogButtonBox.Yes, QDialogButtonBox.No, QDialogButtonBox.Close)
    ] == ["是", "否", "关闭"]
    field = QLineEdit("张伟")
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    words = [a.text().replace("&", "").split("(")[0].split("\t")[0] for a in menu.actions() if a.text()]
    assert "复制" in words and "粘贴" in words and "Copy" not in " ".join(words)
