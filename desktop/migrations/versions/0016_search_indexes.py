"""Search as you type on a county's 800,000 residents: the first page of any search without a full scan

- `person_name_grams` (FTS5): the two-character pieces of every name, so a part of a name ("秀英") is looked
  up instead of scanned; `person_number_grams` (FTS5, trigram): ID numbers and phones, so three or more digits
  are looked up too. Both are kept by triggers on `person`, in the same transaction as the change.
- `ix_person_initials_name` (name_initials, name) replaces `ix_person_initials`: pinyin initials list in the
  index's order, so the first page of "w" is read off the index instead of sorting 80,000 hits.

SQLite only (a township's file, the county's files); on a PostgreSQL server the county's search of one
township uses plain LIKE.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAX_GRAMS = 15  # names up to 16 characters give all their pieces; longer ones still by their prefix


def grams(column: str) -> str:
    """The two-character pieces of `column`, separated by spaces, in SQL."""
    return " || ' ' || ".join(
        f"CASE WHEN length({column}) > {i} THEN substr({column}, {i}, 2) ELSE '' END"
        for i in range(1, MAX_GRAMS + 1)
    )


def upgrade() -> None:
    op.create_index("ix_person_initials_name", "person", ["name_initials", "name"])
    op.drop_index("ix_person_initials", table_name="person")
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE VIRTUAL TABLE person_name_grams USING fts5(grams, content='', contentless_delete=1, "
        "tokenize='unicode61')"
    )
    op.execute(
        "CREATE VIRTUAL TABLE person_number_grams USING fts5(id_number, phone, content='', contentless_delete=1, "
        "tokenize='trigram')"
    )
    new = grams("new.name")
    op.execute(f"""
        CREATE TRIGGER person_grams_insert AFTER INSERT ON person BEGIN
            INSERT INTO person_name_grams(rowid, grams) VALUES (new.id, {new});
            INSERT INTO person_number_grams(rowid, id_number, phone) VALUES (new.id, new.id_number, new.phone);
        END
    """)
    op.execute("""
        CREATE TRIGGER person_grams_delete AFTER DELETE ON person BEGIN
            DELETE FROM person_name_grams WHERE rowid = old.id;
            DELETE FROM person_number_grams WHERE rowid = old.id;
        END
    """)
    op.execute(f"""
        CREATE TRIGGER person_grams_update AFTER UPDATE OF id, name, id_number, phone ON person BEGIN
            DELETE FROM person_name_grams WHERE rowid = old.id;
            DELETE FROM person_number_grams WHERE rowid = old.id;
            INSERT INTO person_name_grams(rowid, grams) VALUES (new.id, {new});
            INSERT INTO person_number_grams(rowid, id_number, phone) VALUES (new.id, new.id_number, new.phone);
        END
    """)
    op.execute(f"INSERT INTO person_name_grams(rowid, grams) SELECT id, {grams('name')} FROM person")
    op.execute(
        "INSERT INTO person_number_grams(rowid, id_number, phone) SELECT id, id_number, phone FROM person"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("person_grams_insert", "person_grams_delete", "person_grams_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS person_name_grams")
        op.execute("DROP TABLE IF EXISTS person_number_grams")
    op.create_index("ix_person_initials", "person", ["name_initials"])
    op.drop_index("ix_person_initials_name", table_name="person")
