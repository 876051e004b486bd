import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402

from desktop import db, keystore  # noqa: E402
from desktop.models.units import GroupDraft, TownshipDraft, VillageDraft  # noqa: E402
from desktop.services import accounts  # noqa: E402

AS_OF = dt.date(2026, 11, 29)
ADMIN, PASSWORD = "admin", "correct-horse-7"


# Keys are derived with argon2id at its cheapest in the test process: argon2-cffi's defaults (64 MiB, 3 passes)
# cost about 0.1 s a derivation, and the suite derives some 2,000 keys — a third of its time. The program, and
# every program a test starts as a child process, keeps the defaults; `real_argon2` gives a test the defaults.
CHEAP_ARGON2 = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
REAL_HASHER = keystore._hasher


@pytest.fixture(scope="session", autouse=True)
def cheap_argon2():
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(keystore, "_hasher", lambda: CHEAP_ARGON2)
        yield


@pytest.fixture
def real_argon2(monkeypatch):
    """This test derives its keys as the program does, with argon2-cffi's defaults."""
    monkeypatch.setattr(keystore, "_hasher", REAL_HASHER)


@pytest.fixture
def installation(tmp_path: Path):
    """A fresh encrypted database created by the migrations, with its first administrator logged in,
    as the program creates it on first start."""
    inst = accounts.create_installation(tmp_path / "data" / db.DB_FILENAME, ADMIN, PASSWORD)
    yield inst
    inst.db.close()


@pytest.fixture
def database(installation):
    return installation.db


def raw(database):
    """A raw connection to inspect the file as a test (the file is encrypted: it needs the key)."""
    return db.connect_raw(database.path, database.key)


@pytest.fixture
def township_draft() -> TownshipDraft:
    return TownshipDraft(
        county_name="新邵县",
        township_name="严塘镇",
        code="430522101",
        villages=[
            VillageDraft("001", "东山村", "村", [GroupDraft("01", "一组"), GroupDraft("02", "二组")]),
            VillageDraft("002", "河口社区", "社区", [GroupDraft("01", "一组")]),
        ],
    )


def damage_pages(path: Path) -> bytes:
    """Overwrite a stretch of every seventh page (past the header) as a failing disk would; returns the bytes."""
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 3, len(data) - 4096, 4096 * 7):
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    return bytes(data)


@pytest.fixture
def aftercare_case(database, township_draft) -> int:
    """A released person (出所) in 东山村, handed over on 28 May 2026, their case started on 1 June 2026."""
    from desktop.models.idnumber import check_character
    from desktop.services import aftercare, people, township

    township.initialize(database, township_draft)
    first17 = "43052219880304561"
    pid = people.add_resident(
        database,
        people.ResidentDraft("东山村", "一组", "0001", "", "钱某", first17 + check_character(first17)),
    )
    return aftercare.open_case(
        database,
        pid,
        basis="出所",
        start_on=dt.date(2026, 6, 1),
        facility="市强制隔离戒毒所",
        handover_notice_on=dt.date(2026, 5, 28),
        today=dt.date(2026, 6, 1),
    )


# --- a real PostgreSQL server, for the county's records on a server --------------------------------------------
def _pg_bin() -> Path | None:
    import glob
    import shutil

    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(versions[-1]).parent if versions else None


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server of the test run's own, started from the Debian package's binaries on a free local
    port (as the `postgres` user when the tests run as root). Skipped with the reason where there is none —
    but never in CI, where scripts/system-deps.sh installs it: there a missing server fails the run."""
    import pwd
    import shutil
    import socket
    import subprocess
    import tempfile

    bindir = _pg_bin()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail(
                "no PostgreSQL server binaries (scripts/system-deps.sh installs the postgresql package)"
            )
        pytest.skip("no PostgreSQL server binaries here (Debian: apt-get install postgresql)")
    base = Path(tempfile.mkdtemp(prefix="wudu-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        user = pwd.getpwnam("postgres")
        os.chown(base, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data, log = base / "data", base / "server.log"
    run = lambda *argv: subprocess.run([*as_user, *argv], check=True, capture_output=True, timeout=120)  # noqa: E731
    run(
        str(bindir / "initdb"),
        "-D",
        str(data),
        "--auth=trust",
        "-U",
        "postgres",
        "--encoding=UTF8",
        "--locale=C",
    )
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server):
    """A new, empty database on the test run's server; dropped afterwards."""
    import uuid

    import psycopg

    name = f"wudu_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{postgres_server}/{name}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
