"""报县密钥和指纹: this installation's keys and fingerprints, and the steps that make and hand them over."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QMessageBox, QPushButton, QVBoxLayout

from desktop.errors import DomainError
from desktop.views.errors import show_error
from desktop.views.forms import close_buttons

KEY_FILTER = "公钥文件 (*.wudu-key);;所有文件 (*)"


def _big(fingerprint: str) -> str:
    """A fingerprint as it is read aloud on the phone: large, fixed-width, bold."""
    return f'<span style="font-family: monospace; font-size: 15pt; font-weight: bold">{fingerprint}</span>'


class KeysDialog(QDialog):
    def __init__(self, database, parent=None, *, county_mode: bool = False) -> None:
        super().__init__(parent)
        self.db, self.county_mode = database, county_mode
        self.setWindowTitle(self.tr("本县密钥和已登记的乡镇") if county_mode else self.tr("报县密钥和指纹"))
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.RichText)
        self.text.setTextInteractionFlags(Qt.TextSelectableByMouse)  # a fingerprint may be copied
        self.county_key_button = QPushButton(self.tr("导入县禁毒办的公钥文件(&I)…"))
        self.county_key_button.clicked.connect(self.take_county_key)
        self.export_button = QPushButton(self.tr("导出本机的公钥文件(&E)…"))
        self.export_button.clicked.connect(self.export_public)
        self.register_button = QPushButton(self.tr("登记乡镇的公钥文件(&G)…"))
        self.register_button.clicked.connect(self.register)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        for button in (self.county_key_button, self.register_button, self.export_button):
            layout.addWidget(button)
        layout.addWidget(close_buttons(self))
        self.county_key_button.setVisible(not county_mode)
        self.register_button.setVisible(county_mode)
        self.resize(560, 320)
        self.refresh()

    def refresh(self) -> None:
        from desktop.exchange import keys

        found = keys.identity(self.db)
        if found is None:
            self.text.setText(self.tr(
                "本机还没有报县用的密钥。<br>第一步：向县禁毒办要本县的公钥文件（….wudu-key），点“导入县禁毒办的公钥文件”，"
                "并把屏幕上显示的县的指纹与县禁毒办电话核对。<br>第二步：导出本机的公钥文件交给县禁毒办登记。"
            ))  # fmt: skip
            self.export_button.setEnabled(False)
            return
        self.export_button.setEnabled(True)
        if found.role == "county":
            towns = keys.registered(self.db)
            lines = [self.tr("本县（{0}）的指纹：{1}").format(found.county_name, _big(found.fingerprint)), ""]
            lines.append(self.tr("已登记的乡镇：") if towns else self.tr("还没有登记任何乡镇。"))
            lines += [f"{t.township_name}　{_big(t.fingerprint)}" for t in towns]
        else:
            lines = [
                self.tr("本乡镇（{0}{1}）的指纹：{2}").format(
                    found.county_name, found.township_name, _big(found.fingerprint)
                ),
                self.tr("县禁毒办公钥的指纹：{0}").format(_big(found.county_fingerprint)),
                "",
                self.tr("两个指纹都要与县禁毒办电话核对，一字不差才算对。"),
            ]
        self.text.setText("<br>".join(lines))
        self.county_key_button.setText(
            self.tr("更换县禁毒办的公钥文件(&I)…")
            if found.role == "township"
            else self.county_key_button.text()
        )

    def _chosen(self, title: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, title, "", self.tr(KEY_FILTER))
        return Path(name) if name else None

    def take_county_key(self) -> None:
        from desktop.exchange import keys

        path = self._chosen(self.tr("选择县禁毒办的公钥文件"))
        if path is None:
            return
        try:
            made, replaced = keys.township_init(self.db, path)
        except DomainError as exc:
            show_error(self, exc)
            return
        QMessageBox.information(self, self.windowTitle(), self.tr(
            "{0}\n县禁毒办公钥的指纹：{1}\n请打电话与县禁毒办核对这个指纹。"
        ).format(self.tr("已更换县禁毒办的公钥。") if replaced else self.tr("已生成本乡镇的密钥。"), made.county_fingerprint))  # fmt: skip
        self.refresh()

    def register(self) -> None:
        from desktop.exchange import keys

        path = self._chosen(self.tr("选择乡镇交来的公钥文件"))
        if path is None:
            return
        try:
            town = keys.register_township(self.db, path)
        except DomainError as exc:
            show_error(self, exc)
            return
        QMessageBox.information(self, self.windowTitle(), self.tr(
            "已登记{0}。\n指纹：{1}\n请打电话与该乡镇核对这个指纹。"
        ).format(town.township_name, town.fingerprint))  # fmt: skip
        self.refresh()

    def export_public(self) -> None:
        from desktop.exchange import keys

        try:
            suggested = keys.public_key(self.db)
        except DomainError as exc:
            show_error(self, exc)
            return
        name = f"{suggested.county_name}{suggested.township_name}.wudu-key"
        target, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存本机的公钥文件"), name, self.tr(KEY_FILTER)
        )
        if not target:
            return
        try:
            key = keys.export_public(self.db, Path(target))
        except DomainError as exc:
            show_error(self, exc)
            return
        QMessageBox.information(self, self.windowTitle(), self.tr(
            "已保存：{0}\n指纹：{1}\n公钥文件不含任何私钥，可以用U盘或其他方式交给对方。"
        ).format(target, key.fingerprint))  # fmt: skip
