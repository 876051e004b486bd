"""The demo township: realistic, valid, deterministic, and never mixed into real data."""

import hashlib

import pytest

from desktop import db
from desktop.errors import Cancelled, DemoNeedsEmptyDatabase
from desktop.models.idnumber import parse
from desktop.services import demo, township
from tests.conftest import AS_OF, raw


def content_digest(database) -> str:
    conn = raw(database)
    h = hashlib.sha256()
    tables = ("village", "village_group", "household", "person", "drug_file", "drug_status_entry")
    tables += ("aftercare_case", "aftercare_member", "aftercare_talk", "aftercare_review", "roster_entry")
    for table in tables:
        columns = [
            r[1]
            for r in conn.execute(f"PRAGMA table_info({table})")
            if r[1] not in ("created_at", "updated_at")
        ]
        for row in conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id"):
            h.update(repr(row).encode())
    conn.close()
    return h.hexdigest()


def test_the_small_demo_is_a_plausible_township(database):
    result = demo.build(database, "small", seed=7, as_of=AS_OF)
    assert result.villages == 3 and result.households == 300 and result.key_persons == 12
    assert 800 <= result.persons <= 1300
    info = township.summary(database)
    assert info.is_demo and "演示" in info.township_name


def test_every_demo_id_number_is_valid_and_matches_sex_and_birth_date(database):
    demo.build(database, "small", seed=7, as_of=AS_OF)
    conn = raw(database)
    rows = conn.execute("SELECT id_number, sex, birth_date FROM person").fetchall()
    conn.close()
    assert len({r[0] for r in rows}) == len(rows)
    for number, sex, birth in rows:
        info = parse(number, today=AS_OF)
        assert (info.sex.value, str(info.birth_date)) == (sex, birth)


def test_every_key_person_has_a_status_history_in_date_order(database):
    demo.build(database, "small", seed=7, as_of=AS_OF)
    conn = raw(database)
    files = conn.execute("SELECT id, first_found_on FROM drug_file").fetchall()
    for file_id, found in files:
        history = conn.execute(
            "SELECT since FROM drug_status_entry WHERE file_id=? ORDER BY id", (file_id,)
        ).fetchall()
        assert history and history[0][0] == found
        assert [h[0] for h in history] == sorted(h[0] for h in history)
        assert history[-1][0] <= str(AS_OF)
    conn.close()


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not(tmp_path):
    from desktop.services import accounts

    digests = []
    for name, seed in (("a", 11), ("b", 11), ("c", 12)):
        d = accounts.create_installation(tmp_path / name / db.DB_FILENAME, "admin", "correct-horse-7").db
        demo.build(d, "small", seed=seed, as_of=AS_OF)
        digests.append(content_digest(d))
        d.close()
    assert digests[0] == digests[1] != digests[2]


def test_demo_data_is_refused_on_a_database_that_has_a_township(database, township_draft):
    township.initialize(database, township_draft)
    with pytest.raises(DemoNeedsEmptyDatabase):
        demo.build(database, "small", as_of=AS_OF)
    assert township.summary(database).persons == 0


def test_a_cancelled_demo_writes_nothing(database):
    calls = []
    with pytest.raises(Cancelled):
        demo.build(
            database, "small", as_of=AS_OF, progress=lambda d, t: calls.append(d), cancelled=lambda: True
        )
    assert township.summary(database) is None


def test_progress_is_reported_up_to_the_total(database):
    seen = []
    demo.build(database, "small", as_of=AS_OF, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (300, 300)


def test_the_township_demo_has_realistic_aftercare_work(database):
    """Issue 5: complete groups and groups missing a member, overdue deadlines and talks, officers and cadres
    who serve several cases, replaced members, ended cases, jobs, reviews, and the two rosters."""
    from desktop.services import aftercare, aftercare_register, rosters

    demo.build(database, "township", seed=2026, as_of=AS_OF)
    rows = aftercare_register.case_rows(database, today=AS_OF)
    implemented, total = aftercare_register.aftercare_rate(database, today=AS_OF)
    assert total == len(rows) > 50 and 0.75 < implemented / total < 0.95  # mostly in order, not all
    warnings = "；".join(r.warnings for r in rows)
    for word in ("小组不全", "谈话逾期", "未按期报到"):
        assert word in warnings
    assert any(r.warnings == "" for r in rows)
    assert any(k.cases >= 3 for k in rosters.known_members(database, on=AS_OF) if k.role == "社区民警")
    members = [m for r in rows for m in aftercare.state(database, r.case_id, today=AS_OF).members]
    assert any(m.until is not None for m in members)  # an officer replaced, the history kept
    conn = raw(database)
    ended, jobs, reviews = (
        conn.execute(q).fetchone()[0]
        for q in (
            "SELECT count(*) FROM aftercare_case WHERE ended_on IS NOT NULL",
            "SELECT count(*) FROM aftercare_employment",
            "SELECT count(*) FROM aftercare_review",
        )
    )
    conn.close()
    assert ended > 0 and jobs > 0 and reviews > total
    assert len(rosters.entries(database, "毒情信息员", serving_on=AS_OF)) >= 10
    assert rosters.entries(database, "禁毒宣传员")


def test_the_township_demo_has_a_finished_campaign_and_one_under_way(database):
    """排查活动 does not open empty on the demo: one campaign visited every household, one is under way, and
    no visit is dated after the demo's today."""
    from desktop.services import campaigns
    from tests.conftest import raw

    demo.build(database, "township", seed=2026, as_of=AS_OF)
    found = {}
    for c in campaigns.campaigns(database):
        grid = campaigns.completeness(database, c.id)
        found[c.name] = (sum(g.screened for g in grid), sum(g.total for g in grid), c)
    done = [v for v in found.values() if v[0] == v[1]]
    under_way = [v for v in found.values() if 0 < v[0] < v[1]]
    assert len(done) == 1 and len(under_way) == 1
    assert under_way[0][2].start_on <= AS_OF <= under_way[0][2].end_on
    conn = raw(database)
    latest = conn.execute("SELECT max(screened_on) FROM screening").fetchone()[0]
    suspected = conn.execute("SELECT count(*) FROM screening WHERE result = '在册涉毒人员'").fetchone()[0]
    conn.close()
    assert latest <= AS_OF.isoformat() and suspected > 0
