"""The main window's menus, from one table: each entry names its menu, its words, the window's method it runs,
its shortcut, the permission it needs (the action is enabled by role) and the attribute that keeps it. A new
tab's commands are a few more rows here, not more code in the window."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence

from desktop.services.auth import Permission

SEPARATOR = "—"


@dataclass(frozen=True)
class Item:
    menu: str
    text: str = SEPARATOR
    slot: str = ""  # a method of the main window; empty: a disabled placeholder
    args: tuple = ()
    shortcut: str | QKeySequence.StandardKey | None = None
    permission: Permission | None = None
    name: str = ""  # the window attribute that keeps the action (tests and role checks reach it there)
    tip: str = ""


FILE, PRINT, EXPORT, SETTINGS, HELP = "文件(&F)", "打印(&P)", "导出(&E)", "设置(&S)", "帮助(&H)"
COUNTY = "县汇总(&C)"  # shown on the county's installation instead of the township's 导出 menu

MENUS: tuple[Item, ...] = (
    Item(FILE, "切换到演示数据库(&D)", "toggle_demo_database", name="demo_action"),
    Item(FILE, "修改我的密码(&W)…", "change_password"),
    Item(FILE, "锁定窗口(&L)", "lock", shortcut="Ctrl+L"),
    Item(FILE, "检查数据库(&C)", "check_database"),
    Item(FILE),
    Item(FILE, "立即备份(&B)", "backup_now", (None,), permission=Permission.BACKUP, name="backup_action"),
    Item(
        FILE, "备份到U盘或其他文件夹(&U)…", "backup_to", permission=Permission.BACKUP, name="backup_to_action"
    ),
    Item(FILE, "从备份恢复(&R)…", "restore_backup", permission=Permission.RESTORE, name="restore_action"),
    Item(FILE),
    Item(FILE, "打开数据文件夹(&O)", "open_data_folder"),
    Item(FILE),
    Item(FILE, "退出(&X)", "close", shortcut=QKeySequence.Quit),
    Item(
        PRINT,
        "排查登记表（按村）(&F)…",
        "print_screening_form",
        permission=Permission.PRINT,
        name="print_form_action",
    ),
    Item(
        PRINT,
        "重点人员档案摘要（所选人员）(&S)",
        "print_person_summary",
        permission=Permission.PRINT,
        name="print_summary_action",
    ),
    Item(PRINT),
    Item(
        PRINT,
        "帮教小组成员名册(&Z)",
        "print_group_roster",
        permission=Permission.PRINT,
        name="print_group_roster_action",
    ),
    Item(
        PRINT,
        "毒情信息员名册(&X)",
        "print_roster",
        ("毒情信息员",),
        permission=Permission.PRINT,
        name="print_informants_action",
    ),
    Item(
        PRINT,
        "禁毒宣传员名册(&Y)",
        "print_roster",
        ("禁毒宣传员",),
        permission=Permission.PRINT,
        name="print_propagandists_action",
    ),
    Item(PRINT),
    Item(
        PRINT,
        "年度工作总结统计表和自查评分表(&N)",
        "print_year_report",
        permission=Permission.PRINT,
        name="print_year_report_action",
        tip="按“考核”页选定的年度和期间",
    ),
    Item(
        PRINT,
        "工作量统计表（一周一统计、一月一通报）(&W)",
        "print_weekly_counts",
        permission=Permission.PRINT,
        name="print_counts_action",
    ),
    Item(PRINT),
    Item(PRINT, "打印测试页(&T)", "print_test_page", tip="生成一页PDF，检查中文字体和打印机是否正常"),
    Item(
        EXPORT,
        "导出到县（写到U盘）(&C)…",
        "export_to_county",
        permission=Permission.EXCHANGE,
        name="export_county_action",
        tip="把县里确认收到之后的新增和修改写成加密的数据包，交县禁毒办",
    ),
    Item(
        EXPORT,
        "导出全部记录到县（县里要求时）(&A)…",
        "export_all_to_county",
        permission=Permission.EXCHANGE,
        name="export_all_action",
        tip="县里提示缺号、接不上，或本机从备份恢复过时：把全部记录重新写成数据包，接着县里的编号",
    ),
    Item(
        EXPORT,
        "导入县禁毒办的回执(&R)…",
        "import_receipt",
        permission=Permission.EXCHANGE,
        name="import_receipt_action",
    ),
    Item(EXPORT),
    Item(EXPORT, "报县密钥和指纹(&K)…", "exchange_keys", permission=Permission.SETTINGS, name="keys_action"),
    Item(
        COUNTY,
        "导入乡镇数据包(&I)…",
        "import_bundles",
        permission=Permission.EXCHANGE,
        name="import_bundles_action",
    ),
    Item(COUNTY, "各乡镇报送情况(&S)…", "county_status", name="county_status_action"),
    Item(COUNTY),
    Item(
        COUNTY,
        "本县密钥和已登记的乡镇(&K)…",
        "exchange_keys",
        permission=Permission.SETTINGS,
        name="county_keys_action",
    ),
    Item(
        SETTINGS,
        "行政区划：村（社区）和小组(&U)…",
        "edit_units",
        permission=Permission.SETTINGS,
        name="units_action",
    ),
    Item(
        SETTINGS, "自动锁定时间(&I)…", "set_idle_minutes", permission=Permission.SETTINGS, name="idle_action"
    ),
    Item(
        SETTINGS,
        "帮教规则：小组成员、谈话间隔、期限(&R)…",
        "edit_aftercare_rules",
        permission=Permission.SETTINGS,
        name="rules_action",
    ),
    Item(
        SETTINGS,
        "尿检规则：各年度的检测间隔、检测地点(&T)…",
        "edit_urine_rules",
        permission=Permission.SETTINGS,
        name="urine_rules_action",
    ),
    Item(
        SETTINGS,
        "年度考核目标(&G)…",
        "edit_targets",
        permission=Permission.SETTINGS,
        name="targets_action",
    ),
    Item(SETTINGS),
    Item(
        SETTINGS, "账户管理(&M)…", "manage_accounts", permission=Permission.ACCOUNTS, name="accounts_action"
    ),
    Item(SETTINGS, "审计日志(&L)…", "show_audit", permission=Permission.AUDIT, name="audit_action"),
    Item(HELP, "关于(&A)", "about"),
)


def build(window, items: tuple[Item, ...] = MENUS) -> dict[Permission, list]:
    """Put `items` on the window's menu bar, in order; returns the actions by the permission they need. The
    menus themselves are kept in `window.menus` by their title."""
    menus: dict[str, object] = {}
    window.menus = menus
    by_permission: dict[Permission, list] = {}
    for item in items:
        if item.menu not in menus:
            menus[item.menu] = window.menuBar().addMenu(window.tr(item.menu))
        menu = menus[item.menu]
        if item.text == SEPARATOR:
            menu.addSeparator()
            continue
        action = QAction(window.tr(item.text), window)
        if item.slot:
            method = getattr(window, item.slot)
            action.triggered.connect(lambda _checked=False, m=method, a=item.args: m(*a))
        else:
            action.setEnabled(False)
        if item.shortcut:
            action.setShortcut(QKeySequence(item.shortcut))
        if item.tip:
            action.setStatusTip(window.tr(item.tip))
            action.setToolTip(window.tr(item.tip))
        menu.addAction(action)
        if item.name:
            setattr(window, item.name, action)
        if item.permission is not None:
            by_permission.setdefault(item.permission, []).append(action)
    return by_permission
