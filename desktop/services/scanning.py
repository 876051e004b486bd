"""What the scan fields of the notices and the agreements share: reading a number as a USB scanner types it
(the ASCII form on the barcode, N2026-0042 or A2026-0042) or as a clerk types it (2026-尿-0042, 2026-责-0042),
and the outcome of one scan, said the same way for both."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


def parse(text: str, letter: str, word: str) -> tuple[int, int] | None:
    """(year, seq) from either form of a number; None for anything else."""
    pattern = rf"^\s*(?:{letter})?(\d{{4}})\s*-\s*(?:{word}\s*-\s*)?(\d{{1,6}})\s*$"
    m = re.match(pattern, text or "", re.IGNORECASE)
    return (int(m.group(1)), int(m.group(2))) if m else None


@dataclass(frozen=True)
class ScanOutcome:
    kind: str  # done | already | void | unknown | unreadable
    number: str
    name: str = ""
    detail: str = ""  # the state it was in, or why it was voided
    on: dt.date | None = None
