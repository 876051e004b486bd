"""The 帮教小组 tab: open cases, worst first, overdue deadlines and missing talks in red, the 帮教率, a start-up
reminder of who is overdue; ended cases on request, greyed. A few hundred cases at most per township: a short
list, so a ListTableModel, searched in memory."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox

from desktop.errors import DomainError
from desktop.services.auth import Permission
from desktop.views.errors import show_error
from desktop.views.registers import RegisterSpec, tr
from desktop.views.tables import ListTableModel

if TYPE_CHECKING:  # the services load after the log-in window, not when the window module is imported
    from desktop.services import aftercare_register

WARNING = QColor("#a61b1b")
ENDED = QColor("#888888")


def spec() -> RegisterSpec:
    return RegisterSpec(
        "aftercare",
        tr("帮教小组"),
        (
            tr("帮教对象"),
            tr("身份证号码"),
            tr("帮教依据"),
            tr("起始日期"),
            tr("期限至"),
            tr("第一责任人"),
            tr("小组成员"),
            tr("最近谈话"),
            tr("期限提醒"),
        ),
        tr("帮教小组：出所人员和社区戒毒（康复）人员的帮教小组、谈心记录和接茬期限。"),
        tr(
            "还没有帮教对象。先在“排查登记”中为此人建立“重点人员档案”，涉毒状态记为社区戒毒、社区康复"
            "或出所待接茬；然后点上方的“新建帮教对象”。"
        ),
    )


class CasesTableModel(ListTableModel):
    HEADERS = (
        "帮教对象",
        "身份证号码",
        "帮教依据",
        "起始日期",
        "期限至",
        "第一责任人",
        "小组成员",
        "最近谈话",
        "期限提醒",
    )
    width_samples = (
        "欧阳晓明明",
        "430522********123X",
        "社区康复",
        "2026-11-29",
        "2026-11-29",
        "欧阳晓明",
        "社区民警王某、村（社区）干部李某、家庭成员/监护人钱某",
        "2026-11-29",
        "帮教小组未落实；谈话逾期",
    )

    all_rows: list = []  # everything loaded; `rows` is what the search shows

    def cells(self, r: aftercare_register.CaseRow) -> tuple:
        return (
            r.name,
            r.id_number_masked,
            r.basis,
            r.start_on.isoformat(),
            r.term_end.isoformat(),
            r.first_responsible,
            r.members,
            r.last_talk.isoformat() if r.last_talk else self.tr("无"),
            self.tr("已结束：{0}").format(r.ended) if r.ended else r.warnings,
        )

    def tooltip(self, r, column: int):
        return r.members if column == 6 else None

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.ForegroundRole and index.isValid():
            row = self.rows[index.row()]
            return ENDED if row.ended else WARNING if row.flags else None
        return super().data(index, role)


def load(window) -> None:
    """Fill the tab (after the window is shown) and put the start-up reminder in the status bar."""
    tab = window.tab("aftercare")
    database = window.db
    if not hasattr(window, "new_case_button"):
        install_controls(window)

    include_ended = window.show_ended.isChecked()
    today = getattr(window, "urine_today", dt.date.today)()

    def fetch(progress, cancelled):
        from desktop.services import aftercare_register, assessment_targets, urine_register

        listed = aftercare_register.case_rows(database, include_ended=include_ended)
        target = assessment_targets.plan(database, today.year).target("aftercare_rate")
        away = aftercare_register.managed_elsewhere(database, today)
        return listed, urine_register.overdue_count(database, today=today), target, away

    def shown(result) -> None:
        if database is not window.db:
            return
        listed, notices_overdue, target, away = result
        rows = [r for r in listed if not r.ended]  # the figures count open cases only
        model = tab.model if isinstance(tab.model, CasesTableModel) else CasesTableModel(window)
        model.all_rows = listed
        model.set_rows(matching(listed, window.case_search.text()))
        from desktop.services.aftercare_register import rate_of

        counted = rate_of(listed, today, away)  # the one 帮教率 (the 考核 tab's)
        overdue = sum(1 for r in rows if r.deadline_overdue)
        tab.show_rows(
            model,
            window.tr("在帮教 {0} 人，帮教落实 {1} 人，帮教率 {2}（目标≥{3:g}%）；期限逾期 {4} 人").format(
                counted.denominator, counted.numerator, counted.text(), target, overdue
            ),
        )
        if overdue or notices_overdue:
            words = [window.tr("{0} 名帮教对象的期限已逾期，见“帮教小组”").format(overdue)] if overdue else []
            if notices_overdue:
                words.append(window.tr("{0} 份尿检通知书逾期未检，见“尿检通知”").format(notices_overdue))
            window.statusBar().showMessage(window.tr("提醒：") + "；".join(words), 60_000)
            if getattr(window, "reminded", None) is not database:  # once per log-in, not on every refresh
                window.reminded = database
                remind(window, rows, notices_overdue)

    window.runner.run(
        fetch,
        on_done=shown,
        on_error=lambda exc: show_error(window, exc),
        writes=False,
    )


def matching(rows: list[aftercare_register.CaseRow], text: str) -> list[aftercare_register.CaseRow]:
    """The cases whose person, group members or ID number's visible digits contain `text` (a few hundred rows
    at most: filtered in memory)."""
    text = text.strip()
    if not text:
        return rows
    return [r for r in rows if text in r.name or text in r.members or text in r.id_number_masked]


def search(window) -> None:
    model = window.tab("aftercare").model
    if isinstance(model, CasesTableModel):
        model.set_rows(matching(model.all_rows, window.case_search.text()))


def remind(window, rows: list[aftercare_register.CaseRow], notices_overdue: int = 0) -> None:
    """The start-up reminder: who is overdue and for what, and the urine-test notices past their window, in a
    box that does not block the window. Not on a township's records viewed at the county (the status bar says it)."""
    if not getattr(window, "shows_reminder", True):
        return
    deadline = [r for r in rows if r.deadline_overdue]
    lines = [f"{r.name}：{r.warnings}" for r in deadline[:12]]
    if len(deadline) > len(lines):
        lines.append(window.tr("……等 {0} 人").format(len(deadline)))
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Warning)
    box.setWindowTitle(window.tr("期限提醒"))
    text = window.tr("有 {0} 名帮教对象的期限已逾期，请尽快处理：").format(len(deadline)) if deadline else ""
    if notices_overdue:
        tests = window.tr("有 {0} 份尿检通知书已过检测期限而没有结果。").format(notices_overdue)
        text = f"{text}\n{tests}" if text else tests
        box.addButton(window.tr("查看尿检通知(&U)"), QMessageBox.ActionRole).clicked.connect(
            lambda: window.tabs.setCurrentWidget(window.tab("tests"))
        )
    box.setText(text)
    box.setInformativeText("\n".join(lines))
    look = box.addButton(window.tr("查看帮教小组(&V)"), QMessageBox.AcceptRole)
    box.addButton(window.tr("稍后(&L)"), QMessageBox.RejectRole)
    box.setDefaultButton(look)
    box.setModal(False)
    look.clicked.connect(lambda: window.tabs.setCurrentIndex(1))
    window.reminder = box
    box.show()


