"""The 责任书 tab: a year's agreements by type and village, generated in one step for every party in scope,
printed (a village's in one PDF), signed, filed or voided, a scan of the signed paper attached; returned copies
scanned back (the field the notices use); coverage (签订率) with its numerator and denominator above the list.
A township has some thousands of agreements a year: filtered in SQL per village, a ListTableModel each."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DomainError
from desktop.models.enums import AgreementType
from desktop.services.auth import Permission
from desktop.views import tab_rows
from desktop.views.errors import show_error
from desktop.views.registers import RegisterSpec, tr
from desktop.views.scan_field import ScanField
from desktop.views.tables import ListTableModel

GREY, RED = QColor("#888888"), QColor("#a61b1b")


def spec() -> RegisterSpec:
    return RegisterSpec(
        "agreements",
        tr("责任书"),
        (
            tr("编号"),
            tr("类别"),
            tr("村（社区）"),
            tr("小组"),
            tr("甲方"),
            tr("乙方"),
            tr("状态"),
            tr("签订日期"),
            tr("归档"),
        ),  # fmt: skip
        tr("责任书：为各村（社区）、小组、农户和场所生成、打印、签订和归档。"),
        tr(
            "这一年还没有责任书。选好类别（或“全部类别”），点“生成责任书”，为范围内的每个村、组、户和场所各生成一份。"
        ),
    )


class AgreementsModel(ListTableModel):
    HEADERS = ("编号", "类别", "村（社区）", "小组", "甲方", "乙方", "状态", "签订日期", "归档")
    width_samples = ("2026-责-0000", "禁毒工作目标责任书", "杨柳村（社区）", "十二组", "东山社区居民委员会",
                     "欧阳明辉户（户号：000008）", "已签订", "2026-12-01", "禁毒办档案柜")  # fmt: skip

    def cells(self, r) -> tuple:
        state = f"{r.state}：{r.void_reason}" if r.void_reason else r.state
        return (r.number, r.type, r.village, r.group, r.first_party, r.second_party, state,
                r.signed_on.isoformat() if r.signed_on else "", r.filed_where)  # fmt: skip

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.ForegroundRole and index.isValid():
            state = self.rows[index.row()].state
            return GREY if state == "作废" else None
        return super().data(index, role)


def load(window) -> None:
    from desktop.services import agreement_register

    tab = window.tab("agreements")
    if not hasattr(window, "agreement_year"):
        install_controls(window)
    if getattr(window, "agreement_villages_of", None) is not window.db:
        fill_villages(window)  # first load, or after a switch to another database
    database, year = window.db, window.agreement_year.currentData()
    kind, village = window.agreement_kind.currentData(), window.agreement_village.currentData()

    def fetch(progress, cancelled):
        rows = agreement_register.rows(database, year, kind=kind, village_id=village)
        return rows, agreement_register.totals(database, year)

    def shown(result) -> None:
        if database is not window.db:
            return
        rows, totals = result
        model = AgreementsModel(window)
        model.set_rows(rows)
        shown_types = [kind] if kind else [*(k.value for k in AgreementType), "帮教协议书"]
        words = "；".join(
            f"{k.replace('禁毒', '').replace('责任书', '').replace('承诺书', '')} {totals[k].numerator}/"
            f"{totals[k].denominator}（{totals[k].text()}）"
            for k in shown_types
        )
        tab.show_rows(
            model, window.tr("{0}年签订率（目标100%）：{1}；当前列表 {2} 份").format(year, words, len(rows))
        )
        tab.view.setSelectionMode(QAbstractItemView.ExtendedSelection)

    window.runner.run(fetch, on_done=shown, on_error=lambda exc: show_error(window, exc), writes=False)


def fill_villages(window) -> None:
    """The village filter lists the villages of the database the window is on."""
    from desktop.services import residents

    combo = window.agreement_village
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(window.tr("全部村（社区）"), None)
    try:
        for vid, name in residents.villages(window.db):
            combo.addItem(name, vid)
    except DomainError:
        pass
    finally:
        combo.blockSignals(False)
    window.agreement_villages_of = window.db


def install_controls(window) -> None:

    tab = window.tab("agreements")
    window.agreements_today = getattr(window, "agreements_today", dt.date.today)
    today = window.agreements_today()
    window.agreement_year = QComboBox()
    for year in (today.year + 1, today.year, today.year - 1):
        window.agreement_year.addItem(window.tr("{0}年").format(year), year)
    window.agreement_year.setCurrentIndex(1)
    window.agreement_kind = QComboBox()
    window.agreement_kind.addItem(window.tr("全部类别"), None)
    for k in AgreementType:
        window.agreement_kind.addItem(k.value, k.value)
    window.agreement_village = QComboBox()
    window.agreement_buttons = {
        "generate": QPushButton(window.tr("生成责任书(&G)")),
        "print": QPushButton(window.tr("打印(&P)")),
        "sign": QPushButton(window.tr("登记签订(&S)…")),
        "file": QPushButton(window.tr("归档(&F)…")),
        "void": QPushButton(window.tr("作废(&V)…")),
        "scans": QPushButton(window.tr("扫描件(&A)…")),
        "coverage": QPushButton(window.tr("签订情况(&C)…")),
        "units": QPushButton(window.tr("辖区单位(&U)…")),
        "templates": QPushButton(window.tr("模板(&T)…")),
    }
    bar = QWidget()
    row = QHBoxLayout(bar)
    row.setContentsMargins(0, 0, 0, 0)
    for widget in (window.agreement_year, window.agreement_kind, window.agreement_village,
                   *window.agreement_buttons.values()):  # fmt: skip
        row.addWidget(widget)
    row.addStretch()
    window.agreement_scan = ScanField(
        window.tr("回收扫描："),
        window.tr("扫描签好的责任书上的条码（或输入编号后按回车）登记签订 — F7"),
        window.tr("已登记签订"),
        lambda text: _scan(window, text),
    )
    window.agreement_scan.scanned.connect(lambda out: load(window) if out.kind == "done" else None)
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(bar)
    column.addWidget(window.agreement_scan)
    tab.layout().insertWidget(0, holder)
    for combo in (window.agreement_year, window.agreement_kind, window.agreement_village):
        combo.currentIndexChanged.connect(lambda _i: load(window))
    actions = {"generate": generate, "print": print_listed, "sign": sign, "file": file_selected, "void": void,
               "scans": scans, "coverage": show_coverage, "units": edit_units, "templates": edit_templates}  # fmt: skip
    for key, button in window.agreement_buttons.items():
        button.clicked.connect(lambda _c=False, f=actions[key]: f(window))
    QShortcut(QKeySequence("F7"), window, activated=lambda: _focus_scan(window))
    needs = {"generate": Permission.WRITE, "print": Permission.PRINT, "sign": Permission.WRITE,
             "file": Permission.WRITE, "void": Permission.WRITE, "scans": Permission.WRITE, "units": Permission.WRITE,
             "templates": Permission.SETTINGS}  # fmt: skip
    for key, permission in needs.items():
        window.role_actions.setdefault(permission, []).append(window.agreement_buttons[key])
    window.role_actions.setdefault(Permission.WRITE, []).append(window.agreement_scan.field)
    window.refresh_status()


def _focus_scan(window) -> None:
    window.tabs.setCurrentWidget(window.tab("agreements"))
    window.agreement_scan.focus()


def _scan(window, text: str):
    from desktop.services import agreements

    return agreements.scan(window.db, text, today=window.agreements_today())


def _selected(window) -> list:
    return tab_rows.selected(window.tab("agreements"))


def _one(window):
    return tab_rows.one(window, window.tab("agreements"), window.tr("责任书"), window.tr("责任书"))


def generate(window) -> None:
    """The year's agreements for every party in scope of the chosen type(s) and village; twice makes none."""
    from desktop.services import agreements

    database, year = window.db, window.agreement_year.currentData()
    kinds = (
        [window.agreement_kind.currentData()]
        if window.agreement_kind.currentData()
        else list(agreements.PARTY_KIND)
    )
    village, today = window.agreement_village.currentData(), window.agreements_today()

    def work(progress, cancelled):
        return [agreements.generate(database, year, k, village_id=village, today=today) for k in kinds]

    def done(results) -> None:
        made, skipped = sum(r.made for r in results), sum(r.skipped for r in results)
        QMessageBox.information(
            window,
            window.tr("生成责任书"),
            window.tr("新生成 {0} 份；已有 {1} 份，未重复生成。").format(made, skipped),
        )
        load(window)

    window.runner.run(work, on_done=done, on_error=lambda exc: show_error(window, exc),
                      label=window.tr("正在生成责任书…"), parent=window, cancellable=False)  # fmt: skip


