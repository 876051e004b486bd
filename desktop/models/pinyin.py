"""Pinyin initials of a name, for searching the register by typing 'zs' for 张三 (a Chinese keyboard's habit).

The initials are stored with the person (`person.name_initials`) so the search uses an index. A surname read
differently from the same character elsewhere (曾 zeng, 单 shan, 解 xie …) takes its surname reading; the rest
comes from pypinyin, which reads characters in context. Imported lazily: pypinyin loads its dictionaries on
first use, which the log-in window does not need.
"""

from __future__ import annotations

from functools import lru_cache

# Surnames whose reading differs from the character's most common one (百家姓 heteronyms).
SURNAME_INITIALS = {
    "曾": "Z", "单": "S", "解": "X", "区": "O", "仇": "Q", "查": "Z", "盖": "G", "乐": "Y", "覃": "Q", "缪": "M",
    "种": "C", "翟": "Z", "员": "Y", "繁": "P", "宓": "M", "秘": "B", "冼": "X", "折": "S", "祭": "Z", "朴": "P",
    "尉": "Y", "长": "C", "重": "C", "柏": "B", "藏": "Z", "沈": "S", "俞": "Y", "任": "R", "华": "H", "纪": "J",
}  # fmt: skip


@lru_cache(maxsize=100_000)
def initials(name: str) -> str:
    """'张三' → 'ZS'; letters and digits in a name are kept, other marks (the · in 阿依古丽·买买提) dropped."""
    from pypinyin import Style, lazy_pinyin

    if not name:
        return ""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    out = "".join(letter[:1] for letter in letters).upper()
    out = "".join(c for c in out if c.isascii() and c.isalnum())
    if name[0] in SURNAME_INITIALS and out:
        out = SURNAME_INITIALS[name[0]] + out[1:]
    return out
