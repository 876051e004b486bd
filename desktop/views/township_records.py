"""At the county: one township's four registers as its bundles brought them, in the same tabs as at the
township, read only. The mirror is opened read only (SQLite refuses every write) and the officer's role in it
is 查看, so every command that would change or print a record is off; closing or idling only closes it."""

from __future__ import annotations

from desktop.views.main_window import MainWindow


class TownshipRecordsWindow(MainWindow):
    shows_reminder = False  # the township's own to-do box; the county reads the same in the status bar

    def __init__(self, database, runner, data_dir) -> None:
        super().__init__(database, runner, data_dir)
        self.menuBar().hide()  # the township's menus (backup, settings, demo…) are not the county's to use
        self.statusBar().showMessage(self.tr("县禁毒办查看：只读，不能修改或打印"))

    def refresh_status(self) -> None:
        super().refresh_status()
        info = self.db.township()
        name = f"{info.county_name}{info.township_name}" if info else ""
        self.setWindowTitle(self.tr("{0} — 各乡镇报送的登记（只读）").format(name))

    def lock(self, idle: bool = False) -> None:
        self.close()  # nothing to unlock against here: the records are hidden by closing

    def auto_backup(self) -> None:
        return  # the county's own backups cover the mirrors beside its database

    def closeEvent(self, event) -> None:
        self.runner.wait()
        self.idle.stop()
        self.backup_timer.stop()
        self.db.close()
        event.accept()
