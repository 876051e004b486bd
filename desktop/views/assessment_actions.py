"""The 考核 commands of the main window (a mixin): the year's targets, the year-end report and the weekly
counts sheet."""

from __future__ import annotations

from desktop.errors import DomainError
from desktop.views.errors import show_error


class AssessmentActions:
    def _assessment_period(self) -> tuple[int, str]:
        from desktop.views.assessment_tab import PERIODS

        tab = self.assessment_tab
        return tab.year.value(), PERIODS[tab.period.currentIndex()]

    def edit_targets(self) -> None:
        from desktop.views.assessment_dialogs import TargetsDialog

        try:
            dialog = TargetsDialog(self, self._assessment_period()[0])
        except DomainError as exc:
            show_error(self, exc)
            return
        if dialog.exec():
            self.assessment_tab.load()

    def print_year_report(self) -> None:
        """The office writes (or corrects) the report's 工作总结 first, then the report is made and opened."""
        from desktop.services import assessment_report
        from desktop.views.assessment_dialogs import SummaryDialog

        year, code = self._assessment_period()
        today = self.assessment_tab.today()
        try:
            dialog = SummaryDialog(self, year)
        except DomainError as exc:
            show_error(self, exc)
            return
        if not dialog.exec():
            return
        self._print(
            f"{year}年创建无毒社区工作总结统计表{code}.pdf",
            lambda: assessment_report.year_report(self.db, year, code, today=today),
        )

    def print_weekly_counts(self) -> None:
        from desktop.services import assessment_report

        year, code = self._assessment_period()
        today = self.assessment_tab.today()
        self._print(
            f"{year}年工作量统计表{code}.pdf",
            lambda: assessment_report.counts_sheet(self.db, year, code, today=today),
        )
