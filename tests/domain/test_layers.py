"""Nothing below the views imports Qt, so the domain runs headless and from the command line."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BELOW_VIEWS = [
    "desktop/models",
    "desktop/services",
    "desktop/pdf",
    "desktop/exchange",
    "desktop/db.py",
    "desktop/storage.py",
    "desktop/dblock.py",
    "desktop/messages.py",
]


def modules_below_views() -> list[str]:
    names = []
    for entry in BELOW_VIEWS:
        path = ROOT / entry
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for f in files:
            names.append(".".join(f.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"))
    return names


def test_importing_every_module_below_the_views_loads_no_qt():
    modules = modules_below_views()
    assert "desktop.services.township" in modules and "desktop.db" in modules
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"Qt imported below the views: {done.stdout}"


def test_opening_a_current_database_needs_no_orm(tmp_path):
    """Start-up paints the window before SQLAlchemy loads (benchmarks/startup.py measures the time); this
    keeps an innocent top-level import from silently undoing that."""
    from desktop import db
    from desktop.services import demo

    d = db.open_database(tmp_path / db.DB_FILENAME)
    demo.build(d, "small", seed=1)
    d.close()
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from desktop import db\n"
        f"d = db.open_database(Path({str(d.path)!r}))\n"
        "print(d.township())\n"
        "d.close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'alembic')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    township_line, modules_line = done.stdout.strip().splitlines()
    assert "演示镇" in township_line
    assert modules_line == "[]"
