"""Mainland phone numbers: a mobile (13812345678) or a landline with its area code (0731-87654321)."""

from __future__ import annotations

import re
import unicodedata

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^(0\d{2,3})(\d{7,8})$")


class PhoneError(ValueError):
    pass


def normalise_phone(raw: str) -> str:
    """'' for nothing; a normalised number; PhoneError for anything else."""
    text = unicodedata.normalize("NFKC", raw or "")
    digits = re.sub(r"[\s\-()（）.]", "", text)
    if not digits:
        return ""
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if MOBILE.match(digits):
        return digits
    m = LANDLINE.match(digits)
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    raise PhoneError(raw)
