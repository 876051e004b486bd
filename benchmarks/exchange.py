"""The county exchange: the township demo exported to a bundle, and the county importing 20 townships' bundles
of that size.

Baselines in the same run: reading the same rows raw (what any export must at least do) and inserting the same
rows raw into a fresh file of the same schema, in one transaction (what any import must at least do). Goals:
export ≤ 5 s; 20 bundles imported ≤ 60 s. The twenty bundles are the township demo signed by twenty township
keys (twenty demos would take longer to build than to import)."""

from __future__ import annotations

import datetime as dt
import json
import resource
import tempfile
import time
import zlib
from pathlib import Path

PASSWORD = "benchmark-pass-1"
TOWNSHIPS = 20


def raw_read(database) -> float:
    from desktop import db
    from desktop.exchange import rows

    t0 = time.perf_counter()
    conn = db.connect_raw(database.path, database.key, readonly=True)
    rows.read_snapshot(conn, audit_after=0)
    conn.close()
    return time.perf_counter() - t0


def raw_insert(body: dict, target: Path, key: bytes) -> float:
    from desktop import db
    from desktop.exchange import rows

    target.parent.mkdir(parents=True, exist_ok=True)
    db.migrate(target, key, target.parent / "backups")
    conn = db.connect_raw(target, key)
    conn.isolation_level = None
    for name in body["tables"]:  # what the migrations seed (templates, rules), as the import replaces it
        conn.execute(f'DELETE FROM "{name}"')
    t0 = time.perf_counter()
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("BEGIN")
    for name, part in body["tables"].items():
        if part["rows"]:
            cols = ", ".join(f'"{c}"' for c in part["columns"])
            blobs = rows.blob_positions(name, part["columns"])
            conn.executemany(f'INSERT INTO "{name}" ({cols}) VALUES ({", ".join("?" * len(part["columns"]))})',
                             [rows.decode_row(r, blobs) for r in part["rows"]])  # fmt: skip
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def run() -> list[dict]:
    from desktop import db
    from desktop.exchange import county, export, keys, sealed
    from desktop.services import accounts, demo

    with tempfile.TemporaryDirectory(prefix="wudu-bench-") as name:
        tmp = Path(name)
        town = accounts.create_installation(tmp / "town" / db.DB_FILENAME, "admin", PASSWORD).db
        demo.build(town, "township", seed=2026, as_of=dt.date(2026, 11, 29))
        office = accounts.create_installation(tmp / "county" / db.DB_FILENAME, "admin", PASSWORD).db
        keys.set_up_county(office, "演示县")
        keys.export_public(office, tmp / "county.wudu-key")
        stick = tmp / "stick"
        stick.mkdir()
        read = raw_read(town)
        bundles, exported = [], []
        for i in range(TOWNSHIPS):
            conn = db.connect_raw(town.path, town.key)  # a new township identity, as at another township's PC
            conn.execute("DELETE FROM exchange_identity")
            conn.execute("DELETE FROM exchange_sent")
            conn.commit()
            conn.close()
            keys.township_init(town, tmp / "county.wudu-key")
            keys.export_public(town, tmp / f"town{i}.wudu-key")
            keys.register_township(office, tmp / f"town{i}.wudu-key")
            folder = stick / f"{i:02d}"
            folder.mkdir()
            t0 = time.perf_counter()
            done = export.export(town, folder)
            exported.append(time.perf_counter() - t0)
            bundles.append(done)
        exported.sort()
        export_time = exported[len(exported) // 2]
        ident = keys.private_keys(office)
        import pyrage
        from pyrage import x25519

        opened = sealed.open_sealed(bundles[0].path.read_bytes(), sealed.BUNDLE_MAGIC)
        body = json.loads(
            zlib.decompress(pyrage.decrypt(opened.payload, [x25519.Identity.from_str(ident.age_identity)]))
        )
        baseline_one = raw_insert(body, tmp / "raw" / "one.sqlite3", office.key)
        del body
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t0 = time.perf_counter()
        results = county.import_many(office, [b.path for b in bundles])
        imported = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        assert all(isinstance(r, county.Imported) and not r.already for r in results), results[:2]
        size, changed = bundles[0].size, bundles[0].changed
        town.close()
        office.close()
    return [
        {"figure": f"township demo: read its {changed:,} rows raw (baseline)", "value": f"{read:.2f} s",
         "ratio": "1.00×", "goal": "", "peak": ""},
        {"figure": f"township demo: export one bundle ({size / 1e6:.1f} MB)", "value": f"{export_time:.2f} s",
         "ratio": f"{export_time / read:.2f}×", "goal": "≤ 5 s", "peak": "", "ok": export_time <= 5},
        {"figure": f"{TOWNSHIPS} bundles' rows inserted raw (baseline, 20 × one)", "value": f"{baseline_one * TOWNSHIPS:.2f} s",
         "ratio": "1.00×", "goal": "", "peak": ""},
        {"figure": f"county: import {TOWNSHIPS} township bundles (checked, decrypted, one transaction each)",
         "value": f"{imported:.2f} s", "ratio": f"{imported / (baseline_one * TOWNSHIPS):.2f}×", "goal": "≤ 60 s",
         "peak": f"{peak:.0f} MB (process; {before:.0f} MB before)", "ok": imported <= 60},
    ]  # fmt: skip
