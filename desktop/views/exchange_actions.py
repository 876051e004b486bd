"""The exchange's commands in the main window, a mixin: on a township's installation 导出到县 and 导入县回执;
on the county's, 导入乡镇数据包 (several at once, in the background with a progress bar) and the keys."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from desktop import messages
from desktop.errors import DomainError
from desktop.views.errors import show_error


class ExchangeActions:
    def export_all_to_county(self) -> None:
        """Every record again, numbered after the county's last bundle: what the county asks for when a bundle
        is missing or does not follow, or when this PC was restored from an older backup."""
        after, chosen = QInputDialog.getInt(
            self,
            self.tr("导出全部记录到县"),
            self.tr(
                "把本乡镇的全部记录重新写成一个数据包（县里提示缺号、接不上，或本机从备份恢复过时）。\n\n"
                "县里提示“本县已导入到第N号”时，在下面填N，新数据包从第N+1号起；\n"
                "县里没有提到编号时，保留0。"
            ),
            0,
            0,
            999999,
        )
        if chosen:
            self.export_to_county(full=True, after=after)

    def export_to_county(self, full: bool = False, after: int = 0) -> None:
        from desktop.exchange import export

        folder = QFileDialog.getExistingDirectory(self, self.tr("选择U盘或文件夹：报县数据包写到这里"))
        if not folder:
            return
        database = self.db
        self.runner.run(
            lambda progress, cancelled: export.export(
                database, Path(folder), full=full, after=after, progress=progress
            ),
            on_done=lambda done: QMessageBox.information(
                self,
                self.tr("导出到县"),
                messages.describe_export(done)
                + self.tr(
                    "\n\n请把U盘交县禁毒办；县里导入后会在U盘上写一份回执，拿回来用“导入县禁毒办的回执”导入。"
                ),
            ),  # fmt: skip
            on_error=lambda exc: show_error(self, exc),
            label=self.tr("正在导出报县数据包…"),
            parent=self,
            cancellable=False,
        )

    def import_receipt(self) -> None:
        from desktop.exchange import export

        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择县禁毒办的回执"), "", self.tr("回执 (*.wudu-receipt);;所有文件 (*)")
        )
        if not name:
            return
        try:
            taken = export.import_receipt(self.db, Path(name))
        except DomainError as exc:
            show_error(self, exc)
            return
        QMessageBox.information(self, self.tr("导入回执"), messages.describe_receipt(taken))

    def exchange_keys(self) -> None:
        from desktop.views.exchange_dialogs import KeysDialog

        try:
            KeysDialog(self.db, self, county_mode=self.county_mode).exec()
        except DomainError as exc:
            show_error(self, exc)
        if self.county_mode:
            self.load_county()

    def register_township(self) -> None:
        from desktop.views.exchange_dialogs import KeysDialog

        dialog = KeysDialog(self.db, self, county_mode=True)
        dialog.register()
        self.load_county()

    def import_bundles(self) -> None:
        from desktop.exchange import county

        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("选择乡镇数据包（可多选）"), "", self.tr("数据包 (*.wudu-bundle);;所有文件 (*)")
        )
        if not names:
            return
        database = self.db
        self.runner.run(
            lambda progress, cancelled: county.import_many(database, [Path(n) for n in names], progress),
            on_done=self._bundles_imported,
            on_error=lambda exc: show_error(self, exc),
            label=self.tr("正在校验并导入数据包…"),
            parent=self,
            cancellable=False,
        )

    def _bundles_imported(self, results) -> None:
        from desktop.exchange import county

        lines, refused = [], 0
        for r in results:
            if isinstance(r, county.Imported):
                lines.append(messages.describe_import(r) + "\n")
            else:
                refused += 1
                lines.append(self.tr("拒绝：{0}").format(messages.describe(r)) + "\n")
        head = self.tr("共{0}个数据包：导入{1}个，拒绝{2}个。").format(
            len(results), len(results) - refused, refused
        )
        box = (
            QMessageBox.warning
            if refused or any(getattr(r, "audit_problem", "") for r in results)
            else QMessageBox.information
        )
        box(self, self.tr("导入乡镇数据包"), head + "\n\n" + "\n".join(lines))
        self.load_county()

    def county_status(self) -> None:
        self.tabs.setCurrentWidget(self.county_tab)
        self.load_county()

    def load_county(self) -> None:
        if self.county_mode:
            try:
                self.county_tab.load()
            except DomainError as exc:
                show_error(self, exc)
