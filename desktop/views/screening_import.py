"""A village's screening sheet (排查表) in and out of Excel, from the 排查活动 dialog: write it for the cadres, and
read it back through the same preview and refusals as the residents import (views/import_dialog.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from desktop.errors import DomainError
from desktop.services import campaigns
from desktop.services import screening_excel as sx
from desktop.views.errors import show_error
from desktop.views.import_dialog import ImportDialog


class ScreeningImportDialog(ImportDialog):
    title = "从Excel导入排查表 — {0}"

    def __init__(self, database, path: Path, runner, parent=None, today: dt.date | None = None) -> None:
        super().__init__(database, path, runner, parent)
        self.today = today
        self.model.headers = ("行号", "小组 户号 户主", "结果", "原因")
        self.refused_hint = self.tr(
            "有不合格的行时，“全部导入”不可用；可以只导入合格的行。不合格的行留在原表格中，"
            "改正后再导入同一个文件即可，已导入的行不会重复。"
        )

    def make_preview(self, progress):
        return sx.preview(self.database, self.path, today=self.today)

    def make_import(self, only_valid: bool, progress):
        return sx.import_sheet(self.database, self.path, only_valid=only_valid, today=self.today)

    def describe_plan(self, plan: sx.SheetPreview) -> tuple[str, int]:
        text = self.tr(
            "{0} · {1}：共{2}户。新登记{3}户，更正{4}户，无变化{5}户，空白（未排查，跳过）{6}户，不合格{7}行。"
        ).format(
            plan.campaign,
            plan.village,
            len(plan.rows),
            plan.count("new"),
            plan.count("changed"),
            plan.count("unchanged"),
            plan.count("skipped"),
            len(plan.refused),
        )
        return text, len(plan.ready)

    def describe_result(self, result: sx.SheetResult) -> str:
        text = self.tr("已登记{0}户的排查结果；{1}户无变化，{2}户空白未登记。").format(
            result.written, result.unchanged, result.skipped
        )
        if result.refused:
            text += self.tr("\n不合格的{0}行没有导入：改正后再导入同一个文件。").format(result.refused)
        return text


def export_sheet(parent, database, campaign: campaigns.CampaignInfo) -> Path | None:
    """Ask for the village (when the campaign has several) and where to save; write the sheet."""
    names = campaigns.village_names(database)
    villages = [(vid, names[vid]) for vid in campaign.village_ids if vid in names]
    if not villages:
        return None
    village_id, village = villages[0]
    if len(villages) > 1:
        choice, ok = QInputDialog.getItem(
            parent,
            parent.tr("导出本村排查表"),
            parent.tr("导出哪个村（社区）："),
            [v for _, v in villages],
            0,
            False,
        )
        if not ok:
            return None
        village_id, village = next(v for v in villages if v[1] == choice)
    suggested = str(Path.home() / f"{campaign.name}-{village}排查表.xlsx")
    target, _ = QFileDialog.getSaveFileName(parent, parent.tr("导出本村排查表"), suggested, "Excel (*.xlsx)")
    if not target:
        return None
    try:
        count = sx.write_sheet(database, campaign.id, village_id, Path(target))
    except DomainError as exc:
        show_error(parent, exc)
        return None
    QMessageBox.information(
        parent,
        parent.tr("导出本村排查表"),
        parent.tr(
            "已导出{0}的{1}户：\n{2}\n\n在“排查结果”一列选择结果，填好排查日期和排查人，再用“从Excel导入排查表”导回。"
            "表格含有居民姓名和住址，用完请删除。"
        ).format(village, count, target),
    )
    return Path(target)


def import_sheet(parent, database, runner) -> bool:
    source, _ = QFileDialog.getOpenFileName(
        parent, parent.tr("从Excel导入排查表"), str(Path.home()), "Excel (*.xlsx)"
    )
    if not source:
        return False
    dialog = ScreeningImportDialog(database, Path(source), runner, parent)
    dialog.start()
    return bool(dialog.exec())
