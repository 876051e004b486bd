"""The 尿检通知 tab: the tests due (this week, this month, overdue) to issue notices for, the notices with their
steps, overdue ones in red, 尿检率 over the list with its numerator and denominator, and a scan field a USB
barcode scanner types returned receipts into (F6). A township has a few hundred notices a year: short lists,
ListTableModels."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DomainError
from desktop.models.enums import DeliveryHow
from desktop.services.auth import Permission
from desktop.views import tab_rows
from desktop.views.errors import show_error
from desktop.views.registers import RegisterSpec, tr
from desktop.views.scan_field import ScanField
from desktop.views.tables import ListTableModel

RED = QColor("#a61b1b")
MODES = ("本周到期、待开具", "本月到期、待开具", "逾期未检", "未完成的通知书", "全部通知书")
DUE_MODES = 3
NOT_SAID = "未注明"  # a receipt that does not say how it was delivered
MISSED_MODE = 2  # tests whose window closed with no notice: recorded as missed, never issued
PERIODS = ("本年", "本季度", "本月", "上月")  # the period 尿检率 is shown for


def period_bounds(name: str, today: dt.date) -> tuple[dt.date, dt.date]:
    if name == "本年":
        return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    if name == "本季度":
        first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return first, _month_end(first.replace(month=first.month + 2))
    if name == "上月":
        last = today.replace(day=1) - dt.timedelta(days=1)
        return last.replace(day=1), last
    return today.replace(day=1), _month_end(today)


def spec() -> RegisterSpec:
    return RegisterSpec(
        "tests",
        tr("尿检通知"),
        (
            tr("通知编号"),
            tr("对象"),
            tr("身份证号码"),
            tr("村（社区）"),
            tr("检测期限"),
            tr("通知送达"),
            tr("检测日期"),
            tr("结果"),
            tr("状态"),
        ),  # fmt: skip
        tr("尿检通知：按规则排定、打印、送达、检测、结果登记和逾期提醒。"),
        tr(
            "没有要开具的尿检。社区戒毒、社区康复的帮教对象按“设置 → 尿检规则”排定检测；先在“帮教小组”中"
            "为他们建立帮教档案。"
        ),
    )


SAMPLES = ("2026-尿-0000", "欧阳明辉", "430522********5619", "杨柳村（社区）", "2026-12-01 至 2026-12-31", "2026-12-01",
           "2026-12-01", "阴性")  # fmt: skip


class DueModel(ListTableModel):
    HEADERS = ("通知编号", "对象", "身份证号码", "村（社区）", "检测期限", "间隔", "", "", "状态")
    width_samples = SAMPLES

    def cells(self, d) -> tuple:
        window = f"{d.due_on.isoformat()} 至 {d.window_to.isoformat()}"
        every = "每月" if d.interval_months == 1 else f"每{d.interval_months}个月"
        if not d.overdue:
            status = "待开具"
        elif d.missed_action:
            status = "逾期未检：" + d.missed_action + (f"（{d.missed_reason}）" if d.missed_reason else "")
        else:
            status = "逾期未检（待登记）"
        return ("（未开具）" if d.overdue else "（待开具）", d.name, d.id_masked, d.village, window, every, "", "",
                status)  # fmt: skip

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.ForegroundRole and index.isValid():
            d = self.rows[index.row()]
            if d.overdue and not d.missed_action:
                return RED
        return super().data(index, role)


class NoticeModel(ListTableModel):
    HEADERS = (
        "通知编号",
        "对象",
        "身份证号码",
        "村（社区）",
        "检测期限",
        "通知送达",
        "检测日期",
        "结果",
        "状态",
    )

    def cells(self, r) -> tuple:
        iso = lambda d: d.isoformat() if d else ""  # noqa: E731
        status = r.status + (f"；{r.fate}" if r.fate else "") + ("；严重违反" if r.breach else "")
        return (r.number, r.name, r.id_masked, r.village, f"{iso(r.window_from)} 至 {iso(r.window_to)}",
                iso(r.delivered_on), iso(r.tested_on), r.result, status)  # fmt: skip

    def data(self, index, role=Qt.DisplayRole):
        if index.isValid():
            r = self.rows[index.row()]
            if role == Qt.ForegroundRole and (r.overdue or r.warning or r.breach):
                return RED
            if role == Qt.FontRole and r.breach:
                font = QFont()
                font.setBold(True)
                return font
        return super().data(index, role)


def load(window) -> None:
    """Fill the tab for its mode (after the window is shown, and after each change)."""
    from desktop.services import urine_register

    tab = window.tab("tests")
    if not hasattr(window, "urine_mode"):
        install_controls(window)
    database, mode, today = window.db, window.urine_mode.currentIndex(), window.urine_today()
    period = PERIODS[window.urine_period.currentIndex()]

    def fetch(progress, cancelled):
        from desktop.services import assessment_targets

        year = urine_register.rate(database, *period_bounds(period, today), today=today)
        overdue = urine_register.overdue_count(database, today=today)
        late = urine_register.missed(database, today=today)  # the count above every list, and a list itself
        unrecorded = sum(not d.missed_action for d in late)
        target = assessment_targets.plan(database, today.year).target("urine_rate")
        if mode == MISSED_MODE:
            rows = late
        elif mode < DUE_MODES:
            until = _month_end(today) if mode == 1 else today + dt.timedelta(days=6 - today.weekday())
            rows = urine_register.due(database, until=until, today=today)
        else:
            rows = urine_register.notice_rows(database, today=today, include_closed=mode == 4)
        return rows, year, overdue, unrecorded, target

    def shown(result) -> None:
        if database is not window.db:
            return
        rows, year, overdue, unrecorded, target = result
        model = DueModel(window) if mode < DUE_MODES else NoticeModel(window)
        model.set_rows(rows)
        tab.show_rows(
            model,
            window.tr(
                "{0}尿检率 {1}（{2}/{3}，目标≥{4:g}%）；逾期未检：通知书 {5} 份，未开具通知的 {6} 次待登记；"
                "当前列表 {7} 条"
            ).format(
                window.tr(period),
                year.text(),
                year.numerator,
                year.denominator,
                target,
                overdue,
                unrecorded,
                len(rows),
            ),
        )
        tab.view.setSelectionMode(QAbstractItemView.ExtendedSelection)
        _enable(window)

    window.runner.run(fetch, on_done=shown, on_error=lambda exc: show_error(window, exc), writes=False)


def _month_end(day: dt.date) -> dt.date:
    from desktop.services.urine_rules import month_end

    return month_end(day)


def install_controls(window) -> None:
    """The tab's controls (once): the list to show, the steps, printing, and the scan field."""
    tab = window.tab("tests")
    window.urine_today = getattr(window, "urine_today", dt.date.today)
    bar = QWidget()
    row = QHBoxLayout(bar)
    row.setContentsMargins(0, 0, 0, 0)
    window.urine_mode = QComboBox()
    window.urine_mode.addItems([window.tr(m) for m in MODES])
    window.urine_mode.setCurrentIndex(1)
    window.urine_period = QComboBox()
    window.urine_period.addItems([window.tr(p) + window.tr("尿检率") for p in PERIODS])
    window.urine_period.setToolTip(
        window.tr(
            "尿检率：检测期限在该期间内结束的应检尿检中，实际检测（阴性或阳性）的比例。"
            "拒检、未到、未开具通知书和逾期未检的都算未检"
        )
    )
    window.urine_buttons = {
        "issue": QPushButton(window.tr("开具通知书(&K)")),
        "missed": QPushButton(window.tr("登记逾期未检(&M)…")),
        "print": QPushButton(window.tr("打印通知书(&P)")),
        "deliver": QPushButton(window.tr("登记送达(&S)…")),
        "result": QPushButton(window.tr("登记结果(&R)…")),
        "grid": QPushButton(window.tr("按名单登记结果(&G)…")),
        "correct": QPushButton(window.tr("更正(&C)…")),
        "void": QPushButton(window.tr("作废(&V)…")),
        "warning": QPushButton(window.tr("告诫书(&W)")),
    }
    row.addWidget(window.urine_mode)
    for button in window.urine_buttons.values():
        row.addWidget(button)
    row.addStretch()
    row.addWidget(window.urine_period)
    window.urine_scan = ScanField(
        window.tr("回执扫描："),
        window.tr("扫描回执条码或输入编号，回车（F6）"),
        window.tr("已登记送达"),
        lambda text: _scan(window, text),
    )
    # what the receipt says besides its number: set once for a stack of receipts, kept for the next scan
    window.urine_scan_how = QComboBox()
    window.urine_scan_how.addItems([window.tr(NOT_SAID), *(h.value for h in DeliveryHow)])
    window.urine_scan_how.setToolTip(window.tr("按回执上勾选的送达方式；回执上没有写的，选“未注明”"))
    window.urine_scan_by = QLineEdit()
    window.urine_scan_by.setPlaceholderText(window.tr("回执上的送达人（可不填）"))
    window.urine_scan_by.setMaximumWidth(160)
    window.urine_scan.add_beside(window.tr("送达人："), window.urine_scan_by)
    window.urine_scan.add_beside(window.tr("送达方式："), window.urine_scan_how)
    window.urine_scan.scanned.connect(lambda out: load(window) if out.kind == "done" else None)
    column = QVBoxLayout()
    column.addWidget(bar)
    column.addWidget(window.urine_scan)
    holder = QWidget()
    holder.setLayout(column)
    column.setContentsMargins(0, 0, 0, 0)
    tab.layout().insertWidget(0, holder)
    window.urine_mode.currentIndexChanged.connect(lambda _i: load(window))
    window.urine_period.currentIndexChanged.connect(lambda _i: load(window))
    actions = {"issue": issue, "missed": record_missed, "print": print_selected, "deliver": deliver, "result": record_result,
               "grid": results_grid, "correct": correct, "void": void, "warning": warning_letter}  # fmt: skip
    for key, button in window.urine_buttons.items():
        button.clicked.connect(lambda _c=False, f=actions[key]: f(window))
    QShortcut(QKeySequence("F6"), window, activated=lambda: _focus_scan(window))
    tab.view.doubleClicked.connect(lambda _i: _double_click(window))
    for key in ("issue", "missed", "deliver", "result", "grid", "correct", "void"):
        window.role_actions.setdefault(Permission.WRITE, []).append(window.urine_buttons[key])
    for field in (window.urine_scan.field, window.urine_scan_how, window.urine_scan_by):
        window.role_actions.setdefault(Permission.WRITE, []).append(field)
    for key in ("print", "warning"):
        window.role_actions.setdefault(Permission.PRINT, []).append(window.urine_buttons[key])
    window.refresh_status()


