"""Resident identity numbers (GB 11643-1999): normalising, checking, deriving birth date and sex, masking.

A refused number raises `IdNumberError` with a machine-readable reason; the words for the clerk live in
`desktop.messages`.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from stdnum import numdb
from stdnum.cn import ric

from desktop.models.enums import Sex


class IdReason(StrEnum):
    EMPTY = "empty"
    OLD_15_DIGITS = "old_15_digits"
    LENGTH = "length"
    CHARACTERS = "characters"
    CHECKSUM = "checksum"
    BIRTH_DATE = "birth_date"
    BIRTH_IN_FUTURE = "birth_in_future"
    AREA_CODE = "area_code"


class IdNumberError(ValueError):
    def __init__(self, reason: IdReason, value: str) -> None:
        super().__init__(f"{reason.value}: {value!r}")
        self.reason = reason
        self.value = value


@dataclass(frozen=True, slots=True)
class IdNumber:
    value: str
    area_code: str
    birth_date: dt.date
    sex: Sex


_WHITESPACE = {" ", "\t", "\n", "\r", "\u3000", "\u00a0", "-"}


def normalize(raw: str) -> str:
    """Full-width digits and letters to ASCII, all spaces dropped, lower-case x to upper-case X."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(ch for ch in text if ch not in _WHITESPACE).upper()


@lru_cache(maxsize=4096)
def _area_listed(area_code: str) -> bool:
    """Whether GB/T 2260 lists the 6-digit code as a county, in any year (counties are renamed and people
    keep their number, so a code no longer current is still accepted). Cached: an import of 50,000 rows sees
    only a few hundred codes."""
    return any("county" in props for _, props in numdb.get("cn/loc").info(area_code))


def parse(raw: str, *, today: dt.date | None = None) -> IdNumber:
    number = normalize(raw)
    if not number:
        raise IdNumberError(IdReason.EMPTY, raw)
    if len(number) == 15 and number.isdigit():
        raise IdNumberError(IdReason.OLD_15_DIGITS, raw)
    if len(number) != 18:
        raise IdNumberError(IdReason.LENGTH, raw)
    if not (number[:17].isdigit() and (number[17].isdigit() or number[17] == "X")):
        raise IdNumberError(IdReason.CHARACTERS, raw)
    if ric.calc_check_digit(number) != number[17]:
        raise IdNumberError(IdReason.CHECKSUM, raw)
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(IdReason.BIRTH_DATE, raw) from None
    if birth.year < 1900:
        raise IdNumberError(IdReason.BIRTH_DATE, raw)
    if birth > (today or dt.date.today()):
        raise IdNumberError(IdReason.BIRTH_IN_FUTURE, raw)
    if not _area_listed(number[:6]):
        raise IdNumberError(IdReason.AREA_CODE, raw)
    sex = Sex.MALE if int(number[16]) % 2 == 1 else Sex.FEMALE
    return IdNumber(value=number, area_code=number[:6], birth_date=birth, sex=sex)


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    return ric.calc_check_digit(first17 + "0")


def mask(value: str) -> str:
    """`110105**********3X`: the area code and the last two characters (the sex digit and the check character)
    kept; the birth date and the first two sequence digits hidden.

    Lists show the birth month beside it, never the day: from all a viewer sees, a number is one of about 280
    (a day of the month × 100 sequences ÷ 11 check characters), not one of nine, as it was when the mask kept
    the last four and the list showed the birth date (tests/domain/test_masking.py plays that attacker)."""
    if len(value) != 18:
        return "*" * len(value)
    return value[:6] + "*" * 10 + value[16:]
