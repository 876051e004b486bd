"""帮教档案 of one case: its deadlines, its group (add a member, replace one, who served when) and its talks."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from desktop.models.enums import MemberRole, TalkKind
from desktop.services import aftercare
from desktop.views.forms import Form, close_buttons, date_from_field
from desktop.views.tables import ListTableModel, read_only_table

DEADLINE_NAMES = {
    "report": "报到（决定后15日内）",
    "group": "成立帮教小组（接到出所通知时）",
    "end_notice": "期满通知（期满后7日内）",
}


class MembersTableModel(ListTableModel):
    HEADERS = ("角色", "姓名", "单位", "电话", "第一责任人", "自", "至")

    def cells(self, m) -> tuple:
        return (
            m.role,
            m.name,
            m.unit,
            m.phone,
            "是" if m.first_responsible else "",
            m.since.isoformat(),
            m.until.isoformat() if m.until else "",
        )


class TalksTableModel(ListTableModel):
    HEADERS = ("日期", "方式", "谈话人", "思想动态", "收入来源", "交往", "去向", "表现")

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
        )


class MemberDialog(Form):
    def __init__(self, database, case_id: int, parent=None) -> None:
        super().__init__(self.tr("添加帮教小组成员"), self.tr("添加"), parent)
        self.database, self.case_id = database, case_id
        self.role = QComboBox()
        self.role.addItems([r.value for r in MemberRole])
        self.name = QLineEdit()
        self.unit = QLineEdit()
        self.phone = QLineEdit()
        self.first = QCheckBox(self.tr("第一责任人"))
        self.since = QLineEdit(dt.date.today().isoformat())
        for label, w in (
            (self.tr("角色："), self.role),
            (self.tr("姓名："), self.name),
            (self.tr("单位："), self.unit),
            (self.tr("电话："), self.phone),
            ("", self.first),
            (self.tr("自："), self.since),
        ):
            self.form.addRow(label, w)
        self.first_field = self.name

    def _on_submit(self) -> None:
        if self.run(
            lambda: aftercare.add_member(
                self.database,
                self.case_id,
                role=self.role.currentText(),
                name=self.name.text(),
                since=date_from_field(self.since, "since"),
                unit=self.unit.text(),
                phone=self.phone.text(),
                first_responsible=self.first.isChecked(),
            )
        ):
            self.accept()


class TalkDialog(Form):
    def __init__(self, database, case_id: int, parent=None) -> None:
        super().__init__(self.tr("记录谈话或走访"), self.tr("保存"), parent)
        self.database, self.case_id = database, case_id
        self.held_on = QLineEdit(dt.date.today().isoformat())
        self.kind = QComboBox()
        self.kind.addItems([k.value for k in TalkKind])
        self.by_whom = QLineEdit()
        self.five = {
            key: QLineEdit() for key in ("thinking", "income", "contacts", "whereabouts", "behaviour")
        }
        self.notes = QLineEdit()
        labels = {
            "thinking": "思想动态",
            "income": "收入来源",
            "contacts": "交往情况",
            "whereabouts": "去向",
            "behaviour": "现实表现",
        }
        for label, w in (
            (self.tr("日期："), self.held_on),
            (self.tr("方式："), self.kind),
            (self.tr("谈话人："), self.by_whom),
        ):
            self.form.addRow(label, w)
        for key, w in self.five.items():
            self.form.addRow(self.tr(labels[key]) + "：", w)
        self.form.addRow(self.tr("备注："), self.notes)
        self.first_field = self.by_whom
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


class CaseDialog(QDialog):
    def __init__(self, database, case_id: int, name: str, parent=None) -> None:
        super().__init__(parent)
        self.database, self.case_id = database, case_id
        self.setWindowTitle(self.tr("帮教档案 — {0}").format(name))
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.members = MembersTableModel(self)
        self.members_view = read_only_table(self.members)
        self.add_member_button = QPushButton(self.tr("添加成员(&A)…"))
        self.replace_button = QPushButton(self.tr("更换所选成员(&R)…"))
        self.talks = TalksTableModel(self)
        self.talks_view = read_only_table(self.talks)
        self.add_talk_button = QPushButton(self.tr("记录谈话(&T)…"))
        self.end_button = QPushButton(self.tr("结束帮教（解除/终止）(&E)…"))
        close = close_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(QLabel(self.tr("帮教小组（三帮一 / 五位一体）：")))
        layout.addWidget(self.members_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_member_button)
        row.addWidget(self.replace_button)
        row.addStretch()
        layout.addLayout(row)
        layout.addWidget(QLabel(self.tr("谈心、家访、电话记录：")))
        layout.addWidget(self.talks_view, 1)
        row2 = QHBoxLayout()
        row2.addWidget(self.add_talk_button)
        row2.addStretch()
        row2.addWidget(self.end_button)
        layout.addLayout(row2)
        layout.addWidget(close)
        self.add_member_button.clicked.connect(self.add_member)
        self.replace_button.clicked.connect(self.replace_member)
        self.add_talk_button.clicked.connect(self.add_talk)
        self.end_button.clicked.connect(self.end_case)
        self.resize(900, 620)
        self.refresh()

    def refresh(self) -> None:
        today = dt.date.today()
        st = aftercare.state(self.database, self.case_id, today=today)
        case = aftercare.case_header(self.database, self.case_id)
        lines = [
            self.tr("帮教依据：{0}　起始：{1}　期限至：{2}　帮教落实：{3}").format(
                st.basis, case.start_on.isoformat(), st.term_end.isoformat(), "是" if st.implemented else "否"
            )
        ]
        for d in aftercare.deadlines(case):
            done = (
                self.tr("已办（{0}）").format(d.done_on.isoformat())
                if d.done_on
                else (
                    "<span style='color:#a61b1b'>" + self.tr("已逾期") + "</span>"
                    if d.overdue(today)
                    else self.tr("未到期")
                )
            )
            lines.append(f"{DEADLINE_NAMES[d.kind]}：{d.due.isoformat()}　{done}")
        if st.talk_overdue:
            lines.append("<span style='color:#a61b1b'>" + self.tr("超过规定间隔未谈话") + "</span>")
        self.header.setText("<br>".join(lines))
        self.members.set_rows(st.members)
        self.talks.set_rows(aftercare.talks(self.database, self.case_id))
        for view in (self.members_view, self.talks_view):
            view.resizeColumnsToContents()

    def add_member(self) -> None:
        if MemberDialog(self.database, self.case_id, self).exec():
            self.refresh()

    def replace_member(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        index = self.members_view.currentIndex()
        if not index.isValid():
            return
        member = self.members.rows[index.row()]
        name, ok = QInputDialog.getText(
            self, self.tr("更换成员"), self.tr("接替{0}（{1}）的人：").format(member.name, member.role)
        )
        if ok:
            form = Form(self.tr("更换成员"), self.tr("确定"), self)
            if form.run(
                lambda: aftercare.replace_member(self.database, member.id, name=name, on=dt.date.today())
            ):
                self.refresh()
            else:
                form.exec()

    def add_talk(self) -> None:
        if TalkDialog(self.database, self.case_id, self).exec():
            self.refresh()

    def end_case(self) -> None:
        if EndCaseDialog(self.database, self.case_id, self).exec():
            self.accept()  # the case leaves the open register; its record stays