def install_controls(window) -> None:
    """The tab's buttons (once): open a case for a key person, the rosters, the group roster to print;
    double-click (or Enter on) a case to work on it."""
    from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

    tab = window.tab("aftercare")
    bar = QWidget()
    row = QHBoxLayout(bar)
    row.setContentsMargins(0, 0, 0, 0)
    window.new_case_button = QPushButton(window.tr("新建帮教对象(&B)…"))
    window.rosters_button = QPushButton(window.tr("毒情信息员、禁毒宣传员名册(&M)…"))
    window.group_roster_button = QPushButton(window.tr("打印帮教小组成员名册(&Z)"))
    window.show_ended = QCheckBox(window.tr("显示已结束的帮教对象(&J)"))
    window.case_search = QLineEdit()
    window.case_search.setPlaceholderText(window.tr("搜索：帮教对象或小组成员的姓名，身份证号码后几位"))
    window.case_search.setClearButtonEnabled(True)
    window.case_search.textChanged.connect(lambda _text: search(window))
    for button in (window.new_case_button, window.rosters_button, window.group_roster_button):
        row.addWidget(button)
    row.addWidget(window.case_search, 1)
    row.addWidget(window.show_ended)
    window.show_ended.toggled.connect(lambda _checked: load(window))
    tab.layout().insertWidget(0, bar)
    window.new_case_button.clicked.connect(lambda: new_case(window))
    # enabled by role, like the menus, and again whenever the window switches database
    window.role_actions.setdefault(Permission.WRITE, []).append(window.new_case_button)
    window.role_actions.setdefault(Permission.PRINT, []).append(window.group_roster_button)
    window.refresh_status()
    window.rosters_button.clicked.connect(lambda: show_rosters(window))
    window.group_roster_button.clicked.connect(window.print_group_roster)
    tab.view.doubleClicked.connect(lambda index: open_case(window, index.row()))
    tab.view.activated.connect(lambda index: open_case(window, index.row()))


def new_case(window) -> None:
    from desktop.services import township
    from desktop.views.case_forms import CaseForm

    try:
        term = township.aftercare_rules(window.db).term_years
        form = CaseForm(window.db, window, term_years=term)
    except DomainError as exc:
        show_error(window, exc)
        return
    if not form.candidates:
        QMessageBox.information(
            window,
            window.tr("新建帮教对象"),
            window.tr(
                "现在没有可以新建帮教的人员。\n\n帮教对象来自重点人员档案：先在“排查登记”中选中此人，"
                "点“重点人员档案”，把涉毒状态记为社区戒毒、社区康复或出所待接茬；已有未结束帮教的人员不再列出。"
                "然后回到这里点“新建帮教对象”。"
            ),
        )
        return
    if form.exec():
        load(window)
        show_case(window, form.case_id, form.candidates[form.person.currentIndex()].name)


def open_case(window, row: int) -> None:
    model = window.tab("aftercare").model
    if isinstance(model, CasesTableModel) and 0 <= row < model.rowCount():
        r = model.rows[row]
        show_case(window, r.case_id, r.name)


def show_case(window, case_id: int, name: str) -> None:
    from desktop.views.case_dialog import CaseDialog

    CaseDialog(window.db, case_id, name, window, data_dir=window.data_dir).exec()
    load(window)


def show_rosters(window) -> None:
    from desktop.views.rosters_dialog import RostersDialog

    try:
        dialog = RostersDialog(window.db, window, data_dir=window.data_dir)
    except DomainError as exc:
        show_error(window, exc)
        return
    dialog.exec()
