"""The main window's 文件 menu for backups: 立即备份, 备份到U盘, the half-hourly automatic backup, 从备份恢复.

A mixin of MainWindow (it uses the window's database, runner and status bar), kept apart so the window module
stays the window's layout and menus."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.errors import DomainError
from desktop.services.auth import Permission
from desktop.views.errors import show_error


class BackupActions:
    def backup_now(self, folder: Path | None) -> Path | None:
        from desktop.services import backups

        try:
            target = backups.make_backup(self.db, folder)
        except DomainError as exc:
            show_error(self, exc)
            return None
        self.statusBar().showMessage(self.tr("已备份并校验：{0}").format(target), 10_000)
        return target

    def backup_to(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择备份位置（如U盘）"))
        if folder:
            self.backup_now(Path(folder))

    def auto_backup(self) -> None:
        """Every 30 minutes, when something changed since the newest backup; quietly, on the write queue."""
        from desktop.services import backups

        database = self.db
        if database.actor is None or not database.actor.may(Permission.BACKUP):
            return
        self.runner.run(
            lambda progress, cancelled: (
                backups.make_backup(database) if backups.changed_since_last_backup(database) else None
            ),
            on_done=lambda target: (
                target
                and self.statusBar().showMessage(self.tr("已自动备份：{0}").format(target.name), 10_000)
            ),
            on_error=lambda exc: show_error(self, exc),
        )

    def restore_backup(self) -> None:
        from desktop.services import backups

        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("选择要恢复的备份"),
            str(self.db.backup_dir),
            # the safety copies made before a restore or an upgrade are backups too, and must be findable
            self.tr("备份 (wudu-*.sqlite3 before-restore-*.sqlite3 before-upgrade-*.sqlite3);;所有文件 (*)"),
        )
        if not name:
            return
        if (
            QMessageBox.question(
                self,
                self.tr("从备份恢复"),
                self.tr(
                    "用这个备份替换当前数据库？\n{0}\n\n替换前会先把当前数据库备份到 backups 文件夹。"
                ).format(name),
            )
            != QMessageBox.Yes
        ):
            return
        try:
            safety = backups.restore(self.db, Path(name))
        except DomainError as exc:
            show_error(self, exc)
            return
        self.refresh_status()
        self.load_registers()
        QMessageBox.information(
            self, self.tr("从备份恢复"), self.tr("已恢复。恢复前的数据库已保存为：\n{0}").format(safety)
        )
