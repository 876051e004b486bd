"""帮教档案 of one case: its particulars and deadlines on top, then its group (who served when), talks, employment
help and reviews, each on its own page, and the papers to print: the agreement, the record, a review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DomainError
from desktop.services import aftercare, aftercare_print, aftercare_records
from desktop.services.auth import Permission
from desktop.views.case_forms import (
    CaseForm,
    EmploymentDialog,
    EndCaseDialog,
    EndJobDialog,
    MemberDialog,
    ReplaceMemberDialog,
    ReviewDialog,
    TalkDialog,
)
from desktop.views.errors import show_error
from desktop.views.forms import close_buttons
from desktop.views.printouts import print_pdf
from desktop.views.tables import ListTableModel, read_only_table

DEADLINE_NAMES = {
    "report": "报到（决定后15日内）",
    "group": "成立帮教小组（接到出所通知时）",
    "end_notice": "期满通知（期满后7日内）",
}
RED = "<span style='color:#a61b1b'>{0}</span>"


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


class MembersTableModel(ListTableModel):
    HEADERS = ("角色", "姓名", "单位", "电话", "第一责任人", "自", "至")

    def cells(self, m) -> tuple:
        first = "是" if m.first_responsible else ""
        return (m.role, m.name, m.unit, m.phone, first, m.since.isoformat(), _iso(m.until))


class TalksTableModel(ListTableModel):
    HEADERS = ("日期", "方式", "谈话人", "思想动态", "收入来源", "交往", "去向", "表现", "备注")

    def cells(self, t) -> tuple:
        return (
            t.held_on.isoformat(),
            t.kind,
            t.by_whom,
            t.thinking,
            t.income,
            t.contacts,
            t.whereabouts,
            t.behaviour,
            t.notes,
        )


class JobsTableModel(ListTableModel):
    HEADERS = ("工作岗位", "就业单位", "就业日期", "离职日期", "备注")

    def cells(self, j) -> tuple:
        return (j.job, j.employer, j.since.isoformat(), _iso(j.until), j.notes)


class ReviewsTableModel(ListTableModel):
    HEADERS = ("期间", "类别", "风险等级", "填写人", "填写日期", "内容")

    def cells(self, r) -> tuple:
        return (r.period, r.kind, r.risk, r.by_whom, r.written_on.isoformat(), r.text.replace("\n", " "))

    def tooltip(self, r, column: int):
        return r.text if column == 5 else None


class NoticesTableModel(ListTableModel):
    HEADERS = ("通知编号", "检测期限", "送达", "检测日期", "结果", "状态")

    def cells(self, n) -> tuple:
        from desktop.services import urine

        window = f"{n.window_from.isoformat()} 至 {n.window_to.isoformat()}"
        state = f"{n.state}：{n.void_reason}" if n.void_reason else n.state
        return (urine.number(n), window, _iso(n.delivered_on), _iso(n.tested_on), n.result, state)


def _page(view, *buttons) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.addWidget(view, 1)
    row = QHBoxLayout()
    for b in buttons:
        if b is None:
            row.addStretch()
        else:
            row.addWidget(b)
    if None not in buttons:
        row.addStretch()
    layout.addLayout(row)
    return page


class CaseDialog(QDialog):
    def __init__(
        self, database, case_id: int, name: str, parent=None, *, data_dir: Path | None = None
    ) -> None:
        super().__init__(parent)
        self.database, self.case_id, self.name = database, case_id, name
        self.data_dir = data_dir or database.path.parent
        self.setWindowTitle(self.tr("帮教档案 — {0}").format(name))
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.edit_button = QPushButton(self.tr("编辑基本情况(&I)…"))
        self.members = MembersTableModel(self)
        self.members_view = read_only_table(self.members)
        self.add_member_button = QPushButton(self.tr("添加成员(&A)…"))
        self.replace_button = QPushButton(self.tr("更换所选成员(&R)…"))
        self.first_button = QPushButton(self.tr("设为第一责任人(&F)"))
        self.talks = TalksTableModel(self)
        self.talks_view = read_only_table(self.talks)
        self.add_talk_button = QPushButton(self.tr("记录谈话(&T)…"))
        self.jobs = JobsTableModel(self)
        self.jobs_view = read_only_table(self.jobs)
        self.add_job_button = QPushButton(self.tr("登记就业(&J)…"))
        self.end_job_button = QPushButton(self.tr("所选已离职(&L)…"))
        self.reviews = ReviewsTableModel(self)
        self.reviews_view = read_only_table(self.reviews)
        self.add_review_button = QPushButton(self.tr("填写小结或评估(&S)…"))
        self.print_review_button = QPushButton(self.tr("打印所选小结(&P)"))
        self.notices = NoticesTableModel(self)
        self.notices_view = read_only_table(self.notices)
        self.print_agreement_button = QPushButton(self.tr("打印帮教协议书(&G)"))
        self.print_record_button = QPushButton(self.tr("打印帮教工作记录(&D)"))
        self.signed_button = QPushButton(self.tr("协议已签订(&Q)…"))
        self.end_button = QPushButton(self.tr("结束帮教（解除/终止）(&E)…"))
        self.pages = QTabWidget()
        self.pages.addTab(
            _page(self.members_view, self.add_member_button, self.replace_button, self.first_button),
            self.tr("帮教小组（三帮一 / 五位一体）"),
        )
        self.pages.addTab(_page(self.talks_view, self.add_talk_button), self.tr("谈心、家访、电话"))
        self.pages.addTab(
            _page(self.jobs_view, self.add_job_button, self.end_job_button), self.tr("就业安置")
        )
        self.pages.addTab(
            _page(self.reviews_view, self.add_review_button, self.print_review_button),
            self.tr("半年小结与年度评估"),
        )
        self.pages.addTab(_page(self.notices_view), self.tr("尿液检测"))
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.edit_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.print_agreement_button)
        bottom.addWidget(self.print_record_button)
        bottom.addWidget(self.signed_button)
        bottom.addStretch()
        bottom.addWidget(self.end_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        layout.addLayout(bottom)
        layout.addWidget(close_buttons(self))
        for button, slot in (
            (self.edit_button, self.edit_case),
            (self.add_member_button, self.add_member),
            (self.replace_button, self.replace_member),
            (self.first_button, self.make_first_responsible),
            (self.add_talk_button, self.add_talk),
            (self.add_job_button, self.add_job),
            (self.end_job_button, self.end_job),
            (self.add_review_button, self.add_review),
            (self.print_review_button, self.print_review),
            (self.print_agreement_button, self.print_agreement),
            (self.print_record_button, self.print_record),
            (self.signed_button, self.agreement_signed),
            (self.end_button, self.end_case),
        ):
            button.clicked.connect(slot)
        self.last_printout: Path | None = None
        self.resize(980, 660)
        self.refresh()

    def refresh(self) -> None:
        today = dt.date.today()
        st = aftercare.state(self.database, self.case_id, today=today)
        case = aftercare.case_header(self.database, self.case_id)
        lines = [
            self.tr("帮教依据：{0}　起始：{1}　期限：{2}年，至{3}　帮教落实：{4}").format(
                st.basis,
                case.start_on.isoformat(),
                case.term_years,
                st.term_end.isoformat(),
                self.tr("是") if st.implemented else RED.format(self.tr("否")),
            )
        ]
        if case.facility or case.handover_notice_on:
            lines.append(
                self.tr("出所：{0}，通知书收到于 {1}").format(
                    case.facility or "—", _iso(case.handover_notice_on)
                )
            )
        for d in aftercare.deadlines(case):
            if d.done_on:
                done = self.tr("已办（{0}）").format(d.done_on.isoformat())
            else:
                done = RED.format(self.tr("已逾期")) if d.overdue(today) else self.tr("未到期")
            lines.append(f"{self.tr(DEADLINE_NAMES[d.kind])}：{d.due.isoformat()}　{done}")
        signed = case.agreement_signed_on
        lines.append(
            self.tr("帮教协议书：已签订（{0}）").format(signed.isoformat())
            if signed
            else RED.format(self.tr("帮教协议书：尚未登记签订"))
        )
        if st.talk_overdue:
            lines.append(
                RED.format(self.tr("超过规定间隔未谈话（最近一次：{0}）").format(_iso(st.last_talk) or "无"))
            )
        missing = (
            []
            if case.ended_on
            else aftercare_records.missing_reviews(self.database, self.case_id, today=today)
        )
        if missing:
            lines.append(RED.format(self.tr("未写小结或评估：{0}").format("、".join(missing))))
        from desktop.services import urine_register

        urine_warnings = urine_register.case_warnings(self.database, self.case_id)
        if urine_warnings.warnings:
            lines.append(RED.format(self.tr("复吸预警：{0}").format("；".join(urine_warnings.warnings))))
        if urine_warnings.breach:
            lines.append(
                "<b>"
                + RED.format(self.tr("严重违反：拒检或未到 {0} 次").format(len(urine_warnings.evasions)))
                + "</b>"
            )
        if case.ended_on:
            lines.insert(
                0,
                "<b>"
                + self.tr("已于 {0} {1}（{2}），收到通知 {3}；档案保留，只可查看和打印").format(
                    case.ended_on.isoformat(), case.end_kind, case.end_paper, _iso(case.end_notified_on)
                )
                + "</b>",
            )
        for button in (
            self.add_member_button,
            self.replace_button,
            self.first_button,
            self.add_talk_button,
            self.add_job_button,
            self.end_job_button,
            self.add_review_button,
            self.end_button,
            self.signed_button,
        ):
            button.setEnabled(case.ended_on is None and self._may(Permission.WRITE))
        self.edit_button.setEnabled(self._may(Permission.WRITE))
        papers = self._may(Permission.PRINT) and self._may(Permission.VIEW_FULL_ID)  # they carry the full ID
        for button in (self.print_agreement_button, self.print_record_button, self.print_review_button):
            button.setEnabled(papers)
        self.header.setText("<br>".join(lines))
        self.members.set_rows(st.members)
        self.talks.set_rows(aftercare.talks(self.database, self.case_id))
        self.jobs.set_rows(aftercare_records.employments(self.database, self.case_id))
        self.reviews.set_rows(aftercare_records.reviews(self.database, self.case_id))
        self.notices.set_rows(urine_register.case_notices(self.database, self.case_id))
        for view in (
            self.members_view,
            self.talks_view,
            self.jobs_view,
            self.reviews_view,
            self.notices_view,
        ):
            view.resizeColumnsToContents()

    def _may(self, permission: Permission) -> bool:
        actor = self.database.actor
        return bool(actor and actor.may(permission))

    def _form(self, form) -> bool:
        if form.exec():
            self.refresh()
            return True
        return False

    def _selected(self, view, model):
        index = view.currentIndex()
        return model.rows[index.row()] if index.isValid() else None

    def edit_case(self) -> None:
        self._form(CaseForm(self.database, self, case_id=self.case_id))

    def add_member(self) -> None:
        self._form(MemberDialog(self.database, self.case_id, self))

    def replace_member(self) -> None:
        member = self._selected(self.members_view, self.members)
        if member is None:
            self.pages.setCurrentIndex(0)
            self.members_view.setFocus()
            return
        self._form(ReplaceMemberDialog(self.database, member, self))

    def make_first_responsible(self) -> None:
        member = self._selected(self.members_view, self.members)
        if member is None:
            return
        try:
            aftercare.make_first_responsible(self.database, member.id)
        except DomainError as exc:
            show_error(self, exc)
            return
        self.refresh()

    def add_talk(self) -> None:
        self._form(TalkDialog(self.database, self.case_id, self))

    def add_job(self) -> None:
        self._form(EmploymentDialog(self.database, self.case_id, self))

    def end_job(self) -> None:
        job = self._selected(self.jobs_view, self.jobs)
        if job is not None and job.until is None:
            self._form(EndJobDialog(self.database, job, self))

    def add_review(self) -> None:
        self._form(ReviewDialog(self.database, self.case_id, self))

    def _print(self, name: str, make) -> None:
        self.last_printout = print_pdf(self, self.data_dir, name, make)

    def print_agreement(self) -> None:
        self._print(
            f"{self.name}帮教协议书.pdf", lambda: aftercare_print.agreement(self.database, self.case_id)
        )

    def print_record(self) -> None:
        self._print(
            f"{self.name}帮教工作记录.pdf", lambda: aftercare_print.record_sheet(self.database, self.case_id)
        )

    def print_review(self) -> None:
        review = self._selected(self.reviews_view, self.reviews)
        if review is None:
            if self.reviews.rows:
                self.reviews_view.selectRow(0)
                review = self.reviews.rows[0]
            else:
                return
        self._print(
            f"{self.name}{review.period}{review.kind}.pdf",
            lambda: aftercare_print.review_sheet(self.database, review.id),
        )

    def agreement_signed(self) -> None:
        """The 帮教协议书 came back signed by every party: the day it was signed."""
        from PySide6.QtWidgets import QInputDialog

        from desktop.services import aftercare_records
        from desktop.services.people_excel import parse_date

        text, ok = QInputDialog.getText(
            self, self.tr("帮教协议书已签订"), self.tr("签订日期："), text=dt.date.today().isoformat()
        )
        if not ok:
            return
        try:
            day = parse_date(text.strip())
            if day is None:
                raise ValueError(text)
        except ValueError:
            from desktop.errors import Problem, ValidationFailed

            show_error(self, ValidationFailed([Problem("signed_on", "date_format", {"value": text})]))
            return
        try:
            aftercare_records.record_agreement_signed(self.database, self.case_id, on=day)
        except DomainError as exc:
            show_error(self, exc)
            return
        self.refresh()

    def end_case(self) -> None:
        if EndCaseDialog(self.database, self.case_id, self).exec():
            self.accept()  # the case leaves the open register; its record stays
