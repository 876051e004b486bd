"""Files the user names: checked before use, written whole or not at all, refused in words they can act on.

- `workbook(path)` opens an .xlsx the clerk chose, or raises FileProblem: missing, a folder, empty, the old
  .xls format, not a workbook at all, or truncated.
- `write_atomically(target, write)` has `write(tmp_path)` make the file in the private temp folder (inside the
  data folder, see desktop.tempfiles), then copies it beside the target under a temporary name, syncs it and
  renames it into place: a killed process, a pulled stick or a full disk leaves no half-written file under the
  target's name, and no plaintext copy in the system's temp folder.
- `set_text(cell, value)` / `text_cell(ws, value)` make a cell's text inert: a value that Excel or WPS would
  read as a formula (= + - @, or a tab/CR in front) is written as a string cell, never a formula.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

from desktop import tempfiles
from desktop.errors import FileProblem, StorageFull, file_error

# what a workbook broken inside (a sheet's XML, a member of the zip) raises when it is read
DAMAGED = (zipfile.BadZipFile, ET.ParseError, KeyError, EOFError, zlib.error, ValueError)
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc) container
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def check_readable(path: Path, *, suffix: str = ".xlsx") -> Path:
    path = Path(path)
    if path.is_dir():
        raise FileProblem(path, "folder")
    if not path.exists():
        raise FileProblem(path, "missing")
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            start = fh.read(8)
    except OSError as exc:
        raise file_error(path, exc) from exc
    if size == 0:
        raise FileProblem(path, "empty")
    if suffix == ".xlsx":
        if start == OLE_SIGNATURE or path.suffix.lower() in (".xls", ".et"):
            raise FileProblem(path, "xls")
        if not start.startswith(b"PK"):
            raise FileProblem(path, "not_xlsx")
    return path


def workbook(path: Path, **options):
    """openpyxl's load_workbook, with every way a chosen file can be wrong turned into a FileProblem."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = check_readable(path)
    try:
        return load_workbook(path, **options)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, EOFError, zipfile.LargeZipFile) as exc:
        raise FileProblem(path, "damaged", type(exc).__name__) from exc
    except OSError as exc:
        raise file_error(path, exc) from exc
    except ValueError as exc:  # openpyxl: a part it cannot parse
        raise FileProblem(path, "damaged", type(exc).__name__) from exc


def check_writable_target(target: Path) -> Path:
    """Refuse a target that is a folder, or whose folder is missing, before any work is done."""
    target = Path(target)
    if target.is_dir():
        raise FileProblem(target, "folder")
    if not target.parent.is_dir():
        raise FileProblem(target.parent, "not_a_folder" if target.parent.exists() else "no_folder")
    return target


def write_atomically(
    target: Path,
    write: Callable[[Path], None],
    data_dir: Path,
    *,
    verify: Callable[[bytes], None] | None = None,
) -> Path:
    """Make the file with `write(tmp)` in the data folder's private temp folder, then put it in place in one
    rename. With `verify`, the copy beside the target is read back and handed to it before the rename (a bundle
    for the county: a stick that returns other bytes than it took keeps nothing that looks like a bundle)."""
    target = check_writable_target(target)
    scratch = Path(tempfile.mkdtemp(prefix="out-", dir=tempfiles.scratch_dir(data_dir)))
    staged = target.with_name(f".{target.name}.partial")
    try:
        made = scratch / target.name
        try:
            write(made)
        except OSError as exc:
            raise file_error(made, exc, writing=True) from exc
        try:
            shutil.copyfile(made, staged)
            with open(staged, "rb+") as fh:
                os.fsync(fh.fileno())
            if verify is not None:
                with open(staged, "rb") as fh:
                    verify(fh.read())
            os.replace(staged, target)
            with contextlib.suppress(OSError):  # the rename itself, where a folder can be synced
                folder = os.open(target.parent, os.O_RDONLY)
                try:
                    os.fsync(folder)
                finally:
                    os.close(folder)
        except OSError as exc:
            with contextlib.suppress(OSError):
                staged.unlink()
            error = file_error(target, exc, writing=True)
            raise (StorageFull(target) if isinstance(error, StorageFull) else error) from exc
        except BaseException:
            with contextlib.suppress(OSError):
                staged.unlink()
            raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def set_text(cell, value) -> None:
    """Put `value` into `cell` as a plain string, never a formula (see the module's text)."""
    text = "" if value is None else str(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl would otherwise store a leading "=" as a formula
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True  # and Excel keeps it text even when the cell is edited


def text_cell(ws, value):
    """A write-only worksheet's cell holding `value` as a plain string."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=None)
    set_text(cell, value)
    return cell
