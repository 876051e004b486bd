"""Child process of the kill tests: logs in, says READY, does one operation, says DONE.

Usage: python -m tests.crash.operations OP DATA_DIR [ARG]   (WUDU_PASSWORD in the environment)
OP: import FILE | backup FOLDER | restore FILE | export FILE | keys (changes the password back and forth,
printing `ACK password` after each save). It is killed with SIGKILL at a random moment.
"""

import os
import sys
from pathlib import Path

from desktop import db, tempfiles
from desktop.services import accounts, backups, people_excel

PASSWORDS = ("correct-horse-7", "another-strong-9")


def main() -> None:
    op, data_dir = sys.argv[1], Path(sys.argv[2])
    arg = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    tempfiles.start(data_dir)
    database = accounts.log_in(data_dir / db.DB_FILENAME, "admin", os.environ["WUDU_PASSWORD"])
    print("READY", flush=True)
    if op == "import":
        people_excel.import_file(database, arg)
    elif op == "backup":
        backups.make_backup(database, arg)
    elif op == "restore":
        backups.restore(database, arg)
    elif op == "export":
        people_excel.export(database, arg)
    elif op == "keys":
        current = os.environ["WUDU_PASSWORD"]
        while True:
            new = PASSWORDS[1] if current == PASSWORDS[0] else PASSWORDS[0]
            accounts.change_own_password(database, current, new)
            print(f"ACK {new}", flush=True)
            current = new
    database.close()
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