def _double_click(window) -> None:
    mode = window.urine_mode.currentIndex()
    if mode == MISSED_MODE:
        record_missed(window)
    elif mode < DUE_MODES:
        issue(window)
    else:
        record_result(window)


def _focus_scan(window) -> None:
    window.tabs.setCurrentWidget(window.tab("tests"))
    window.urine_scan.focus()


def _enable(window) -> None:
    """Steps that fit the list shown: issuing on a due list, the rest on notices (and each by role)."""
    mode = window.urine_mode.currentIndex()
    due, missed = mode < DUE_MODES and mode != MISSED_MODE, mode == MISSED_MODE
    actor = window.db.actor
    for key, button in window.urine_buttons.items():
        needed = Permission.PRINT if key in ("print", "warning") else Permission.WRITE
        if key == "issue":
            fits = due
        elif key == "missed":
            fits = missed
        else:  # the grid gathers its own list; the other steps work on notices
            fits = key == "grid" or mode >= DUE_MODES
        button.setEnabled(bool(actor and actor.may(needed)) and fits)


def _selected(window) -> list:
    return tab_rows.selected(window.tab("tests"))


def _one(window):
    return tab_rows.one(window, window.tab("tests"), window.tr("尿检通知"), window.tr("通知书"))


def issue(window) -> None:
    """Notices for the selected due tests, or for the whole list shown when none is selected."""
    from desktop.services import urine

    tab = window.tab("tests")
    picked = _selected(window) or list(tab.model.rows)
    if not picked:
        return
    if not _selected(window):
        answer = QMessageBox.question(
            window,
            window.tr("开具通知书"),
            window.tr("为列表中全部 {0} 次尿检开具通知书？").format(len(picked)),
        )
        if answer != QMessageBox.Yes:
            return
    database, today = window.db, window.urine_today()
    wanted = [(d.case_id, d.due_on) for d in picked]

    def done(ids: list[int]) -> None:
        window.last_issued = ids
        load(window)
        answer = QMessageBox.question(
            window, window.tr("开具通知书"), window.tr("已开具 {0} 份通知书。现在打印吗？").format(len(ids))
        )
        if answer == QMessageBox.Yes:
            print_notices(window, ids)

    window.runner.run(
        lambda progress, cancelled: urine.issue_many(database, wanted, today=today, progress=progress),
        on_done=done,
        on_error=lambda exc: show_error(window, exc),
        label=window.tr("正在开具通知书…"),
        parent=window,
        cancellable=False,
    )


