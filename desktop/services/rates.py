"""A rate the county assesses (尿检率, 签订率, and the 考核 figures to come): a numerator over a denominator, shown
with both, and no rate at all — "—", never 0% — where there is nothing to count."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.numerator / self.denominator if self.denominator else None

    def text(self) -> str:
        p = self.percent
        return "—" if p is None else f"{p:.1f}%"
