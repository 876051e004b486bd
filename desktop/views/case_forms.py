"""The small forms of a 帮教 case: its particulars, a member (new, or replacing one), a talk, a job, a half-year
summary or yearly assessment, and its end. Each calls one service; a refusal stays in the form, in red."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
)

from desktop.models.enums import CaseBasis, MemberRole, RiskLevel, TalkKind
from desktop.services import aftercare, aftercare_records, aftercare_register, rosters
from desktop.views.forms import Form, date_from_field


def optional_date(field: QLineEdit, name: str) -> dt.date | None:
    """A date field that may be left empty (a paper not yet received)."""
    return date_from_field(field, name) if field.text().strip() else None


def _group_names(database, case_id: int, field: QLineEdit) -> None:
    """The group's serving members offered as the clerk types who talked or wrote; the first responsible
    person filled in, as the one who usually does."""
    current = [m for m in aftercare.state(database, case_id).members if m.until is None]
    field.setCompleter(QCompleter([m.name for m in current], field))
    first = next((m.name for m in current if m.first_responsible), "")
    field.setText(first)


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


class CaseForm(Form):
    """新建帮教对象 (with a person picked from the key persons waiting for a case) or 编辑基本情况."""

    def __init__(self, database, parent=None, *, case_id: int | None = None, term_years: int = 3) -> None:
        editing = case_id is not None
        super().__init__(
            self.tr("帮教对象基本情况") if editing else self.tr("新建帮教对象"),
            self.tr("保存") if editing else self.tr("建档"),
            parent,
        )
        self.database, self.case_id = database, case_id
        self.candidates = [] if editing else aftercare_register.candidates(database)
        self.person = QComboBox()
        self.person.addItems([c.label for c in self.candidates])
        self.basis = QComboBox()
        self.basis.addItems([b.value for b in CaseBasis])
        self.decision_on = QLineEdit()
        self.decision_on.setPlaceholderText(self.tr("责令社区戒毒（康复）决定书的日期"))
        self.reported_on = QLineEdit()
        self.reported_on.setPlaceholderText(self.tr("决定后15日内报到；尚未报到可不填"))
        self.facility = QLineEdit()
        self.facility.setPlaceholderText(self.tr("如：市强制隔离戒毒所"))
        self.handover_notice_on = QLineEdit()
        self.handover_notice_on.setPlaceholderText(self.tr("收到出所通知书的日期（出所人员必填）"))
        self.start_on = QLineEdit(dt.date.today().isoformat())
        self.term_years = QSpinBox()
        self.term_years.setRange(1, 10)
        self.term_years.setSuffix(self.tr(" 年"))
        self.term_years.setValue(term_years)
        if not editing:
            self.form.addRow(self.tr("重点人员："), self.person)
        for label, w in (
            (self.tr("帮教依据："), self.basis),
            (self.tr("决定书日期："), self.decision_on),
            (self.tr("报到日期："), self.reported_on),
            (self.tr("出所戒毒场所："), self.facility),
            (self.tr("出所通知日期："), self.handover_notice_on),
            (self.tr("帮教起始日期："), self.start_on),
            (self.tr("帮教期限："), self.term_years),
        ):
            self.form.addRow(label, w)
        self.person.currentIndexChanged.connect(self._picked)
        self.first_field = self.person if not editing else self.reported_on
        self.resize(520, 320)
        if editing:
            self.load(aftercare.case_header(database, case_id))
        elif self.candidates:
            self._picked(0)

    def _picked(self, index: int) -> None:
        """A person's latest status suggests the basis and the start (出所待接茬: the handover notice)."""
        if not 0 <= index < len(self.candidates):
            return
        c = self.candidates[index]
        self.basis.setCurrentText(c.basis)
        self.start_on.setText(c.since.isoformat())
        self.handover_notice_on.setText(c.since.isoformat() if c.basis == CaseBasis.RELEASED.value else "")

    def load(self, case) -> None:
        self.basis.setCurrentText(case.basis)
        self.decision_on.setText(_iso(case.decision_on))
        self.reported_on.setText(_iso(case.reported_on))
        self.facility.setText(case.facility)
        self.handover_notice_on.setText(_iso(case.handover_notice_on))
        self.start_on.setText(case.start_on.isoformat())
        self.term_years.setValue(case.term_years)

    def to_data(self) -> dict:
        return dict(
            basis=self.basis.currentText(),
            start_on=date_from_field(self.start_on, "start_on"),
            decision_on=optional_date(self.decision_on, "decision_on"),
            reported_on=optional_date(self.reported_on, "reported_on"),
            facility=self.facility.text(),
            handover_notice_on=optional_date(self.handover_notice_on, "handover_notice_on"),
            term_years=self.term_years.value(),
        )

    def _on_submit(self) -> None:
        if self.case_id is not None:
            if self.run(lambda: aftercare.update_case(self.database, self.case_id, **self.to_data())):
                self.accept()
            return
        if not self.candidates:
            self.refuse(self.tr("没有待建档的重点人员（社区戒毒、社区康复或出所待接茬）"))
            return
        person = self.candidates[self.person.currentIndex()].person_id

        def create() -> None:
            self.case_id = aftercare.open_case(self.database, person, **self.to_data())

        if self.run(create):
            self.accept()


