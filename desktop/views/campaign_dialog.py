"""排查活动: the campaigns, each one's completeness grid per village and group, the households still to visit,
and recording a visit's result."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DomainError
from desktop.models.enums import PlaceKind, ScreeningResult
from desktop.services import campaigns, residents
from desktop.views.errors import show_error
from desktop.views.forms import Form as _Form
from desktop.views.forms import close_buttons, date_from_field
from desktop.views.tables import ListTableModel, read_only_table
from desktop.views.tasks import InlineRunner

INCOMPLETE = QColor("#a61b1b")
DRUG_FINDINGS = {ScreeningResult.SUSPECTED.value, ScreeningResult.REGISTERED_USER.value}


class CampaignsTableModel(ListTableModel):
    HEADERS = ("排查活动", "开始", "结束", "村数")

    def cells(self, c: campaigns.CampaignInfo) -> tuple:
        return (c.name, c.start_on.isoformat(), c.end_on.isoformat(), len(c.village_ids))


class ProgressTableModel(ListTableModel):
    HEADERS = ("村（社区）", "小组", "已排查户", "应排查户", "完成率")

    def cells(self, g: campaigns.GroupProgress) -> tuple:
        return (g.village, g.group, g.screened, g.total, f"{g.percent:.0f}%")

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.ForegroundRole and index.isValid() and self.rows[index.row()].percent < 100:
            return INCOMPLETE
        return super().data(index, role)


class UnvisitedTableModel(ListTableModel):
    HEADERS = ("村（社区）", "小组", "户号", "住址", "户主")

    def cells(self, u: campaigns.Unvisited) -> tuple:
        return (u.village, u.group, u.number, u.address, u.head)


class PlacesTableModel(ListTableModel):
    HEADERS = ("村（社区）", "重点场所", "类别", "地址", "本次排查")

    def cells(self, p: campaigns.PlaceState) -> tuple:
        return (p.village, p.name, p.kind, p.address, p.result or self.tr("未排查"))


class NewPlaceDialog(_Form):
    def __init__(self, database, village_ids: tuple[int, ...], parent=None) -> None:
        super().__init__(self.tr("添加重点场所"), self.tr("添加"), parent)
        self.database = database
        names = campaigns.village_names(database)
        self.village = QComboBox()
        for vid in village_ids:
            self.village.addItem(names[vid], vid)
        self.name = QLineEdit()
        self.kind = QComboBox()
        self.kind.addItems([k.value for k in PlaceKind])
        self.address = QLineEdit()
        self.owner = QLineEdit()
        self.phone = QLineEdit()
        for label, w in (
            (self.tr("所在村（社区）："), self.village),
            (self.tr("名称："), self.name),
            (self.tr("类别："), self.kind),
            (self.tr("地址："), self.address),
            (self.tr("负责人："), self.owner),
            (self.tr("电话："), self.phone),
        ):
            self.form.addRow(label, w)
        self.first_field = self.name

    def _on_submit(self) -> None:
        if self.run(
            lambda: campaigns.add_place(
                self.database,
                self.village.currentData(),
                self.name.text(),
                self.kind.currentText(),
                self.address.text(),
                self.owner.text(),
                self.phone.text(),
            )
        ):
            self.accept()


class NewCampaignDialog(_Form):
    def __init__(self, database, parent=None) -> None:
        super().__init__(self.tr("新建排查活动"), self.tr("建立"), parent)
        self.database = database
        self.campaign_id: int | None = None
        today = dt.date.today()
        self.name = QLineEdit(self.tr("{0}年毒情大排查").format(today.year))
        self.start = QLineEdit(today.isoformat())
        self.end = QLineEdit((today + dt.timedelta(days=30)).isoformat())
        self.villages = QListWidget()
        for vid, name in residents.villages(database):
            item = QListWidgetItem(name)
            item.setData(Qt.UserRole, vid)
            item.setCheckState(Qt.Checked)
            self.villages.addItem(item)
        for label, w in (
            (self.tr("名称："), self.name),
            (self.tr("开始日期："), self.start),
            (self.tr("结束日期："), self.end),
            (self.tr("排查范围："), self.villages),
        ):
            self.form.addRow(label, w)
        self.first_field = self.name
        self.resize(460, 480)

    def _on_submit(self) -> None:
        chosen = [
            self.villages.item(i).data(Qt.UserRole)
            for i in range(self.villages.count())
            if self.villages.item(i).checkState() == Qt.Checked
        ]

        def create() -> None:
            self.campaign_id = campaigns.create_campaign(
                self.database,
                self.name.text(),
                date_from_field(self.start, "since"),
                date_from_field(self.end, "end_on"),
                chosen,
            )

        if self.run(create):
            self.accept()


class VisitDialog(_Form):
    """The result of one visit: to a household (`house`) or to a key place (`place`)."""

    def __init__(
        self,
        database,
        campaign_id: int,
        house: campaigns.Unvisited | None = None,
        place: campaigns.PlaceState | None = None,
        parent=None,
    ) -> None:
        title = (
            self.tr("登记排查结果 — {0}{1} {2}户").format(house.village, house.group, house.number)
            if house
            else self.tr("登记场所排查 — {0}").format(place.name)
        )
        super().__init__(title, self.tr("保存"), parent)
        self.database, self.campaign_id, self.house, self.place = database, campaign_id, house, place
        self.screened_on = QLineEdit(dt.date.today().isoformat())
        self.screener = QLineEdit()
        self.outcome = QComboBox()  # not `result`: that is QDialog.result()
        self.outcome.addItems([r.value for r in ScreeningResult])
        self.notes = QLineEdit()
        for label, w in (
            (self.tr("排查日期："), self.screened_on),
            (self.tr("排查人："), self.screener),
            (self.tr("结果："), self.outcome),
            (self.tr("备注："), self.notes),
        ):
            self.form.addRow(label, w)
        self.first_field = self.screener

    def _on_submit(self) -> None:
        if self.run(
            lambda: campaigns.record(
                self.database,
                self.campaign_id,
                household_id=self.house.household_id if self.house else None,
                place_id=self.place.place_id if self.place else None,
                screened_on=date_from_field(self.screened_on, "screened_on"),
                screener=self.screener.text(),
                result=self.outcome.currentText(),
                notes=self.notes.text(),
            )
        ):
            self.accept()


class CampaignsDialog(QDialog):
    def __init__(self, database, parent=None, runner=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("排查活动（村不漏户、户不漏人）"))
        self.database = database
        self.runner = runner or getattr(parent, "runner", None) or InlineRunner()
        self.list_model = CampaignsTableModel(self)
        self.list_view = read_only_table(self.list_model)
        self.list_view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.new_button = QPushButton(self.tr("新建排查活动(&N)…"))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.list_view)
        left_layout.addWidget(self.new_button)
        self.summary = QLabel()
        self.progress = ProgressTableModel(self)
        self.progress_view = read_only_table(self.progress)
        self.unvisited = UnvisitedTableModel(self)
        self.unvisited_view = read_only_table(self.unvisited)
        self.visit_button = QPushButton(self.tr("登记排查结果(&R)…"))
        self.sheet_button = QPushButton(self.tr("按组录入排查表(&G)…"))
        self.export_sheet_button = QPushButton(self.tr("导出本村排查表(&X)…"))
        self.export_sheet_button.setToolTip(self.tr("把一个村的各户按组写入Excel，交给各组填写排查结果"))
        self.import_sheet_button = QPushButton(self.tr("从Excel导入排查表(&I)…"))
        self.places = PlacesTableModel(self)
        self.places_view = read_only_table(self.places)
        self.add_place_button = QPushButton(self.tr("添加重点场所(&P)…"))
        self.place_visit_button = QPushButton(self.tr("登记场所排查(&S)…"))
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.summary)
        right_layout.addWidget(self.progress_view, 1)
        right_layout.addWidget(QLabel(self.tr("尚未排查的户：")))
        right_layout.addWidget(self.unvisited_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.visit_button)
        row.addWidget(self.sheet_button)
        row.addWidget(self.export_sheet_button)
        row.addWidget(self.import_sheet_button)
        row.addStretch()
        right_layout.addLayout(row)
        right_layout.addWidget(QLabel(self.tr("重点场所（KTV、娱乐、餐饮、美容美发、网吧等）：")))
        right_layout.addWidget(self.places_view, 1)
        place_row = QHBoxLayout()
        place_row.addWidget(self.add_place_button)
        place_row.addWidget(self.place_visit_button)
        place_row.addStretch()
        right_layout.addLayout(place_row)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([340, 760])
        close = close_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(close)
        self.new_button.clicked.connect(self.new_campaign)
        self.visit_button.clicked.connect(self.record_visit)
        self.sheet_button.clicked.connect(self.enter_group_sheet)
        self.export_sheet_button.clicked.connect(self.export_village_sheet)
        self.import_sheet_button.clicked.connect(self.import_village_sheet)
        self.add_place_button.clicked.connect(self.add_place)
        self.place_visit_button.clicked.connect(self.record_place_visit)
        self.unvisited_view.doubleClicked.connect(lambda _i: self.record_visit())
        self.list_view.selectionModel().currentRowChanged.connect(lambda *_: self.show_campaign())
        self.resize(1100, 660)
        self.reload()

    def current(self) -> campaigns.CampaignInfo | None:
        index = self.list_view.currentIndex()
        return self.list_model.rows[index.row()] if index.isValid() else None

    def reload(self, select_id: int | None = None) -> None:
        self.list_model.set_rows(campaigns.campaigns(self.database))
        self.list_view.resizeColumnsToContents()
        rows = self.list_model.rows
        if rows:
            target = next((i for i, c in enumerate(rows) if c.id == select_id), 0)
            self.list_view.setCurrentIndex(self.list_model.index(target, 0))
        self.show_campaign()

    def show_campaign(self) -> None:
        campaign = self.current()
        for button in (
            self.visit_button,
            self.sheet_button,
            self.export_sheet_button,
            self.import_sheet_button,
            self.add_place_button,
            self.place_visit_button,
        ):
            button.setEnabled(campaign is not None)
        if campaign is None:
            self.summary.setText(self.tr("还没有排查活动。点“新建排查活动”开始。"))
            self.progress.set_rows([])
            self.unvisited.set_rows([])
            self.places.set_rows([])
            return
        grid = campaigns.completeness(self.database, campaign.id)
        self._places_progress = campaigns.places_progress(self.database, campaign.id)
        self.progress.set_rows(grid)
        self._show_summary(campaign)
        self.unvisited.set_rows(campaigns.unvisited(self.database, campaign.id))
        self.places.set_rows(campaigns.places(self.database, campaign.id))
        for view in (self.progress_view, self.unvisited_view, self.places_view):
            view.resizeColumnsToContents()

    def _show_summary(self, campaign) -> None:
        grid = self.progress.rows
        screened, total = sum(g.screened for g in grid), sum(g.total for g in grid)
        places_done, places = self._places_progress
        percent = 100 * screened / total if total else 100
        self.summary.setText(
            self.tr("<b>{0}</b>：已排查 {1} / {2} 户（{3:.1f}%）；重点场所 {4} / {5} 处").format(
                campaign.name, screened, total, percent, places_done, places
            )
        )

    def _visited(self, campaign, house: campaigns.Unvisited) -> None:
        """One household visited: take it off the list and count it in its group, without reading the whole
        campaign again (that took half a second a visit on a township)."""
        import dataclasses

        rows = self.unvisited.rows
        at = next((i for i, r in enumerate(rows) if r.household_id == house.household_id), None)
        if at is None:
            self.show_campaign()  # a correction of an earlier visit: nothing to take off
            return
        self.unvisited.remove_row(at)
        for i, g in enumerate(self.progress.rows):
            if (g.village, g.group) == (house.village, house.group):
                self.progress.replace_row(i, dataclasses.replace(g, screened=g.screened + 1))
                break
        self._show_summary(campaign)

    def new_campaign(self) -> None:
        dialog = NewCampaignDialog(self.database, self)
        if dialog.exec():
            self.reload(dialog.campaign_id)

    def enter_group_sheet(self) -> None:
        """A whole group's sheet in one grid: all 正常 but the exceptions."""
        from desktop.views.group_sheet import GroupSheetDialog

        campaign = self.current()
        if campaign is None:
            return
        if GroupSheetDialog(self.database, campaign, self).exec():
            self.show_campaign()

    def export_village_sheet(self) -> None:
        from desktop.views.screening_import import export_sheet

        campaign = self.current()
        if campaign is not None:
            export_sheet(self, self.database, campaign)

    def import_village_sheet(self) -> None:
        from desktop.views.screening_import import import_sheet

        if import_sheet(self, self.database, self.runner):
            self.show_campaign()

    def record_visit(self) -> None:
        campaign, index = self.current(), self.unvisited_view.currentIndex()
        if campaign is None or not index.isValid():
            return
        try:
            dialog = VisitDialog(
                self.database, campaign.id, house=self.unvisited.rows[index.row()], parent=self
            )
        except DomainError as exc:
            show_error(self, exc)
            return
        if dialog.exec():
            self._visited(campaign, dialog.house)
            if dialog.outcome.currentText() in DRUG_FINDINGS:
                self.offer_key_file(dialog.house)

    def offer_key_file(self, house: campaigns.Unvisited) -> None:
        """A finding of drug involvement leads straight to that person's file (一人一档)."""
        from PySide6.QtWidgets import QInputDialog

        from desktop.services import people
        from desktop.views.key_file_dialog import KeyFileDialog

        members = people.members(self.database, house.household_id)
        if not members:
            return
        labels = [label for _, label in members]
        label, ok = QInputDialog.getItem(
            self, self.tr("重点人员档案"), self.tr("为该户哪一位建立或更新重点人员档案？"), labels, 0, False
        )
        if ok:
            person_id = members[labels.index(label)][0]
            KeyFileDialog(self.database, person_id, label.split("（")[0], self).exec()

    def add_place(self) -> None:
        campaign = self.current()
        if campaign is not None and NewPlaceDialog(self.database, campaign.village_ids, self).exec():
            self.show_campaign()

    def record_place_visit(self) -> None:
        campaign, index = self.current(), self.places_view.currentIndex()
        if campaign is None or not index.isValid():
            return
        if VisitDialog(self.database, campaign.id, place=self.places.rows[index.row()], parent=self).exec():
            self.show_campaign()
