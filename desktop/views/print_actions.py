"""The 打印 menu's work, a mixin of the main window: each paper is made on the runner (the window stays alive)
and handed to the PDF viewer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QMessageBox

from desktop import __version__


class PrintActions:
    def print_test_page(self) -> None:
        from desktop.pdf.test_page import build_test_page

        info = self.db.township()
        self._write_print("打印测试页.pdf", build_test_page(info.township_name if info else "", __version__))

    def _write_print(self, name: str, data: bytes) -> Path | None:
        from desktop.views.printouts import write_print

        return self._printed(write_print(self, self.data_dir, name, data))

    def _print(self, name: str, make) -> None:
        """Make the PDF on a worker (the window stays alive), then hand it to the viewer."""
        from desktop.views.printouts import print_in_background

        print_in_background(self, self.runner, self.data_dir, name, make, on_done=self._printed)

    def _printed(self, target: Path | None) -> Path | None:
        if target is not None:
            self.last_printout = target
        return target

    def print_group_roster(self) -> None:
        from desktop.services import aftercare_print

        self._print("帮教小组成员名册.pdf", lambda: aftercare_print.group_roster(self.db))

    def print_roster(self, kind: str) -> None:
        from desktop.services import aftercare_print

        self._print(f"{kind}名册.pdf", lambda: aftercare_print.roster(self.db, kind))

    def print_screening_form(self) -> None:
        from desktop.services import printing, residents

        villages = residents.villages(self.db)
        if not villages:
            return
        name, ok = QInputDialog.getItem(
            self, self.tr("排查登记表"), self.tr("打印哪个村（社区）："), [v for _, v in villages], 0, False
        )
        if not ok:
            return
        campaign, ok = QInputDialog.getText(self, self.tr("排查登记表"), self.tr("排查活动名称（可不填）："))
        if not ok:
            return
        village_id = next(vid for vid, v in villages if v == name)
        self._print(
            f"{name}排查登记表.pdf", lambda: printing.screening_form(self.db, village_id, campaign.strip())
        )

    def print_person_summary(self) -> None:
        from desktop.services import printing

        selected = self.residents.selected_person() if hasattr(self, "residents") else None
        if selected is None:
            QMessageBox.information(self, self.tr("档案摘要"), self.tr("请先在排查登记中选中一个人。"))
            return
        person_id, name = selected
        self._print(f"{name}档案摘要.pdf", lambda: printing.person_summary(self.db, person_id))
