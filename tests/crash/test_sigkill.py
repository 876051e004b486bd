"""Crash safety: SIGKILL at random moments while the program commits loses no acknowledged transaction, leaves
no partial one, and leaves a database that passes integrity_check and an audit chain that verifies."""

import os
import random
import time

import pytest

from desktop import audit, db
from desktop.services import township
from desktop.services.audit_log import COLUMNS

KILLS = int(os.environ.get("WUDU_CRASH_KILLS", "200"))


@pytest.mark.slow
@pytest.mark.timeout(900)  # 200 rounds of open-commit-kill: about 80 s here, several minutes on a loaded PC
def test_sigkill_during_commits_loses_nothing_acknowledged_and_leaves_nothing_partial(
    database, township_draft, forks
):
    township.initialize(database, township_draft)
    path, key = database.path, database.key
    database.close()
    rng = random.Random(20261129)
    acknowledged: set[int] = set()
    next_number = 100
    for round_ in range(KILLS):
        child = forks.start("committer", path, key.hex(), next_number)  # a process of its own, forked
        ready = child.readline()
        assert ready.strip() == "READY", forks.errors()
        # Kill relative to the child's own commits, not to the clock, so every round lands among commits however
        # fast or loaded the machine is: wait for 1-3 acknowledged commits, then kill somewhere inside the next.
        acks, stamps = [], [time.monotonic()]
        for _ in range(rng.randint(1, 3)):
            line = child.readline()
            assert line.startswith("ACK "), forks.errors()
            acks.append(line)
            stamps.append(time.monotonic())
        commit_time = (stamps[-1] - stamps[0]) / len(acks)
        time.sleep(rng.uniform(0.0, commit_time * 1.2))
        child.kill()
        code, rest = child.wait()
        assert code == -9, f"round {round_}: the child ended by itself ({code}): {forks.errors()}"
        output = "".join(acks) + rest
        for line in output.splitlines(keepends=True):
            if line.startswith("ACK ") and line.endswith("\n"):
                acknowledged.add(int(line.split()[1]))

        conn = db.connect_raw(path, key)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"round {round_}"
            villages = {int(c) for (c,) in conn.execute("SELECT code FROM village WHERE name LIKE '村%'")}
            missing = acknowledged - villages
            assert not missing, f"round {round_}: acknowledged but lost: {sorted(missing)[:5]}"
            # all or nothing: each village has both its groups and exactly one audit entry of its own
            partial = conn.execute(
                "SELECT v.code FROM village v LEFT JOIN village_group g ON g.village_id = v.id "
                "WHERE v.name LIKE '村%' GROUP BY v.id HAVING count(g.id) != 2"
            ).fetchall()
            assert not partial, f"round {round_}: partial villages {partial[:5]}"
            audited = conn.execute(
                "SELECT count(*) FROM audit_entry WHERE action = 'create' AND entity = 'village'"
            ).fetchone()[0]
            assert audited == len(villages) + len(township_draft.villages)
            rows = conn.execute(f"SELECT {COLUMNS} FROM audit_entry ORDER BY id").fetchall()
            verdict = audit.verify(rows, audit.read_head(audit.head_path_for(path)))
            assert verdict.ok, f"round {round_}: {verdict}"
        finally:
            conn.close()
        next_number = max(villages | acknowledged | {next_number - 1}) + 1
    assert len(acknowledged) >= KILLS, "each round acknowledges at least one commit before its kill"
    print(
        f"{KILLS} kills, {len(villages)} commits kept, {len(acknowledged)} of them acknowledged before the kill "
        f"(the rest were killed between commit and acknowledgement: kept, as a commit must be)"
    )
