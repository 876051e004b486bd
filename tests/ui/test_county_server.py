"""The county on a PostgreSQL server, as its officer sees it: the township's bundle goes to the server and its
four registers open read only in the same tabs as on files."""

from __future__ import annotations

import pytest

from desktop import db, messages
from desktop.errors import DomainError
from desktop.exchange import county, export, keys
from desktop.services import accounts, agreements, demo, people
from desktop.views.main_window import MainWindow
from desktop.views.tasks import InlineRunner
from tests.conftest import ADMIN, AS_OF, PASSWORD
from tests.exchange.conftest import introduce


def raise_it(_parent, exc):
    raise exc


def test_the_county_on_a_server_shows_the_townships_registers_read_only(
    qtbot, tmp_path, database, postgres_url, monkeypatch
):
    demo.build(database, "small", seed=3, as_of=AS_OF)
    agreements.generate(database, AS_OF.year, "小组禁毒责任书", today=AS_OF)  # the small demo has none
    office = accounts.create_installation(tmp_path / "county" / db.DB_FILENAME, ADMIN, PASSWORD).db
    try:
        keys.set_up_county(office, "演示县", records_url=postgres_url)
        introduce(database, office, tmp_path)
        (tmp_path / "stick").mkdir()
        county.import_bundle(office, export.export(database, tmp_path / "stick").path)
        c = MainWindow(office, InlineRunner(), office.path.parent)
        qtbot.addWidget(c)
        c.load_registers()
        assert c.county_tab.model.data(c.county_tab.model.index(0, 2)) == "第1号（共1个）"
        # an error in a tab fails the test at once instead of waiting in a message box
        for tab in ("residents_tab", "aftercare_tab", "urine_tab", "agreements_tab"):
            monkeypatch.setattr(f"desktop.views.{tab}.show_error", raise_it, raising=False)
        viewer = c.county_tab.open_selected()
        qtbot.addWidget(viewer)
        for key in ("screening", "aftercare", "tests", "agreements"):
            viewer.tabs.setCurrentWidget(viewer.tab(key))
            assert viewer.tab(key).model.rowCount() > 0, key
        assert "演示镇" in viewer.windowTitle()
        # searching as at the township: a name's first character, its pinyin initials, the whole name
        from desktop.models.pinyin import initials
        from desktop.services import residents

        (first,) = residents.resident_rows(viewer.db, residents.resident_ids(viewer.db, limit=1)).values()
        for text in (first.name[0], initials(first.name), first.name):
            found = residents.resident_ids(viewer.db, residents.ResidentFilter(text=text), limit=50)
            assert first.id in residents.resident_ids(viewer.db, residents.ResidentFilter(text=text)), text
            assert found, text
        viewer.db.actor = office.actor  # with the county administrator's role, the server still refuses
        with pytest.raises(DomainError) as caught:
            people.set_state(viewer.db, 1, "迁出", "县里试图修改")
        assert "只读" in messages.describe(caught.value) or "不能写入" in messages.describe(caught.value)
        viewer.close()
    finally:
        office.close()
