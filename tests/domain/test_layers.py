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
    "desktop/keystore.py",
    "desktop/audit.py",
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


def test_unlocking_and_opening_a_current_database_needs_no_orm(tmp_path):
    """The log-in window and the key check come before SQLAlchemy loads (benchmarks/startup.py measures the
    time); this keeps an innocent top-level import from silently undoing that."""
    from desktop import db
    from desktop.services import accounts, demo

    d = accounts.create_installation(tmp_path / db.DB_FILENAME, "admin", "correct-horse-7").db
    demo.build(d, "small", seed=1)
    d.close()
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from desktop import db\n"
        "from desktop.keystore import KeyStore\n"
        "import desktop.views.login\n"
        f"path = Path({str(d.path)!r})\n"
        "key = KeyStore.load(path).unlock('admin', 'correct-horse-7')\n"
        "d = db.open_database(path, key)\n"
        "print(d.township())\n"
        "d.close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'alembic')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    township_line, modules_line = done.stdout.strip().splitlines()
    assert "演示镇" in township_line
    assert modules_line == "[]"


def test_the_layer_contracts_hold():
    """STYLE.md's layers as import-linter contracts (pyproject.toml): an upward import, Qt below the views, a
    query in a view or a PDF builder reaching into the store fails here, naming the import."""
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "4 kept, 0 broken" in done.stdout


def test_the_errors_module_is_the_bottom_floor():
    """Typed errors are imported by every layer, so they import nothing of ours."""
    import ast

    tree = ast.parse((ROOT / "desktop" / "errors.py").read_text("utf-8"))
    ours = [
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("desktop")
    ]
    assert ours == []


def test_importing_the_window_modules_loads_no_orm():
    """The window's modules (every tab among them) are imported before the log-in window shows: a tab that
    imports a service at its top pulls SQLModel into every start (it once added 0.2 s)."""
    code = "import sys\nimport desktop.views.app\nprint(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlmodel'))\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", done.stdout