def record_missed(window) -> None:
    """登记逾期未检 for the selected test of the 逾期未检 list."""
    from desktop.views.urine_dialogs import MissedForm

    row = tab_rows.one(window, window.tab("tests"), window.tr("逾期未检"), window.tr("尿检"))
    if row is None:
        return
    if row.missed_action:
        QMessageBox.information(
            window, window.tr("逾期未检"), window.tr("这次尿检已经登记过：{0}").format(row.missed_action)
        )
        return
    _after(window, MissedForm(window.db, row, window, today=window.urine_today()))


def print_notices(window, ids: list[int]) -> None:
    from desktop.services import urine_print

    database = window.db
    window._print("尿检通知书.pdf", lambda: urine_print.notices_pdf(database, ids))


def print_selected(window) -> None:
    picked = _selected(window)
    if not picked:
        QMessageBox.information(
            window, window.tr("打印通知书"), window.tr("请先选中要打印的通知书（可多选）。")
        )
        return
    print_notices(window, [r.notice_id for r in picked])


def _after(window, dialog) -> None:
    if dialog.exec():
        load(window)


def deliver(window) -> None:
    from desktop.views.urine_dialogs import DeliveryForm

    row = _one(window)
    if row is not None:
        _after(window, DeliveryForm(window.db, row.notice_id, row.number, window, today=window.urine_today()))