class MemberDialog(Form):
    """A new member; someone who already serves another group can be picked, as one person serves several."""

    def __init__(self, database, case_id: int, parent=None) -> None:
        super().__init__(self.tr("添加帮教小组成员"), self.tr("添加"), parent)
        self.database, self.case_id = database, case_id
        self.known = rosters.known_members(database)
        self.pick = QComboBox()
        self.pick.addItems([self.tr("（新成员）")] + [k.label for k in self.known])
        self.role = QComboBox()
        self.role.addItems([r.value for r in MemberRole])
        self.name = QLineEdit()
        self.unit = QLineEdit()
        self.phone = QLineEdit()
        self.first = QCheckBox(self.tr("第一责任人"))
        self.since = QLineEdit(dt.date.today().isoformat())
        for label, w in (
            (self.tr("已在其他小组的："), self.pick),
            (self.tr("角色："), self.role),
            (self.tr("姓名："), self.name),
            (self.tr("单位："), self.unit),
            (self.tr("电话："), self.phone),
            ("", self.first),
            (self.tr("自："), self.since),
        ):
            self.form.addRow(label, w)
        self.pick.currentIndexChanged.connect(self._picked)
        self.first_field = self.name
        self.resize(460, 300)

    def _picked(self, index: int) -> None:
        if index <= 0:
            return
        k = self.known[index - 1]
        self.role.setCurrentText(k.role)
        self.name.setText(k.name)
        self.unit.setText(k.unit)
        self.phone.setText(k.phone)

    def _on_submit(self) -> None:
        if self.run(
            lambda: aftercare.add_member(
                self.database,
                self.case_id,
                role=self.role.currentText(),
                name=self.name.text(),
                since=date_from_field(self.since, "member_since"),
                unit=self.unit.text(),
                phone=self.phone.text(),
                first_responsible=self.first.isChecked(),
            )
        ):
            self.accept()


class ReplaceMemberDialog(Form):
    """The member leaves the group on a day; who takes over, in the same role and duty, from that day."""

    def __init__(self, database, member, parent=None) -> None:
        super().__init__(self.tr("更换帮教小组成员"), self.tr("更换"), parent)
        self.database, self.member = database, member
        self.name = QLineEdit()
        self.unit = QLineEdit(member.unit)
        self.phone = QLineEdit()
        self.on = QLineEdit(dt.date.today().isoformat())
        duty = self.tr("，第一责任人") if member.first_responsible else ""
        self.form.addRow(
            self.tr("原成员："), QLineEdit(f"{member.name}（{member.role}{duty}）", readOnly=True)
        )
        for label, w in (
            (self.tr("接替人姓名："), self.name),
            (self.tr("单位："), self.unit),
            (self.tr("电话："), self.phone),
            (self.tr("更换日期："), self.on),
        ):
            self.form.addRow(label, w)
        self.first_field = self.name
        self.resize(460, 220)

    def _on_submit(self) -> None:
        if self.run(
            lambda: aftercare.replace_member(
                self.database,
                self.member.id,
                name=self.name.text(),
                unit=self.unit.text(),
                phone=self.phone.text(),
                on=date_from_field(self.on, "member_since"),
            )
        ):
            self.accept()


FIVE = {
    "thinking": "思想动态",
    "income": "收入来源",
    "contacts": "交往情况",
    "whereabouts": "活动去向",
    "behaviour": "现实表现",
}


class TalkDialog(Form):
    def __init__(self, database, case_id: int, parent=None) -> None:
        super().__init__(self.tr("记录谈话或走访"), self.tr("保存"), parent)
        self.database, self.case_id = database, case_id
        self.held_on = QLineEdit(dt.date.today().isoformat())
        self.kind = QComboBox()
        self.kind.addItems([k.value for k in TalkKind])
        self.by_whom = QLineEdit()
        _group_names(database, case_id, self.by_whom)
        self.five = {key: QLineEdit() for key in FIVE}
        self.notes = QLineEdit()
        for label, w in (
            (self.tr("日期："), self.held_on),
            (self.tr("方式："), self.kind),
            (self.tr("谈话人："), self.by_whom),
        ):
            self.form.addRow(label, w)
        for key, w in self.five.items():
            self.form.addRow(self.tr(FIVE[key]) + "：", w)
        self.form.addRow(self.tr("备注："), self.notes)
        self.first_field = self.five["thinking"] if self.by_whom.text() else self.by_whom
        self.resize(480, 380)

    def _on_submit(self) -> None:
        if self.run(
            lambda: aftercare.add_talk(
                self.database,
                self.case_id,
                held_on=date_from_field(self.held_on, "held_on"),
                kind=self.kind.currentText(),
                by_whom=self.by_whom.text(),
                notes=self.notes.text(),
                **{key: w.text() for key, w in self.five.items()},
            )
        ):
            self.accept()


