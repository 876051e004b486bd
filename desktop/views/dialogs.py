"""The first-run choice, the township setup, and 设置 → 行政区划: one editor, two ways to submit."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
)

from desktop.db import Database
from desktop.errors import DomainError, ValidationFailed
from desktop.models.units import TownshipDraft, VillageDraft
from desktop.services import township
from desktop.views.errors import show_error
from desktop.views.units_editor import AdminUnitsEditor


class FirstRunDialog(QDialog):
    """No township yet: set up the real one, or try the program on a demo township."""

    SETUP, DEMO = 1, 2

    def __init__(self, db_path: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("欢迎使用无毒社区工作台"))
        self.choice = 0
        intro = QLabel(
            self.tr(
                "<h3>首次使用</h3><p>已在本机建立数据库：<br><code>{0}</code></p><p>请选择如何开始：</p>"
            ).format(db_path)
        )
        intro.setTextFormat(Qt.RichText)
        intro.setWordWrap(True)
        self.setup_button = QCommandLinkButton(
            self.tr("设置本乡镇（正式使用）"), self.tr("填写县、乡镇名称，以及各村（社区）和小组。")
        )
        self.demo_button = QCommandLinkButton(
            self.tr("先看看演示数据（另一个数据库）"),
            self.tr(
                "打开一个约4万人的演示乡镇（合成数据，不对应任何真人），放在单独的演示数据库里。"
                "本数据库保持空白，以后用“文件 → 返回正式数据库”回来设置本乡镇。"
            ),
        )
        buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Cancel).setText(self.tr("退出"))
        buttons.rejected.connect(self.reject)
        self.setup_button.clicked.connect(lambda: self._choose(self.SETUP))
        self.demo_button.clicked.connect(lambda: self._choose(self.DEMO))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.setup_button)
        layout.addWidget(self.demo_button)
        layout.addWidget(buttons)
        self.resize(520, 320)

    def _choose(self, choice: int) -> None:
        self.choice = choice
        self.accept()


class UnitsDialog(QDialog):
    """The editor with 确定/取消: `submit(draft)` writes it; refused fields are marked and the dialog stays."""

    def __init__(
        self, title: str, draft: TownshipDraft, submit: Callable[[TownshipDraft], object], parent=None
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self._submit = submit
        self.result_value = None
        self.editor = AdminUnitsEditor(self)
        self.editor.load(draft)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("保存(&S)"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self._on_submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        layout.addWidget(self.buttons)
        self.resize(860, 560)

    def _on_submit(self) -> None:
        try:
            self.result_value = self._submit(self.editor.to_data())
        except ValidationFailed as exc:
            self.editor.show_problems(list(exc.problems))
            return
        except DomainError as exc:
            show_error(self, exc)
            return
        self.accept()


def setup_dialog(db: Database, parent=None) -> UnitsDialog:
    draft = TownshipDraft("", "", villages=[VillageDraft(code="001", name="")])
    dialog = UnitsDialog(QDialog.tr("设置本乡镇"), draft, lambda d: township.initialize(db, d), parent)
    return dialog


def units_dialog(db: Database, parent=None) -> UnitsDialog:
    return UnitsDialog(
        QDialog.tr("行政区划：村（社区）和小组"),
        township.load_units(db),
        lambda d: township.apply_units(db, d),
        parent,
    )
