"""Child of test_office_screen: the real window on an X server (Xvfb) of the office's size.

Usage: python -m tests.ui.screen_check DATA_DIR SHOTS_DIR. Prints one JSON line of what it measured."""

import datetime as dt
import json
import sys
from pathlib import Path

from PySide6.QtCore import QTimer

from desktop import db, tempfiles
from desktop.services import accounts, demo
from desktop.views import window_sizes
from desktop.views.app import make_app
from desktop.views.campaign_dialog import CampaignsDialog
from desktop.views.case_dialog import CaseDialog
from desktop.views.main_window import MainWindow
from desktop.views.tasks import InlineRunner


def inside(widget, area) -> bool:
    frame = widget.frameGeometry()
    extra_h = window_sizes.FRAME_ALLOWANCE[1] if frame == widget.geometry() else 0
    return area.contains(frame) and frame.height() + extra_h <= area.height()


def main() -> None:
    data, shots = Path(sys.argv[1]), Path(sys.argv[2])
    tempfiles.start(data)
    app = make_app()
    window_sizes.install(app, data)
    d = accounts.create_installation(data / db.DB_FILENAME, "admin", "correct-horse-7").db
    demo.build(d, "township", seed=2026, as_of=dt.date(2026, 11, 29))
    area = window_sizes.OFFICE_SCREEN
    out = {}
    w = MainWindow(d, InlineRunner(), data)
    w.show()
    w.load_registers()
    w.tabs.setCurrentIndex(1)
    for _ in range(20):
        app.processEvents()
    out["main"] = [w.frameGeometry().getRect(), inside(w, area)]
    view = w.register_tabs[1].view
    header = view.horizontalHeader()
    last = header.count() - 1
    out["deadline_column_right"] = header.sectionViewportPosition(last) + header.sectionSize(last)
    out["deadline_column_header"] = view.model().headerData(last, header.orientation())
    out["viewport_width"] = view.viewport().width()
    app.primaryScreen().grabWindow(0).save(str(shots / "main-1366x768.png"))
    w.tabs.setCurrentWidget(w.tab("tests"))
    w.urine_mode.setCurrentIndex(3)
    for _ in range(20):
        app.processEvents()
    # the 尿检通知 tab's row of buttons and its rate selector, all on the screen
    tests_tab = w.tab("tests")
    out["urine_controls_right"] = max(
        widget.mapTo(tests_tab, widget.rect().topRight()).x()
        for widget in (*w.urine_buttons.values(), w.urine_period)
    )
    out["urine_tab_width"] = tests_tab.width()
    app.primaryScreen().grabWindow(0).save(str(shots / "urine-1366x768.png"))
    agreements_tab = w.tab("agreements")
    w.tabs.setCurrentWidget(agreements_tab)
    for _ in range(20):
        app.processEvents()
    out["agreement_controls_right"] = max(
        widget.mapTo(agreements_tab, widget.rect().topRight()).x() for widget in w.agreement_buttons.values()
    )
    out["agreement_tab_width"] = agreements_tab.width()
    out["main_on_agreements"] = [
        w.frameGeometry().getRect(),
        inside(w, area),
    ]  # a long figures line widened it once
    app.primaryScreen().grabWindow(0).save(str(shots / "agreements-1366x768.png"))
    dialogs = {}

    def measure(dialog, name):
        dialog.show()
        for _ in range(10):
            app.processEvents()
        dialogs[name] = [dialog.frameGeometry().getRect(), inside(dialog, area)]
        app.primaryScreen().grabWindow(0).save(str(shots / f"{name}-1366x768.png"))
        dialog.close()

    measure(CampaignsDialog(d, w), "campaigns")
    from desktop.views.urine_grid import ResultsGrid

    measure(ResultsGrid(d, w), "urine_grid")
    from desktop.views.agreement_dialogs import CoverageDialog, TemplateDialog

    measure(TemplateDialog(d, w), "agreement_templates")
    measure(CoverageDialog(d, dt.date(2026, 11, 29).year, w), "agreement_coverage")
    # the 考核 tab: its controls on the screen, its big dialogs
    w.tabs.setCurrentWidget(w.assessment_tab)
    for _ in range(20):
        app.processEvents()
    at = w.assessment_tab
    out["assessment_controls_right"] = max(
        b.mapTo(at, b.rect().topRight()).x() for b in (*at.buttons.values(), at.score)
    )
    out["assessment_tab_width"] = at.width()
    app.primaryScreen().grabWindow(0).save(str(shots / "assessment-1366x768.png"))
    from desktop.views.assessment_dialogs import DrillDialog, TargetsDialog

    measure(TargetsDialog(w, 2026), "assessment_targets")
    measure(DrillDialog(w, at.assessment, "aftercare_rate"), "assessment_drill")
    row = w.register_tabs[1].model.rows[0]
    measure(CaseDialog(d, row.case_id, row.name, parent=w, data_dir=data), "case")
    # the exchange: the township's keys dialog, and the county's window with the township's bundle imported
    from desktop.exchange import county, export, keys
    from desktop.views.exchange_dialogs import KeysDialog

    office = accounts.create_installation(
        data.parent / "county" / db.DB_FILENAME, "admin", "correct-horse-7"
    ).db
    keys.set_up_county(office, "演示县")
    keys.export_public(office, data.parent / "county.wudu-key")
    keys.township_init(d, data.parent / "county.wudu-key")
    keys.export_public(d, data.parent / "town.wudu-key")
    keys.register_township(office, data.parent / "town.wudu-key")
    measure(KeysDialog(d, w), "exchange_keys")
    (data.parent / "stick").mkdir(exist_ok=True)
    county.import_bundle(office, export.export(d, data.parent / "stick").path)
    c = MainWindow(office, InlineRunner(), data.parent / "county")
    c.show()
    c.load_registers()
    for _ in range(20):
        app.processEvents()
    out["county_main"] = [c.frameGeometry().getRect(), inside(c, area)]
    app.primaryScreen().grabWindow(0).save(str(shots / "county-1366x768.png"))
    measure(KeysDialog(office, c, county_mode=True), "county_keys")
    from desktop.views.county_figures import CountyFiguresDialog

    measure(CountyFiguresDialog(c), "county_figures")
    c.close()
    office.close()
    out["dialogs"] = dialogs
    w.close()
    d.close()
    print(json.dumps(out, ensure_ascii=False), flush=True)
    QTimer.singleShot(0, app.quit)


if __name__ == "__main__":
    main()
