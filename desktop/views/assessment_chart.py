"""A figure month by month, painted with QPainter: bars for the months, a dashed line at the target, the value
over each bar. Painted rather than drawn with Qt Charts, which would add its module and some 10 MB to the
installer for one chart (the report's charts are ReportLab's own, in the PDF)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#3b6ea5")
TARGET = QColor("#a61b1b")
GRID = QColor("#c8c8c8")


class TrendChart(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.title = ""
        self.points: list | None = []

    def show_points(self, title: str, points: list | None) -> None:
        """The figure's points (assessment_trend.Point), or None while they are being worked out."""
        self.title, self.points = title, points
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        metrics = p.fontMetrics()
        line = metrics.height()
        target = next((pt.target for pt in self.points or () if pt.target is not None), None)
        title = self.tr("{0} · 按月").format(self.title)
        if target is not None:
            title += self.tr("（红色虚线：目标{0:g}%）").format(target)
        p.drawText(QRectF(8, 4, self.width() - 16, line), Qt.AlignLeft, title)
        if self.points is None or not self.points:
            words = self.tr("正在逐月计算…") if self.points is None else self.tr("这个指标没有按月的数值")
            p.drawText(self.rect(), Qt.AlignCenter, words)
            return
        left, top = 40.0, 8.0 + 2 * line
        bottom = self.height() - line - 8.0
        width = self.width() - left - 12.0
        values = [pt.value for pt in self.points if pt.value is not None]
        rate = target is not None
        top_value = 100.0 if rate else max([*values, 1.0]) * 1.15
        scale = (bottom - top) / top_value
        p.setPen(QPen(GRID))
        p.drawLine(int(left), int(bottom), int(left + width), int(bottom))
        p.drawText(
            QRectF(0, top - line / 2, left - 4, line), Qt.AlignRight, "100%" if rate else f"{top_value:.0f}"
        )
        slot = width / 12
        for pt in self.points:
            x = left + (pt.month - 1) * slot
            p.setPen(Qt.black)
            p.drawText(QRectF(x, bottom + 2, slot, line), Qt.AlignCenter, self.tr("{0}月").format(pt.month))
            if pt.value is None:
                p.drawText(QRectF(x, bottom - line - 2, slot, line), Qt.AlignCenter, "—")
                continue
            h = pt.value * scale
            p.fillRect(QRectF(x + slot * 0.2, bottom - h, slot * 0.6, h), BAR)
            p.drawText(QRectF(x, bottom - h - line - 1, slot, line), Qt.AlignCenter, pt.text)
        if target is not None:
            y = bottom - target * scale
            pen = QPen(TARGET)
            pen.setStyle(Qt.DashLine)
            p.setPen(pen)
            p.drawLine(int(left), int(y), int(left + width), int(y))
