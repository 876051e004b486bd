"""设置 → 帮教规则: which roles make a group 帮教落实, how often a case needs a talk, the default term.
The county sets these; they vary between counties, so the office can follow its own."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QSpinBox, QVBoxLayout, QWidget

from desktop.models.enums import MemberRole
from desktop.services import township
from desktop.views.forms import Form


class AftercareRulesDialog(Form):
    def __init__(self, database, parent=None) -> None:
        super().__init__(self.tr("帮教规则"), self.tr("保存"), parent)
        self.database = database
        rules = township.aftercare_rules(database)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        self.roles = {}
        for role in MemberRole:
            check = QCheckBox(role.value)
            check.setChecked(role.value in rules.required_roles)
            column.addWidget(check)
            self.roles[role.value] = check
        self.interval = QSpinBox()
        self.interval.setRange(1, 365)
        self.interval.setSuffix(self.tr(" 天"))
        self.interval.setValue(rules.talk_interval_days)
        self.term = QSpinBox()
        self.term.setRange(1, 10)
        self.term.setSuffix(self.tr(" 年"))
        self.term.setValue(rules.term_years)
        self.form.addRow(self.tr("帮教落实须有："), box)
        self.form.addRow(self.tr("谈话间隔不超过："), self.interval)
        self.form.addRow(self.tr("新建帮教对象的期限："), self.term)
        note = QLabel(
            self.tr(
                "小组有以上全部成员、且有一名第一责任人，才计为“帮教落实”（帮教率）。按县禁毒办的规定勾选。"
            )
        )
        note.setWordWrap(True)
        self.form.addRow(note)
        self.first_field = next(iter(self.roles.values()))

    def _on_submit(self) -> None:
        rules = township.AftercareRules(
            tuple(role for role, check in self.roles.items() if check.isChecked()),
            self.interval.value(),
            self.term.value(),
        )
        if self.run(lambda: township.set_aftercare_rules(self.database, rules)):
            self.accept()
