"""One place that knows where bundled resources live, from source and from a frozen build alike."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    """The `resources/` folder: beside the frozen executable's bundle, or at the top of the source tree."""
    candidates = []
    frozen_root = getattr(sys, "_MEIPASS", None)  # PyInstaller one-folder/one-file builds
    if frozen_root:
        candidates.append(Path(frozen_root) / "resources")
    candidates.append(Path(__file__).resolve().parent.parent / "resources")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"resources folder not found in: {', '.join(map(str, candidates))}")


def resource_path(*parts: str) -> Path:
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(path)
    return path


def cjk_font_path() -> Path:
    """The bundled TrueType CJK font used by both the UI and the PDF builders."""
    return resource_path("fonts", "wqy-microhei.ttc")


def icon_path(suffix: str = "png") -> Path:
    """The program's icon (the anti-drug sign), drawn by scripts/make_icon.py: png for the window, ico for
    the Windows executable and setup program."""
    return resource_path("icons", f"wudu.{suffix}")
