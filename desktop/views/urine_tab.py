"""The 尿检通知 tab: urine-test notices scheduled by rule, printed, delivered, tested, overdue (issue 11)."""

from __future__ import annotations

from desktop.views.registers import RegisterSpec, tr


def spec() -> RegisterSpec:
    return RegisterSpec(
        "tests",
        tr("尿检通知"),
        (
            tr("通知编号"),
            tr("对象"),
            tr("身份证号码"),
            tr("应检日期"),
            tr("通知送达"),
            tr("检测日期"),
            tr("结果"),
            tr("状态"),
        ),
        tr("尿检通知：按规则排定、打印、送达、检测、结果登记和逾期提醒。"),
        tr("本登记簿将在后续版本中提供。"),
    )


def load(window) -> None:
    """Nothing to fill yet."""
