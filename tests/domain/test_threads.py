"""One database from many threads at once, as the window uses it: the GUI thread and the runner's threads read
while the writer writes and a backup is made. Nothing may fail, nothing committed may be missing, and the audit
chain must still verify.

This is the test that the in-memory pool (SingletonThreadPool, which SQLAlchemy picks for the URL `sqlite://`)
fails: with more than five threads it closes a connection another thread is still reading from — a
`ProgrammingError`, or a crash inside SQLCipher."""

import faulthandler
import sys
import threading

from desktop import db as store
from desktop.models.idnumber import check_character
from desktop.services import audit_log, backups, people, residents, township

READERS, WRITERS, ROUNDS = 8, 2, 60


def id_number(writer: int, n: int) -> str:
    first17 = f"430522{1960 + writer:04d}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return first17 + check_character(first17)


def test_readers_writers_and_a_backup_share_one_database(database, township_draft, tmp_path):
    """Eight readers, two writers and a backup thread on one Database: no error, every committed resident is
    there afterwards, the chain verifies, and each backup opens and passes SQLite's check."""
    faulthandler.enable(file=sys.stderr, all_threads=True)
    township.initialize(database, township_draft)
    errors: list[BaseException] = []
    written: list[str] = []
    made: list = []
    start = threading.Barrier(READERS + WRITERS + 1)

    def guarded(work):
        def run(*args):
            start.wait()
            try:
                work(*args)
            except BaseException as exc:  # noqa: BLE001 - collected and asserted on below
                errors.append(exc)

        return run

    @guarded
    def read(n: int) -> None:
        flt = residents.ResidentFilter(text="东山" if n % 2 else "")
        for _ in range(ROUNDS):
            ids = residents.resident_ids(database, flt)
            residents.resident_rows(database, ids[:50])
            residents.resident_count(database)

    @guarded
    def write(w: int) -> None:
        for n in range(ROUNDS // 2):
            number = id_number(w, n)
            people.add_resident(
                database, people.ResidentDraft("东山村", "一组", f"{w}{n:04d}", "", f"居民{w}号{n}", number)
            )
            written.append(number)

    @guarded
    def back_up() -> None:
        for n in range(3):
            made.append(backups.make_backup(database, tmp_path / f"copies{n}"))

    threads = [threading.Thread(target=read, args=(n,)) for n in range(READERS)]
    threads += [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    threads.append(threading.Thread(target=back_up))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert len(written) == WRITERS * (ROUNDS // 2)
    assert residents.resident_count(database) == len(written)
    # a new handle (new connections) sees every committed write
    database.close_engine()
    assert residents.resident_count(database) == len(written)
    assert audit_log.verify_chain(database).ok
    assert len(made) == 3
    for copy in made:
        assert store.quick_check(copy, database.key) == "ok"


def test_the_store_keeps_no_connection_per_thread(database):
    """The pool hands a connection to one checkout at a time and never closes one in use: a connection a
    thread holds open stays usable while more threads than the pool's size come and go."""
    from sqlalchemy import text

    with database.read() as held:
        held.execute(text("SELECT 1")).scalar()

        def visit() -> None:
            with database.read() as conn:
                conn.execute(text("SELECT count(*) FROM audit_entry")).scalar()

        for _ in range(3):
            threads = [threading.Thread(target=visit) for _ in range(12)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        assert held.execute(text("SELECT count(*) FROM audit_entry")).scalar() >= 0
