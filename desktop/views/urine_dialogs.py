"""The small forms of the 尿检通知 tab: a delivery, a result (with the status entry a warning proposes, for the
clerk to confirm), voiding, and 设置 → 尿检规则. Each calls one service; a refusal stays in the form, in red."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QSpinBox, QWidget

from desktop.models.enums import DeliveryHow, MissedAction, UrineResult
from desktop.services import aftercare, key_persons, urine, urine_rules
from desktop.views.forms import Form, date_from_field


class DeliveryForm(Form):
    """登记送达: when, how (当面 / 电话 / 家属代收) and who delivered it."""

    def __init__(
        self, database, notice_id: int, number: str, parent=None, today: dt.date | None = None
    ) -> None:
        super().__init__(self.tr("登记送达 — {0}").format(number), self.tr("登记"), parent)
        self.database, self.notice_id, self.today = database, notice_id, today
        self.on = QLineEdit((today or dt.date.today()).isoformat())
        self.how = QComboBox()
        self.how.addItems([h.value for h in DeliveryHow])
        self.by = QLineEdit()
        self.by.setPlaceholderText(self.tr("送达人姓名"))
        self.form.addRow(self.tr("送达日期："), self.on)
        self.form.addRow(self.tr("送达方式："), self.how)
        self.form.addRow(self.tr("送达人："), self.by)
        self.first_field = self.by

    def _on_submit(self) -> None:
        def save() -> None:
            urine.deliver(self.database, self.notice_id, on=date_from_field(self.on, "delivered_on"),
                          how=self.how.currentText(), by=self.by.text(), today=self.today)  # fmt: skip

        if self.run(save):
            self.accept()


class MissedForm(Form):
    """登记逾期未检: a test whose window closed with no notice, and what was done about it (已告诫, 未通知到 with
    why, 其他 with why). It stays a test not done in 尿检率."""

    def __init__(self, database, row, parent=None, today: dt.date | None = None) -> None:
        super().__init__(
            self.tr("登记逾期未检 — {0}（{1} 至 {2}）").format(
                row.name, row.due_on.isoformat(), row.window_to.isoformat()
            ),
            self.tr("登记"),
            parent,
        )
        self.database, self.row, self.today = database, row, today
        self.action = QComboBox()
        self.action.addItems([a.value for a in MissedAction])
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("未通知到或其他时必填，如 电话停机、本人外出务工未归"))
        self.reason.setMinimumWidth(360)
        self.form.addRow(self.tr("处理情况："), self.action)
        self.form.addRow(self.tr("未检原因："), self.reason)
        self.first_field = self.action

    def _on_submit(self) -> None:
        def save() -> None:
            urine.record_missed(self.database, self.row.case_id, self.row.due_on, action=self.action.currentText(),
                                reason=self.reason.text(), today=self.today)  # fmt: skip

        if self.run(save):
            self.accept()


class ResultForm(Form):
    """登记检测结果. A 阳性, 拒检 or 未到 then proposes the status entry; the clerk decides."""

    def __init__(
        self, database, notice_id: int, number: str, parent=None, today: dt.date | None = None
    ) -> None:
        super().__init__(self.tr("登记检测结果 — {0}").format(number), self.tr("登记"), parent)
        self.database, self.notice_id, self.today = database, notice_id, today
        self.proposal: urine.Proposal | None = None
        self.tested_on: dt.date | None = None
        self.on = QLineEdit((today or dt.date.today()).isoformat())
        self.outcome = QComboBox()
        self.outcome.addItems([r.value for r in UrineResult])
        self.tester = QLineEdit()
        self.tester.setPlaceholderText(self.tr("检测人（未到时可不填）"))
        self.unit = QLineEdit()
        self.unit.setPlaceholderText(self.tr("检测单位，如 严塘派出所"))
        self.form.addRow(self.tr("检测日期："), self.on)
        self.form.addRow(self.tr("结果："), self.outcome)
        self.form.addRow(self.tr("检测人："), self.tester)
        self.form.addRow(self.tr("检测单位："), self.unit)
        self.first_field = self.outcome

    def _on_submit(self) -> None:
        def save() -> None:
            self.tested_on = date_from_field(self.on, "tested_on")
            self.proposal = urine.record_result(
                self.database, self.notice_id, on=self.tested_on,
                result=self.outcome.currentText(), tester=self.tester.text(), unit=self.unit.text(), today=self.today,
            )  # fmt: skip

        if self.run(save):
            self.accept()


class CorrectionForm(Form):
    """更正: a recorded step's value, with the reason; the service keeps what it replaced, dated."""

    FIELDS = {
        "送达日期": "delivered_on",
        "送达方式": "delivered_how",
        "送达人": "delivered_by",
        "检测日期": "tested_on",
        "检测结果": "result",
        "检测人": "tester",
        "检测单位": "test_unit",
    }

    def __init__(
        self, database, notice_id: int, number: str, parent=None, today: dt.date | None = None
    ) -> None:
        super().__init__(self.tr("更正 — {0}").format(number), self.tr("更正"), parent)
        self.database, self.notice_id, self.today = database, notice_id, today
        self.field = QComboBox()
        self.field.addItems(list(self.FIELDS))
        self.value = QLineEdit()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("为什么更正，例如：录入时看错了日期"))
        hint = QLabel(
            self.tr(
                "日期写成 2026-11-05；送达方式：当面、电话或家属代收；结果：阴性、阳性、拒检或未到。"
                "原来的值和更正原因都会保留。"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.form.addRow(self.tr("要更正的项目："), self.field)
        self.form.addRow(self.tr("改为："), self.value)
        self.form.addRow(self.tr("更正原因："), self.reason)
        self.form.addRow(hint)
        self.first_field = self.field
        self.setMinimumWidth(520)  # the hint reads on two lines, not squeezed into a narrow form

    def _on_submit(self) -> None:
        field = self.FIELDS[self.field.currentText()]

        def save() -> None:
            value = date_from_field(self.value, field) if field.endswith("_on") else self.value.text().strip()
            urine.correct(self.database, self.notice_id, field=field, value=value, reason=self.reason.text(),
                          today=self.today)  # fmt: skip

        if self.run(save):
            self.accept()


def confirm_proposal(parent, database, case_id: int, proposal: urine.Proposal, on: dt.date) -> bool:
    """复吸预警: offer the status entry the result suggests; written only when the clerk says so."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Warning)
    box.setWindowTitle(parent.tr("复吸预警"))
    box.setText(
        parent.tr(
            "{0}\n\n是否在此人的重点人员档案中登记涉毒状态“{1}”（{2}起）？\n不登记也可以，稍后在档案中处理。"
        ).format(proposal.reason, proposal.status, on.isoformat())
    )
    yes = box.addButton(parent.tr("登记状态"), QMessageBox.AcceptRole)
    box.addButton(parent.tr("暂不登记"), QMessageBox.RejectRole)
    box.exec()
    if box.clickedButton() is not yes:
        return False
    person_id = aftercare.case_header(database, case_id).person_id
    key_persons.add_status(database, person_id, proposal.status, on, proposal.reason)
    return True


class UrineRulesDialog(Form):
    """设置 → 尿检规则: the interval by year of the term for each basis, and where the tests are done."""

    YEARS = 3

    def __init__(self, database, parent=None) -> None:
        super().__init__(self.tr("尿检规则"), self.tr("保存"), parent)
        self.database = database
        current = urine_rules.rules(database)
        self.spins: dict[str, list[QSpinBox]] = {}
        for basis in urine_rules.SCHEDULED:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            spins = []
            for year in range(1, self.YEARS + 1):
                spin = QSpinBox()
                spin.setRange(1, urine_rules.MAX_INTERVAL)
                spin.setPrefix(self.tr("第{0}年 每").format(year))
                spin.setSuffix(self.tr(" 个月"))
                months = current[basis]
                spin.setValue(months[min(year, len(months)) - 1])
                line.addWidget(spin)
                spins.append(spin)
            self.spins[basis] = spins
            self.form.addRow(self.tr("{0}：").format(basis), row)
        info = database.township()
        self.place = QLineEdit(_place(database))
        self.place.setPlaceholderText(self.tr("{0}派出所").format(info.township_name if info else ""))
        self.form.addRow(self.tr("检测地点："), self.place)
        note = QLabel(
            self.tr(
                "首次尿检在报到后的次月1日；此后按所在年度的间隔。修改只影响尚未开具的通知书，"
                "已开具的通知书保持原定的检测期限。"
            )
        )
        note.setWordWrap(True)
        self.form.addRow(note)
        self.first_field = self.spins[urine_rules.SCHEDULED[0]][0]

    def _on_submit(self) -> None:
        from desktop.services import township

        def save() -> None:
            urine_rules.set_rules(
                self.database, {b: tuple(s.value() for s in spins) for b, spins in self.spins.items()}
            )
            township.set_urine_place(self.database, self.place.text())

        if self.run(save):
            self.accept()


def _place(database) -> str:
    from desktop.services import township

    return township.urine_place(database)