class EmploymentDialog(Form):
    """就业安置: the job found, the employer, since when."""

    def __init__(self, database, case_id: int, parent=None) -> None:
        super().__init__(self.tr("登记就业安置"), self.tr("保存"), parent)
        self.database, self.case_id = database, case_id
        self.job = QLineEdit()
        self.employer = QLineEdit()
        self.since = QLineEdit(dt.date.today().isoformat())
        self.notes = QLineEdit()
        for label, w in (
            (self.tr("工作岗位："), self.job),
            (self.tr("就业单位："), self.employer),
            (self.tr("就业日期："), self.since),
            (self.tr("备注："), self.notes),
        ):
            self.form.addRow(label, w)
        self.first_field = self.job
        self.resize(440, 200)

    def _on_submit(self) -> None:
        if self.run(
            lambda: aftercare_records.add_employment(
                self.database,
                self.case_id,
                job=self.job.text(),
                employer=self.employer.text(),
                since=date_from_field(self.since, "employment_since"),
                notes=self.notes.text(),
            )
        ):
            self.accept()


PERIODS = (("上半年小结", 1), ("下半年小结", 2), ("年度评估", 0))


class ReviewDialog(Form):
    """A half-year summary or the yearly assessment, with the risk the group judges."""

    def __init__(self, database, case_id: int, parent=None) -> None:
        super().__init__(self.tr("填写小结或评估"), self.tr("保存"), parent)
        self.database, self.case_id = database, case_id
        today = dt.date.today()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.year.setSuffix(self.tr(" 年"))
        self.period = QComboBox()
        self.period.addItems([self.tr(name) for name, _ in PERIODS])
        self.period.setCurrentIndex(0 if today.month <= 6 else 1)
        self.risk = QComboBox()
        self.risk.addItems([r.value for r in RiskLevel])
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("思想、尿检、就业、家庭、交往等情况，以及下一步措施"))
        self.by_whom = QLineEdit()
        _group_names(database, case_id, self.by_whom)
        self.written_on = QLineEdit(today.isoformat())
        for label, w in (
            (self.tr("年度："), self.year),
            (self.tr("类别："), self.period),
            (self.tr("风险等级："), self.risk),
            (self.tr("内容："), self.text),
            (self.tr("填写人："), self.by_whom),
            (self.tr("填写日期："), self.written_on),
        ):
            self.form.addRow(label, w)
        self.first_field = self.text
        self.review_id: int | None = None
        self.resize(520, 420)

    def _on_submit(self) -> None:
        def save() -> None:
            self.review_id = aftercare_records.add_review(
                self.database,
                self.case_id,
                year=self.year.value(),
                half=PERIODS[self.period.currentIndex()][1],
                risk=self.risk.currentText(),
                text=self.text.toPlainText(),
                by_whom=self.by_whom.text(),
                written_on=date_from_field(self.written_on, "written_on"),
            )

        if self.run(save):
            self.accept()


class EndCaseDialog(Form):
    """解除 / 终止: the date, the paper, and the day the township received the notice."""

    def __init__(self, database, case_id: int, parent=None) -> None:
        super().__init__(self.tr("结束帮教"), self.tr("确定"), parent)
        self.database, self.case_id = database, case_id
        self.kind = QComboBox()
        self.kind.addItems(list(aftercare.END_KINDS))
        self.ended_on = QLineEdit(dt.date.today().isoformat())
        self.paper = QLineEdit()
        self.paper.setPlaceholderText(self.tr("解除（终止）社区戒毒（康复）通知书文号"))
        self.notified_on = QLineEdit(dt.date.today().isoformat())
        for label, w in (
            (self.tr("方式："), self.kind),
            (self.tr("结束日期："), self.ended_on),
            (self.tr("通知书："), self.paper),
            (self.tr("收到通知日期："), self.notified_on),
        ):
            self.form.addRow(label, w)
        self.first_field = self.paper
        self.resize(480, 220)

    def _on_submit(self) -> None:
        if self.run(
            lambda: aftercare.end_case(
                self.database,
                self.case_id,
                kind=self.kind.currentText(),
                on=date_from_field(self.ended_on, "ended_on"),
                paper=self.paper.text(),
                notified_on=date_from_field(self.notified_on, "end_notified_on"),
            )
        ):
            self.accept()


class EndJobDialog(Form):
    """The person left a job: the day; the job stays in the record."""

    def __init__(self, database, job, parent=None) -> None:
        super().__init__(self.tr("离职"), self.tr("确定"), parent)
        self.database, self.job = database, job
        self.until = QLineEdit(dt.date.today().isoformat())
        self.form.addRow(self.tr("工作："), QLineEdit(f"{job.job}（{job.employer}）", readOnly=True))
        self.form.addRow(self.tr("离职日期："), self.until)
        self.first_field = self.until

    def _on_submit(self) -> None:
        if self.run(
            lambda: aftercare_records.end_employment(
                self.database, self.job.id, until=date_from_field(self.until, "employment_until")
            )
        ):
            self.accept()
