"""The year-end papers of the 考核 (official-document layout, GB/T 9704): the 年度工作总结统计表 — the figures,
the table by village, the trends by month as ReportLab's own charts, the records the plans ask for, the text
the clerk wrote — and the 自查评分表 with signature lines for the office head. Plain data in, PDF bytes out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.textlabels import Label
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer

from desktop.pdf.agreement_docs import balanced_title
from desktop.pdf.official import LINE, TEXT_WIDTH, Styles, build, cn_date, faces, section, sign_line, table


def title_lines(st: Styles, title: str) -> list:
    """The title on one line, or two broken where a reader would break it (never a lone 表 on the second)."""
    lines = balanced_title(title, st.title.fontName)
    close = ParagraphStyle("title-first", parent=st.title, spaceAfter=0)
    return [st.p(line, st.title if i == len(lines) - 1 else close) for i, line in enumerate(lines)]


@dataclass(frozen=True)
class FigureLine:
    group: str
    name: str
    value: str
    fraction: str
    target: str
    verdict: str  # 达标 / 未达标 / —
    points: float  # taken off in the score preview


@dataclass(frozen=True)
class VillageLine:
    village: str
    users: int  # 在册吸毒人员 on the day
    new_users: int
    cases: str  # 落实/在帮教
    tests: str  # 已检/应检
    activities: int
    households: str  # 家庭禁毒承诺书 已签/应签


@dataclass(frozen=True)
class Trend:
    title: str
    months: tuple[int, ...]
    values: tuple[float | None, ...]
    target: float | None  # a rate's target (the chart is in %), None for a count


@dataclass(frozen=True)
class YearReport:
    township: str
    county: str
    period: str  # 2026年 / 2026年第三季度
    as_of: dt.date
    figures: tuple[FigureLine, ...]
    villages: tuple[VillageLine, ...]
    trends: tuple[Trend, ...]
    records: tuple[tuple[str, str], ...]  # (what, how many / what came of it)
    summary: str  # the clerk's text
    score: float
    # the audit chain's head when the report was made: (entry number, hash), None where there is none (the
    # county's read-only view of a township). On paper it is what a rewritten history can no longer match.
    audit_head: tuple[int, str] | None = None
    printed_on: dt.date | None = None


BAR = colors.HexColor("#3b6ea5")
RED = colors.HexColor("#a61b1b")


def chart(t: Trend, st: Styles, width: float = TEXT_WIDTH, height: float = 52 * mm) -> Drawing:
    """One figure month by month: bars, the value over each, a dashed target line for a rate."""
    d = Drawing(width, height)
    title = t.title if t.target is None else f"{t.title}（红色虚线为目标{t.target:g}%）"
    d.add(String(0, height - 12, title, fontName=st.faces.body, fontSize=11))
    c = VerticalBarChart()
    c.x, c.y, c.width, c.height = 28, 18, width - 40, height - 40
    values = [v if v is not None else 0 for v in t.values] or [0]
    c.data = [values]
    c.categoryAxis.categoryNames = [f"{m}月" for m in t.months] or [""]
    c.categoryAxis.labels.fontName = st.faces.body
    c.categoryAxis.labels.fontSize = 8
    c.valueAxis.labels.fontName = st.faces.body
    c.valueAxis.labels.fontSize = 8
    c.valueAxis.valueMin = 0
    top = 100 if t.target is not None else max([*values, 1]) * 1.2
    c.valueAxis.valueMax = top
    c.valueAxis.valueStep = 20 if t.target is not None else max(1, round(top / 5))
    c.bars[0].fillColor = BAR
    c.bars[0].strokeColor = None
    c.barLabelFormat = lambda v: ""  # labels are drawn below, "—" where there was nothing to count
    d.add(c)
    slot = c.width / max(1, len(values))
    for i, v in enumerate(t.values):
        x = c.x + slot * (i + 0.5)
        y = c.y + (0 if v is None else v / top * c.height) + 2
        text = "—" if v is None else (f"{v:.0f}%" if t.target is not None else f"{v:.0f}")
        label = Label()
        label.setOrigin(x, y)
        label.boxAnchor = "s"
        label.setText(text)
        label.fontName, label.fontSize = st.faces.body, 7
        d.add(label)
    if t.target is not None:
        y = c.y + t.target / top * c.height
        d.add(Line(c.x, y, c.x + c.width, y, strokeColor=RED, strokeDashArray=[3, 2], strokeWidth=0.8))
    return d


def build_year_report(r: YearReport) -> bytes:
    st = Styles(faces())
    title = f"{r.township}{r.period}创建“无毒社区”工作总结统计表"
    figures = [["序号", "指标", "数值", "分子/\n分母", "目标", "完成\n情况"]]
    figures += [
        [str(i), f.name, f.value, f.fraction, f.target or "—", f.verdict] for i, f in enumerate(r.figures, 1)
    ]
    villages = [
        [
            "村（社区）",
            "在册吸毒\n人员",
            "新增吸毒\n人员",
            "帮教落实/\n在帮教",
            "已检/\n应检",
            "宣传\n活动",
            "家庭承诺书\n已签/应签",
        ]
    ]
    villages += [[v.village, str(v.users), str(v.new_users), v.cases, v.tests, str(v.activities), v.households]
                 for v in r.villages]  # fmt: skip
    story = [
        *title_lines(st, title),
        st.p(f"{r.county}　（截至{cn_date(r.as_of)}）", st.subtitle),
        *section(st, "一、考核指标完成情况", table(figures, [8, 34, 36, 18, 24, 16], st, whole=(1, 4, 5))),
        *section(st, "二、分村（社区）统计", table(villages, [26, 14, 14, 16, 14, 10, 18], st, whole=(0,))),
        Spacer(0, LINE / 3),
        st.p("三、主要指标按月情况", st.heading),
        *[KeepTogether([chart(t, st), Spacer(0, LINE / 4)]) for t in r.trends],
        *section(
            st,
            "四、工作记录",
            table([["项目", "情况"], *[[a, b] for a, b in r.records]], [40, 116], st, whole=(0,)),
        ),  # fmt: skip
        Spacer(0, LINE / 3),
        st.p("五、工作总结", st.heading),
        *[st.p(line) for line in (r.summary or "（未填写）").splitlines() if line.strip()],
        PageBreak(),
        *self_assessment(r, st),
    ]
    return build(story, title, st)


def self_assessment(r: YearReport, st: Styles) -> list:
    """自查评分表: each figure that has a target, what it takes off, and the score, signed by the office head."""
    rows = [["序号", "考核项目", "目标", "完成情况", "扣分"]]
    judged = [f for f in r.figures if f.verdict != "—" or f.points]
    rows += [[str(i), f.name, f.target or "—", f"{f.value}（{f.verdict}）", f"{f.points:g}" if f.points else "0"]
             for i, f in enumerate(judged, 1)]  # fmt: skip
    rows.append(["", "合计", "", f"满分100分，预计得分{r.score:g}分", f"{sum(f.points for f in judged):g}"])
    return [
        *title_lines(st, f"{r.township}{r.period}创建“无毒社区”工作自查评分表"),
        st.p("（扣分按默认评分规则预估，以县禁毒委考核细则为准）", st.subtitle),
        table(rows, [8, 44, 22, 56, 26], st, whole=(1, 2, 4)),
        sign_line(st, "主要领导签字", "分管领导签字", "填表人", "审核人"),
        *audit_head_lines(r, st),
    ]


def audit_head_lines(r: YearReport, st: Styles) -> list:
    """The audit head, in groups of four to read aloud or compare with the county's copy."""
    if r.audit_head is None:
        return []
    entry, digest = r.audit_head
    groups = " ".join(digest[i : i + 4] for i in range(0, 32, 4))
    day = cn_date(r.printed_on or r.as_of)
    return [
        Spacer(0, LINE / 2),
        st.p(
            f"审计日志链头（{day}打印时）：第{entry}条，{groups}（哈希前32位）。"
            "县禁毒办可与报送的数据包中的链头核对：事后改写过的历史对不上这个链头。",
            st.cell,
        ),
    ]


def build_counts_sheet(
    township: str, period: str, as_of: dt.date, columns: tuple[str, ...], lines: tuple[tuple[str, tuple], ...]
) -> bytes:
    """工作量统计表 (一周一统计，一月一通报): a line per week or month, a column per kind of work, and the totals."""
    st = Styles(faces())
    title = f"{township}{period}禁毒工作量统计表"
    head = ["时间", *columns]
    rows = [head, *[[label, *map(str, values)] for label, values in lines]]
    totals = [sum(values[j] for _, values in lines) for j in range(len(columns))]
    rows.append(["合计", *map(str, totals)])
    return build(
        [
            *title_lines(st, title),
            st.p(f"（截至{cn_date(as_of)}）", st.subtitle),
            table(rows, [28] + [16] * len(columns), st, whole=(0,)),
            sign_line(st, "填报人", "审核人"),
        ],
        title,
        st,
    )
