"""Every menu path the README sends a clerk to (设置 → 尿检规则, 文件 → 从备份恢复, 导出 → 导出到县 …) exists in the real
window's menus, and the 审计日志 dialog has the buttons the README names in it. The README once sent the clerk to
设置 → 尿检规则, which no menu had."""

from __future__ import annotations

import re
from pathlib import Path

from desktop.services import demo
from desktop.views.main_window import MainWindow
from desktop.views.tasks import InlineRunner
from tests.conftest import AS_OF

README = Path(__file__).resolve().parents[2] / "README.md"
MENUS = ("文件", "打印", "导出", "设置", "县汇总", "帮助")
# "设置 → 尿检规则", not "已打印 → 已签订" (a state chain): the menu's name stands alone
PATH = re.compile(
    r"(?<![\u4e00-\u9fff])(" + "|".join(MENUS) + r"|审计日志) → ([\u4e00-\u9fffA-Za-z0-9（）]+)"
)


def words(text: str) -> str:
    """A menu entry as the README would name it: without its accelerator (&D), its '…' and what follows '：'."""
    return re.sub(r"\(&.\)|…|&", "", text)


def readme_paths() -> set[tuple[str, str]]:
    return set(PATH.findall(README.read_text(encoding="utf-8")))


def test_the_readme_names_menu_paths():
    """The check below must have something to check: the README does send the clerk to menus."""
    paths = readme_paths()
    assert ("设置", "尿检规则") in paths and len(paths) > 10


def menu_entries(w) -> dict[str, list[str]]:
    return {
        words(title): [words(a.text()) for a in menu.actions() if a.text()] for title, menu in w.menus.items()
    }


def test_every_menu_path_in_the_readme_is_in_the_window(qtbot, database, tmp_path):
    """The real window's menus on a real database, and on the demo database (where 文件 → 返回正式数据库 is)."""
    from desktop import db
    from desktop.services import accounts

    demo.build(database, "small", seed=4, as_of=AS_OF)
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    entries = menu_entries(w)
    trial = accounts.create_installation(
        tmp_path / "office" / "demo" / db.DB_FILENAME, "demo", "wudu-demo-2026"
    ).db
    try:
        in_demo = MainWindow(trial, InlineRunner(), tmp_path / "office")
        qtbot.addWidget(in_demo)
        for menu, texts in menu_entries(in_demo).items():
            entries.setdefault(menu, []).extend(texts)
        in_demo.close()
    finally:
        trial.close()
    from desktop.views.audit_dialog import AuditDialog

    audit = AuditDialog(database, w)
    qtbot.addWidget(audit)
    entries["审计日志"] = [words(b.text()) for b in (audit.search_button, audit.verify_button)]
    missing = [
        f"{menu} → {item}"
        for menu, item in sorted(readme_paths())
        if not any(text.startswith(item) for text in entries.get(menu, []))
    ]
    assert missing == []
