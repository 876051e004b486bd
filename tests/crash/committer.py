"""Child process of the crash test: commits village after village through the services, acknowledging each.

Usage: python -m tests.crash.committer DB_PATH KEY_HEX FIRST_NUMBER
Prints READY once open, then `ACK n` after each commit returns. It is killed with SIGKILL at a random moment.
"""

import sys
from pathlib import Path

from desktop import db
from desktop.models.enums import Role
from desktop.models.units import GroupDraft, VillageDraft
from desktop.services import township
from desktop.services.auth import Actor


def main() -> None:
    path, key, n = Path(sys.argv[1]), bytes.fromhex(sys.argv[2]), int(sys.argv[3])
    database = db.open_database(path, key)
    database.actor = Actor("admin", "管理员", Role.ADMIN)
    print("READY", flush=True)
    while True:
        draft = township.load_units(database)
        draft.villages.append(
            VillageDraft(f"{n}", f"村{n}", "村", [GroupDraft("01", "一组"), GroupDraft("02", "二组")])
        )
        township.apply_units(
            database, draft
        )  # one transaction: a village, its two groups, their audit entries
        print(f"ACK {n}", flush=True)
        n += 1


if __name__ == "__main__":
    main()