def print_listed(window) -> None:
    """The selected agreements, or every one listed (a village's batch, in group and 户号 order)."""
    from desktop.services import agreement_print

    picked = _selected(window) or [r for r in window.tab("agreements").model.rows if r.state != "作废"]
    if not picked:
        return
    database, today = window.db, window.agreements_today()
    ids = [r.agreement_id for r in picked]
    from desktop.views.printouts import print_in_background

    def printed(target) -> None:
        window._printed(target)
        load(window)  # drafts are 已打印 now

    make = lambda: agreement_print.print_agreements(database, ids, today=today)  # noqa: E731
    print_in_background(window, window.runner, window.data_dir, "责任书.pdf", make, on_done=printed)


def _form(window, make) -> None:
    row = _one(window)
    if row is not None and make(row).exec():
        load(window)


def sign(window) -> None:
    from desktop.views.agreement_dialogs import SignForm

    _form(
        window,
        lambda r: SignForm(window.db, r.agreement_id, r.number, window, today=window.agreements_today()),
    )


def file_selected(window) -> None:
    from desktop.views.agreement_dialogs import FileForm

    _form(
        window,
        lambda r: FileForm(window.db, r.agreement_id, r.number, window, today=window.agreements_today()),
    )


def void(window) -> None:
    from desktop.services import agreements

    row = _one(window)
    today = window.agreements_today()
    if row is not None and tab_rows.void_with_reason(
        window,
        row.number,
        lambda reason: agreements.void(window.db, row.agreement_id, reason=reason, today=today),
    ):
        load(window)


def scans(window) -> None:
    from desktop.views.agreement_dialogs import ScansDialog

    row = _one(window)
    if row is not None:
        ScansDialog(window.db, row.agreement_id, row.number, window, data_dir=window.data_dir).exec()


def show_coverage(window) -> None:
    from desktop.views.agreement_dialogs import CoverageDialog

    CoverageDialog(window.db, window.agreement_year.currentData(), window).exec()


def edit_units(window) -> None:
    from desktop.views.agreement_dialogs import UnitsDialog

    try:
        UnitsDialog(window.db, window).exec()
    except DomainError as exc:
        show_error(window, exc)


def edit_templates(window) -> None:
    from desktop.views.agreement_dialogs import TemplateDialog

    try:
        TemplateDialog(window.db, window).exec()
    except DomainError as exc:
        show_error(window, exc)
