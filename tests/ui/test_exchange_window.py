"""The exchange as the two offices see it in the window: the township's 导出到县 and 导入回执, its keys dialog,
and the county's window, which shows what each township reported instead of registers of its own."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop import db, messages
from desktop.exchange import county, export, keys
from desktop.services import accounts, demo
from desktop.views.exchange_dialogs import KeysDialog
from desktop.views.main_window import MainWindow
from desktop.views.tasks import InlineRunner
from tests.conftest import ADMIN, AS_OF, PASSWORD
from tests.exchange.conftest import introduce


@pytest.fixture
def offices(tmp_path, database):
    demo.build(database, "small", seed=3, as_of=AS_OF)
    office = accounts.create_installation(tmp_path / "county" / db.DB_FILENAME, ADMIN, PASSWORD).db
    keys.set_up_county(office, "演示县")
    keys.export_public(office, tmp_path / "county.wudu-key")
    yield database, office, tmp_path
    office.close()


def said(monkeypatch) -> list[str]:
    texts: list[str] = []
    for name in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, name, lambda _parent, _title, text, *a, **k: texts.append(text))
    return texts


def test_the_township_sets_up_its_keys_in_the_dialog(qtbot, offices, monkeypatch):
    town, _office, tmp = offices
    texts = said(monkeypatch)
    dialog = KeysDialog(town)
    qtbot.addWidget(dialog)
    assert "还没有报县用的密钥" in dialog.text.text() and not dialog.export_button.isEnabled()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp / "county.wudu-key"), ""))
    dialog.take_county_key()
    county_fp = keys.identity(town).county_fingerprint
    assert county_fp in texts[-1] and county_fp in dialog.text.text()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp / "town.wudu-key"), ""))
    dialog.export_public()
    assert (tmp / "town.wudu-key").exists() and keys.identity(town).fingerprint in texts[-1]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp / "nothing.wudu-key"), ""))
    monkeypatch.setattr("desktop.views.exchange_dialogs.show_error", lambda _p, exc: texts.append(str(exc)))
    dialog.take_county_key()  # a missing file: refused, the keys unchanged
    assert keys.identity(town).county_fingerprint == county_fp


def test_export_to_county_and_the_county_window(qtbot, offices, monkeypatch):
    town, office, tmp = offices
    introduce(town, office, tmp)
    stick = tmp / "stick"
    stick.mkdir()
    texts = said(monkeypatch)

    w = MainWindow(town, InlineRunner(), town.path.parent)
    qtbot.addWidget(w)
    w.show()
    assert w.export_county_action.isEnabled() and not w.county_mode
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(stick))
    w.export_county_action.trigger()
    (bundle,) = stick.glob("*.wudu-bundle")
    assert "已写出第1号报县数据包" in texts[-1] and "回执" in texts[-1]

    c = MainWindow(office, InlineRunner(), office.path.parent)
    qtbot.addWidget(c)
    c.show()
    c.load_registers()
    tabs = c.tabs
    assert [tabs.tabText(i) for i in range(tabs.count()) if tabs.isTabVisible(i)] == ["各乡镇报送"]
    assert [a.text() for a in c.menuBar().actions() if a.isVisible()] == [
        "文件(&F)", "打印(&P)", "县汇总(&C)", "设置(&S)", "帮助(&H)",
    ]  # fmt: skip
    model = c.county_tab.model
    assert model.rowCount() == 1 and model.data(model.index(0, 2)) == "还没有报送"
    junk = tmp / "junk.wudu-bundle"
    junk.write_text("x")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(bundle), str(junk)], ""))
    c.import_bundles_action.trigger()
    assert "导入1个，拒绝1个" in texts[-1] and "不是本程序的数据包" in texts[-1]
    assert model.data(model.index(0, 2)) == "第1号（共1个）"
    assert model.data(model.index(0, 10)) == "完好，接续"
    assert "已登记1个乡镇，1个已报送" in c.county_tab.summary.text()

    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(next(stick.glob("*.wudu-receipt"))), "")
    )
    w.import_receipt_action.trigger()
    assert "县里已收到第1号数据包" in texts[-1]


def test_after_a_restore_the_clerk_exports_everything_after_the_countys_number(qtbot, offices, monkeypatch):
    """The county refuses a bundle numbered below what it holds and names its number; in the window the clerk
    uses 导出全部记录到县 with that number, and the county takes the new bundle."""
    from PySide6.QtWidgets import QInputDialog

    from desktop.errors import ExchangeRefused
    from desktop.services import backups

    town, office, tmp = offices
    introduce(town, office, tmp)
    stick = tmp / "stick"
    stick.mkdir()
    old = backups.make_backup(town, tmp / "old-backup")
    for _ in range(2):
        export.import_receipt(town, county.import_bundle(office, export.export(town, stick).path).receipt)
    backups.restore(town, old)
    texts = said(monkeypatch)
    w = MainWindow(town, InlineRunner(), town.path.parent)
    qtbot.addWidget(w)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(stick))
    w.export_county_action.trigger()  # numbered 1 again: the county refuses it and says it holds 2
    assert "已写出第1号报县数据包" in texts[-1]
    with pytest.raises(ExchangeRefused) as caught:
        county.import_bundle(office, next(stick.glob("*-0001.wudu-bundle")))
    refusal = messages.describe(caught.value)
    assert "导出全部记录到县" in refusal and "编号2" in refusal
    asked = []
    monkeypatch.setattr(
        QInputDialog, "getInt", lambda _p, title, label, *a, **k: asked.append(label) or (2, True)
    )
    w.export_all_action.trigger()
    assert "第N号" in asked[-1] and "已写出第3号报县数据包" in texts[-1]
    taken = county.import_bundle(office, next(stick.glob("*-0003.wudu-bundle")))
    assert taken.seq == 3 and not taken.already
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (0, False))
    before = sorted(stick.iterdir())
    w.export_all_action.trigger()  # cancelled: nothing written
    assert sorted(stick.iterdir()) == before


def test_a_flagged_township_is_bold_red_in_the_county_tab(qtbot, offices, monkeypatch):
    town, office, tmp = offices
    introduce(town, office, tmp)
    (tmp / "stick").mkdir()
    county.import_bundle(office, export.export(town, tmp / "stick").path)
    from tests.exchange.test_writing_and_anchor import rewrite_history

    rewrite_history(town, 3)
    county.import_bundle(office, export.export(town, tmp / "stick", full=True).path)
    c = MainWindow(office, InlineRunner(), office.path.parent)
    qtbot.addWidget(c)
    c.load_registers()
    model = c.county_tab.model
    cell = model.index(0, 10)
    assert model.data(cell) == "接不上（第3条起），待核查"
    assert (
        model.data(cell, Qt.FontRole).bold()
        and model.data(cell, Qt.ForegroundRole).color().name() == "#b00020"
    )
    assert "审计日志接不上：演示镇" in c.county_tab.summary.text()
    # the officer looks into it and records the finding: the flag stays red, no longer bold
    from PySide6.QtWidgets import QInputDialog

    tab = c.county_tab
    assert tab.review_button.isEnabled()  # the one township is the one chosen
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("  ", True))
    shown = []
    monkeypatch.setattr(
        "desktop.views.errors.show_error", lambda _p, exc: shown.append(messages.describe(exc))
    )
    tab.review_button.click()  # an empty finding: refused, nothing recorded
    assert "核查结果" in shown[-1] and model.data(cell) == "接不上（第3条起），待核查"
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", lambda *a, **k: ("电话核实：送修后恢复过备份", True)
    )
    tab.review_button.click()
    cell = model.index(0, 10)
    assert model.data(cell) == "接不上（第3条起），已核查"
    assert (
        not model.data(cell, Qt.FontRole) and model.data(cell, Qt.ForegroundRole).color().name() == "#b00020"
    )
    assert "送修后恢复过备份" in model.data(cell, Qt.ToolTipRole)
    assert "演示镇（已核查）" in tab.summary.text()


def test_the_county_reads_a_townships_registers_and_cannot_change_them(qtbot, offices):
    from desktop.errors import DomainError
    from desktop.services import people

    town, office, tmp = offices
    introduce(town, office, tmp)
    (tmp / "stick").mkdir()
    county.import_bundle(office, export.export(town, tmp / "stick").path)
    c = MainWindow(office, InlineRunner(), office.path.parent)
    qtbot.addWidget(c)
    c.load_registers()
    viewer = c.county_tab.open_selected()
    qtbot.addWidget(viewer)
    tabs = viewer.tabs
    assert [tabs.tabText(i) for i in range(tabs.count()) if tabs.isTabVisible(i)] == [
        "排查登记",
        "帮教小组",
        "尿检通知",
        "责任书",
        "考核",
    ]
    assert "演示镇" in viewer.windowTitle() and "只读" in viewer.windowTitle()
    residents = viewer.tab("screening").model
    assert residents.rowCount() > 0 and not viewer.menuBar().isVisible()
    assert not getattr(viewer, "reminder", None)  # the township's to-do box stays at the township
    mirror_bytes = county.mirrors(office).path(1).read_bytes()
    with pytest.raises(DomainError):
        people.set_state(viewer.db, 1, "迁出", "县里试图修改")
    viewer.db.actor = office.actor  # even with the county's administrator role, SQLite refuses the write
    with pytest.raises(DomainError) as caught:
        people.set_state(viewer.db, 1, "迁出", "县里试图修改")
    assert "不能写入" in messages.describe(caught.value) or "只读" in messages.describe(caught.value)
    viewer.close()
    assert county.mirrors(office).path(1).read_bytes() == mirror_bytes