def record_result(window) -> None:
    from desktop.views.urine_dialogs import ResultForm, confirm_proposal

    row = _one(window)
    if row is None:
        return
    form = ResultForm(window.db, row.notice_id, row.number, window, today=window.urine_today())
    if not form.exec():
        return
    if form.proposal is not None:
        try:
            confirm_proposal(window, window.db, row.case_id, form.proposal, form.tested_on)
        except DomainError as exc:
            show_error(window, exc)
    load(window)


def correct(window) -> None:
    from desktop.views.urine_dialogs import CorrectionForm

    row = _one(window)
    if row is not None:
        _after(
            window, CorrectionForm(window.db, row.notice_id, row.number, window, today=window.urine_today())
        )


def results_grid(window) -> None:
    """A test day's list in one grid; then each warning result's proposal, one by one, for the clerk."""
    from desktop.views.urine_dialogs import confirm_proposal
    from desktop.views.urine_grid import ResultsGrid

    grid = ResultsGrid(window.db, window, today=window.urine_today())
    if not grid.rows:
        QMessageBox.information(
            window, window.tr("按名单登记结果"), window.tr("没有已送达、等待检测结果的通知书。")
        )
        return
    if not grid.exec():
        return
    for case_id, proposal in grid.proposals:
        try:
            confirm_proposal(window, window.db, case_id, proposal, grid.tested_on)
        except DomainError as exc:
            show_error(window, exc)
    load(window)


def void(window) -> None:
    from desktop.services import urine

    row = _one(window)
    today = window.urine_today()
    if row is not None and tab_rows.void_with_reason(
        window, row.number, lambda reason: urine.void(window.db, row.notice_id, reason=reason, today=today)
    ):
        load(window)


def warning_letter(window) -> None:
    from desktop.services import urine_print

    row = _one(window)
    if row is None:
        return
    if row.result != "未到":
        QMessageBox.information(
            window, window.tr("告诫书"), window.tr("告诫书只为结果是“未到”的通知书打印。")
        )
        return
    database, today = window.db, window.urine_today()
    window._print(
        f"{row.name}告诫书.pdf", lambda: urine_print.warning_letter(database, row.notice_id, today=today)
    )


def _scan(window, text: str):
    from desktop.services import urine

    how = window.urine_scan_how.currentText()
    return urine.scan(window.db, text, how="" if how == window.tr(NOT_SAID) else how,
                      by=window.urine_scan_by.text(), today=window.urine_today())  # fmt: skip
