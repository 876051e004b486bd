"""居民登记表: add or correct one resident. Layout here; the rules are the service's, mapped onto the fields.

Sex and birth date are never typed: they are read off the ID number as it is typed. A likely duplicate (same name
and birth date in the same village) is a question, not a refusal.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
)

from desktop import messages
from desktop.errors import DomainError, Problem, ValidationFailed
from desktop.models.enums import Relation, ResidenceType
from desktop.models.idnumber import IdNumberError, parse
from desktop.services import people
from desktop.services.people_excel import parse_date
from desktop.views.errors import show_error

ERROR_STYLE = "border: 1px solid #c62828;"


class ResidentDialog(QDialog):
    def __init__(self, database, person_id: int | None = None, parent=None) -> None:
        super().__init__(parent)
        self.database, self.person_id = database, person_id
        self.saved_id: int | None = None
        self.setWindowTitle(self.tr("修改居民登记") if person_id else self.tr("新增居民"))
        self.options = people.household_options(database)
        self.village = QComboBox()
        self.village.addItems(list(self.options))
        self.group = QComboBox()
        self.household_number = QLineEdit()
        self.household_number.setPlaceholderText(self.tr("输入户号，本组已有的户会列出"))
        self.households: list[tuple[str, str]] = []
        self.household_completer = QCompleter([], self)
        self.household_completer.setCaseSensitivity(Qt.CaseInsensitive)
        self.household_number.setCompleter(self.household_completer)
        self.household_hint = QLabel()
        self.household_hint.setStyleSheet("color: #555;")
        self.address = QLineEdit()
        self.name = QLineEdit()
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(24)
        self.derived = QLabel()
        self.derived.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        self.relation = QComboBox()
        self.relation.addItems([r.value for r in Relation])
        self.residence_type = QComboBox()
        self.residence_type.addItems([r.value for r in ResidenceType])
        self.work_away_place = QLineEdit()
        self.phone = QLineEdit()
        self.registered_on = QLineEdit()
        self.registered_on.setPlaceholderText("2026-01-05")
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        self.fields = {
            "village": self.village,
            "group": self.group,
            "household_number": self.household_number,
            "address": self.address,
            "name": self.name,
            "id_number": self.id_number,
            "relation": self.relation,
            "residence_type": self.residence_type,
            "work_away_place": self.work_away_place,
            "phone": self.phone,
            "registered_on": self.registered_on,
        }
        form = QFormLayout()
        for label, widget in (
            (self.tr("村（社区）(&V)："), self.village),
            (self.tr("小组(&G)："), self.group),
            (self.tr("户号(&H)："), self.household_number),
            ("", self.household_hint),
            (self.tr("住址："), self.address),
            (self.tr("姓名(&N)："), self.name),
            (self.tr("身份证号码(&I)："), self.id_number),
            ("", self.derived),
            (self.tr("与户主关系："), self.relation),
            (self.tr("居住类型(&T)："), self.residence_type),
            (self.tr("外出务工地点："), self.work_away_place),
            (self.tr("联系电话(&P)："), self.phone),
            (self.tr("登记日期："), self.registered_on),
            (self.tr("备注："), self.notes),
        ):
            form.addRow(label, widget)
        self.message = QLabel()
        self.message.setStyleSheet("color: #a61b1b;")
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText(self.tr("保存(&S)"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self._on_submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.village.currentTextChanged.connect(self._fill_groups)
        self.group.currentTextChanged.connect(self._fill_households)
        self.household_number.textChanged.connect(self._household_hint)
        self.residence_type.currentTextChanged.connect(self._away_enabled)
        self.id_number.textChanged.connect(self._show_derived)
        self._fill_groups(self.village.currentText())
        self._away_enabled(self.residence_type.currentText())
        if person_id is not None:
            self.load(people.get_resident(database, person_id).draft)
        self.resize(520, 560)

    # --- data in and out -------------------------------------------------------------------------------------
    def load(self, d: people.ResidentDraft) -> None:
        self.village.setCurrentText(d.village)
        self._fill_groups(d.village)
        self.group.setCurrentText(d.group)
        for name in ("household_number", "address", "name", "id_number", "work_away_place", "phone"):
            self.fields[name].setText(getattr(d, name))
        self.relation.setCurrentText(d.relation)
        self.residence_type.setCurrentText(d.residence_type)
        self.registered_on.setText(d.registered_on.isoformat() if d.registered_on else "")
        self.notes.setPlainText(d.notes)

    def to_data(self) -> people.ResidentDraft:
        try:
            registered_on = parse_date(self.registered_on.text().strip())
        except ValueError:
            problem = Problem("registered_on", "date_format", {"value": self.registered_on.text()})
            raise ValidationFailed([problem]) from None
        return people.ResidentDraft(
            village=self.village.currentText(),
            group=self.group.currentText(),
            household_number=self.household_number.text(),
            address=self.address.text(),
            name=self.name.text(),
            id_number=self.id_number.text(),
            relation=self.relation.currentText(),
            residence_type=self.residence_type.currentText(),
            work_away_place=self.work_away_place.text(),
            phone=self.phone.text(),
            notes=self.notes.toPlainText(),
            registered_on=registered_on,
        )

    # --- behaviour -------------------------------------------------------------------------------------------
    def _fill_groups(self, village: str) -> None:
        current = self.group.currentText()
        self.group.clear()
        self.group.addItems(self.options.get(village, []))
        if current:
            self.group.setCurrentText(current)

    def _fill_households(self, group: str) -> None:
        """The group's households, offered as the clerk types a 户号 (so "8" is not typed beside "000008")."""
        self.households = people.households_of_group(
            self.database, village=self.village.currentText(), group=group
        )
        self.household_completer.model().setStringList([n for n, _ in self.households])
        self._household_hint(self.household_number.text())

    def _household_hint(self, text: str) -> None:
        key = people.household_key(text.strip()) if text.strip() else None
        match = next((h for h in self.households if key and people.household_key(h[0]) == key), None)
        if match is None:
            self.household_hint.setText(self.tr("本组新的一户") if key else "")
            return
        self.household_hint.setText(self.tr("本组已有此户：{0}　{1}").format(match[0], match[1]))
        if not self.address.text().strip():
            self.address.setText(match[1])

    def _away_enabled(self, residence: str) -> None:
        self.work_away_place.setEnabled(residence == ResidenceType.WORKING_AWAY.value)

    def _show_derived(self, text: str) -> None:
        if not text.strip():
            self.derived.setText("")
            return
        try:
            info = parse(text)
        except IdNumberError as exc:
            self.derived.setText(f"<span style='color:#a61b1b'>{messages.ID_REASONS[exc.reason]}</span>")
            return
        age = (dt.date.today() - info.birth_date).days // 365
        self.derived.setText(
            self.tr("{0}，{1}年{2}月{3}日出生，{4}岁").format(
                info.sex.value, info.birth_date.year, info.birth_date.month, info.birth_date.day, age
            )
        )

    def show_problems(self, problems: list[Problem]) -> None:
        bad = {p.field for p in problems}
        for name, widget in self.fields.items():
            widget.setStyleSheet(ERROR_STYLE if name in bad else "")
        self.message.setText("\n".join(self._describe(p) for p in problems))
        self.message.setVisible(bool(problems))
        first = next((self.fields[p.field] for p in problems if p.field in self.fields), None)
        if first is not None:
            first.setFocus()

    @staticmethod
    def _describe(p: Problem) -> str:
        return messages.describe_problem(p)

    def _on_submit(self) -> None:
        try:
            draft = self.to_data()
            if self.person_id is None:
                self.saved_id = self._add(draft)
                if self.saved_id is None:
                    return
            else:
                people.update_resident(self.database, self.person_id, draft)
                self.saved_id = self.person_id
        except ValidationFailed as exc:
            self.show_problems(list(exc.problems))
            return
        except DomainError as exc:
            show_error(self, exc)
            return
        self.accept()

    def _add(self, draft: people.ResidentDraft) -> int | None:
        if self._id_ok(draft.id_number):
            birth = parse(draft.id_number).birth_date
            same = people.likely_duplicates(
                self.database, draft.name.strip(), birth, self._village_id(draft.village)
            )
            if (
                same
                and QMessageBox.question(
                    self,
                    self.tr("可能重复"),
                    self.tr("{0}已有同名、同出生日期的居民（{1}人）。确定是另一个人，仍要登记吗？").format(
                        draft.village, len(same)
                    ),
                )
                != QMessageBox.Yes
            ):
                return None
        return people.add_resident(self.database, draft)

    @staticmethod
    def _id_ok(text: str) -> bool:
        try:
            parse(text)
        except IdNumberError:
            return False
        return True

    def _village_id(self, name: str) -> int:
        from desktop.services import residents

        return next((vid for vid, vname in residents.villages(self.database) if vname == name), -1)
