"""The 排查登记 tab's residents register: search as you type, filters, sort by a column, Excel in and out.

Search, filters and sort run in SQL in the service (STYLE.md: no proxy model over a big table); the view keeps
an id-backed model and swaps its ids.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QWidget,
)

from desktop.errors import DomainError
from desktop.models.enums import ResidenceType
from desktop.services.auth import Permission
from desktop.views.errors import show_error
from desktop.views.registers import RegisterSpec, tr

SEARCH_DELAY_MS = 250
FIRST_PAGE = 300


def spec() -> RegisterSpec:
    return RegisterSpec(
        "screening",
        tr("排查登记"),
        (
            tr("姓名"),
            tr("身份证号码"),
            tr("性别"),
            tr("出生日期"),
            tr("村（社区）"),
            tr("小组"),
            tr("居住类型"),
            tr("联系电话"),
            tr("涉毒状态"),
        ),
        tr("排查登记簿：按村、组、户登记每一位居民，以及排查活动和重点人员档案。"),
        tr(
            "还没有登记居民。点上方的“新增居民”逐个登记；或点“Excel → 下载导入模板”，"
            "按村、组、户填好后用“Excel → 从Excel导入”。"
        ),
    )


def load(window) -> None:
    """Fill the tab: its controller the first time, then the villages and the first page of residents."""
    if not hasattr(window, "residents"):
        window.residents = ResidentsController(window, window.tab("screening"))
    window.residents.refresh_villages()
    window.residents.reload()


class ResidentsController(QObject):
    def __init__(self, window, tab) -> None:
        super().__init__(window)
        self.window, self.tab = window, tab
        self.sort_column: int | None = None
        self.descending = False
        bar = QWidget()
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索：姓名或拼音首字母（如 zs），或身份证号码、电话中的数字"))
        self.search.setClearButtonEnabled(True)
        self.village = QComboBox()
        self.group = QComboBox()
        self.group.addItem(self.tr("全部小组"), None)
        self.group.setEnabled(False)  # until a village is chosen
        self.state = QComboBox()
        for label, value in (
            (self.tr("在册"), "在册"),
            (self.tr("已迁出"), "迁出"),
            (self.tr("已死亡"), "死亡"),
            (self.tr("全部状态"), ""),
        ):
            self.state.addItem(label, value)
        self.residence = QComboBox()
        self.residence.addItem(self.tr("全部居住类型"), "")
        for r in ResidenceType:
            self.residence.addItem(r.value, r.value)
        self.key_only = QCheckBox(self.tr("只看重点人员"))
        self.add_button = QPushButton(self.tr("新增居民(&N)…"))
        self.add_button.setShortcut("Ctrl+N")
        self.state_button = QPushButton(self.tr("迁出/死亡…"))
        self.file_button = QPushButton(self.tr("重点人员档案(&K)…"))
        self.campaign_button = QPushButton(self.tr("排查活动(&C)…"))
        self.excel_button = QPushButton(self.tr("Excel(&X)"))
        excel_menu = QMenu(self.excel_button)
        self.template_action = excel_menu.addAction(self.tr("下载导入模板…"))
        self.import_action = excel_menu.addAction(self.tr("从Excel导入…"))
        self.export_action = excel_menu.addAction(self.tr("导出为Excel…"))
        self.excel_button.setMenu(excel_menu)
        for w in (self.search, self.village, self.group, self.residence, self.state, self.key_only):
            row.addWidget(w)
        row.setStretch(0, 1)  # the search box takes the room the filters leave
        actions = QWidget()
        action_row = QHBoxLayout(actions)
        action_row.setContentsMargins(0, 0, 0, 0)
        for w in (
            self.add_button,
            self.state_button,
            self.file_button,
            self.campaign_button,
            self.excel_button,
        ):
            action_row.addWidget(w)
        action_row.addStretch()
        tab.layout().insertWidget(0, actions)
        tab.layout().insertWidget(1, bar)
        self.bar = bar

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self.timer.start())
        self.village.currentIndexChanged.connect(lambda _i: self.fill_groups())
        for combo in (self.group, self.residence, self.state):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.key_only.toggled.connect(lambda _c: self.reload())
        header = tab.view.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.AscendingOrder)
        header.sortIndicatorChanged.connect(self.sort)
        self.add_button.clicked.connect(lambda: self.open_form(None))
        self.state_button.clicked.connect(self.change_state)
        self.file_button.clicked.connect(self.open_key_file)
        self.campaign_button.clicked.connect(self.open_campaigns)
        tab.view.doubleClicked.connect(lambda index: self.open_form(self.person_at(index.row())))
        tab.view.activated.connect(lambda index: self.open_form(self.person_at(index.row())))
        self.template_action.triggered.connect(self.save_template)
        self.import_action.triggered.connect(self.import_excel)
        self.export_action.triggered.connect(self.export_excel)

    # --- state -------------------------------------------------------------------------------------------------
    def current_filter(self):
        from desktop.services.residents import ResidentFilter

        return ResidentFilter(
            text=self.search.text(),
            village_id=self.village.currentData(),
            group_id=self.group.currentData(),
            residence_type=self.residence.currentData() or "",
            key_only=self.key_only.isChecked(),
            state=self.state.currentData(),
        )

    def fill_groups(self) -> None:
        """The group list follows the chosen village; changing the village shows all its groups."""
        from desktop.services import residents

        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem(self.tr("全部小组"), None)
        if self.village.currentData() is not None:
            for gid, name in residents.groups(self.window.db, self.village.currentData()):
                self.group.addItem(name, gid)
        self.group.setEnabled(self.village.currentData() is not None)
        self.group.blockSignals(False)
        self.reload()

    def refresh_villages(self) -> None:
        from desktop.services import residents

        chosen = self.village.currentData()
        self.village.blockSignals(True)
        self.village.clear()
        self.village.addItem(self.tr("全部村（社区）"), None)
        for vid, name in residents.villages(self.window.db):
            self.village.addItem(name, vid)
        index = self.village.findData(chosen)
        self.village.setCurrentIndex(max(index, 0))
        self.village.blockSignals(False)
        actor = self.window.db.actor
        for button in (self.import_action, self.add_button, self.state_button, self.file_button):
            button.setEnabled(bool(actor and actor.may(Permission.WRITE)))
        self.export_action.setEnabled(bool(actor and actor.may(Permission.PRINT)))

    def sort(self, column: int, order) -> None:
        self.sort_column, self.descending = column, order == Qt.DescendingOrder
        self.reload()

    def reload(self) -> None:
        """Ask the service for the ids (on a worker), then show them; the newest request wins."""
        from desktop.services import residents
        from desktop.views.residents_model import ResidentsTableModel

        database, flt = self.window.db, self.current_filter()
        column, descending = self.sort_column, self.descending
        self._latest = request = object()
        whole_list_shown = []  # the first page must never replace the whole list, whichever job ends first

        def shown(ids: list[int], complete: bool = True) -> None:
            if request is not self._latest or database is not self.window.db:
                return  # a newer search, or another database, came meanwhile
            if whole_list_shown:
                return
            if complete:
                whole_list_shown.append(True)
            model = self.tab.model
            if not isinstance(model, ResidentsTableModel) or model.database is not database:
                model = ResidentsTableModel(lambda page: residents.resident_rows(database, page), self.window)
                model.database = database
                model.set_ids(ids)
                self.tab.show_rows(model, "")
            else:
                model.set_ids(ids)
            if not complete:
                self.tab.show_count(self.tr("正在载入……"), bool(ids))
                return
            filtered = flt != residents.ResidentFilter()
            text = self.tr("找到 {0} 人") if filtered else self.tr("在册居民共 {0} 人")
            self.tab.show_count(
                text.format(f"{len(ids):,}") + self.tr("（身份证号码已隐去出生日期等10位）"), bool(ids)
            )

        def load(limit):
            return lambda progress, cancelled: residents.resident_ids(
                database, flt, sort_column=column, descending=descending, limit=limit
            )

        def failed(exc: BaseException) -> None:
            show_error(self.window, exc)

        # The first page at once, then the whole list (a county's takes about a second) replaces it.
        self.window.runner.run(
            load(FIRST_PAGE),
            on_done=lambda ids: shown(ids, complete=len(ids) < FIRST_PAGE),
            on_error=failed,
            writes=False,
        )
        self.window.runner.run(load(None), on_done=shown, on_error=failed, writes=False)

    # --- one resident ----------------------------------------------------------------------------------------------
    def person_at(self, row: int) -> int | None:
        model = self.tab.model
        return model.ids[row] if hasattr(model, "ids") and 0 <= row < len(model.ids) else None

    def selected_person(self) -> tuple[int, str] | None:
        """(person id, name) of the register's current row, or None when nothing is selected."""
        row = self.tab.view.currentIndex().row()
        person_id = self.person_at(row)
        return None if person_id is None else (person_id, self.tab.model.row(row).name)

    def open_form(self, person_id: int | None) -> None:
        from desktop.views.resident_form import ResidentDialog

        actor = self.window.db.actor
        if not (actor and actor.may(Permission.WRITE)):
            return  # a viewer reads the list; the form is for those who may change it
        try:
            dialog = ResidentDialog(self.window.db, person_id, self.window)
        except DomainError as exc:
            show_error(self.window, exc)
            return
        if dialog.exec():
            self.reload()

    def open_campaigns(self) -> None:
        from desktop.views.campaign_dialog import CampaignsDialog

        try:
            CampaignsDialog(self.window.db, self.window).exec()
        except DomainError as exc:
            show_error(self.window, exc)

    def open_key_file(self) -> None:
        from desktop.views.key_file_dialog import KeyFileDialog

        selected = self.selected_person()
        if selected is None:
            return
        try:
            dialog = KeyFileDialog(self.window.db, *selected, self.window)
        except DomainError as exc:
            show_error(self.window, exc)
            return
        dialog.exec()
        self.reload()

    def change_state(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from desktop.models.enums import PersonState
        from desktop.services import people

        selected = self.selected_person()
        if selected is None:
            return
        person_id = selected[0]
        states = [PersonState.MOVED_OUT.value, PersonState.DECEASED.value]
        state, ok = QInputDialog.getItem(
            self.window, self.tr("迁出/死亡"), self.tr("改为："), states, 0, False
        )
        if not ok:
            return
        reason, ok = QInputDialog.getText(
            self.window, self.tr("迁出/死亡"), self.tr("原因（如迁往何处、死亡日期）：")
        )
        if not ok:
            return
        try:
            people.set_state(self.window.db, person_id, state, reason)
        except DomainError as exc:
            show_error(self.window, exc)
            return
        self.reload()

    # --- Excel ---------------------------------------------------------------------------------------------------
    def save_template(self) -> None:
        from desktop.services import people_template

        name, _ = QFileDialog.getSaveFileName(
            self.window, self.tr("保存导入模板"), "居民登记导入模板.xlsx", "Excel (*.xlsx)"
        )
        if not name:
            return
        try:
            people_template.write_template(self.window.db, Path(name))
        except (DomainError, OSError) as exc:
            show_error(self.window, exc)

    def import_excel(self) -> None:
        from desktop.views.import_dialog import ImportDialog

        name, _ = QFileDialog.getOpenFileName(self.window, self.tr("选择要导入的表格"), "", "Excel (*.xlsx)")
        if not name:
            return
        dialog = ImportDialog(self.window.db, Path(name), self.window.runner, self.window)
        dialog.start()
        if dialog.exec():
            self.reload()

    def export_excel(self) -> None:
        from desktop.services import people_excel

        name, _ = QFileDialog.getSaveFileName(
            self.window, self.tr("导出居民登记"), "居民登记.xlsx", "Excel (*.xlsx)"
        )
        if not name:
            return
        try:
            count = people_excel.export(self.window.db, Path(name), flt=self.current_filter())
        except (DomainError, OSError) as exc:
            show_error(self.window, exc)
            return
        QMessageBox.information(
            self.window,
            self.tr("导出"),
            self.tr("已导出{0}人：\n{1}\n表中有完整身份证号码，请妥善保管。").format(count, name),
        )
