"""The 责任书 tab: responsibility agreements for every level, generated, printed, signed, filed (issue 12).
Empty until that issue: its columns and what it will hold."""

from __future__ import annotations

from desktop.views.registers import RegisterSpec, tr


def spec() -> RegisterSpec:
    return RegisterSpec(
        "agreements",
        tr("责任书"),
        (
            tr("责任书类别"),
            tr("甲方"),
            tr("乙方"),
            tr("年度"),
            tr("打印日期"),
            tr("签订日期"),
            tr("归档"),
        ),
        tr("责任书：为各村（社区）、小组、农户和场所生成、打印、签订和归档。"),
        tr("本登记簿将在后续版本中提供。"),
    )


def load(window) -> None:
    """Nothing to fill yet."""
