"""帮教 papers in the official layout: the aftercare agreement (帮教协议书) with its signature blocks, a case's
record sheet (帮教工作记录), a half-year summary or yearly assessment (小结 / 评估表), and the rosters filed with
the county (帮教小组成员名册, 毒情信息员名册, 禁毒宣传员名册). Plain data in, PDF bytes out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from desktop.pdf.official import (
    LINE,
    Styles,
    build,
    cn_date,
    faces,
    markup,
    section,
    sign_line,
    signature_block,
    signature_parts,
    table,
)


@dataclass(frozen=True)
class Member:
    role: str
    name: str
    unit: str
    phone: str
    first_responsible: bool
    since: dt.date
    until: dt.date | None = None


@dataclass(frozen=True)
class Subject:
    """The person a case helps, as the paper file needs them (the full ID number: printing it is audited)."""

    name: str
    sex: str
    birth_date: dt.date | None
    id_number: str
    address: str
    phone: str


@dataclass(frozen=True)
class CaseFacts:
    township: str  # e.g. 新邵县严塘镇
    authority: str  # 严塘镇人民政府 / 某某街道办事处
    subject: Subject
    basis: str  # 社区戒毒 / 社区康复 / 出所
    decision_on: dt.date | None
    reported_on: dt.date | None
    facility: str
    handover_notice_on: dt.date | None
    start_on: dt.date
    term_end: dt.date
    term_years: int
    talk_interval_days: int
    members: tuple[Member, ...]  # the current group for the agreement; the whole history for the record
    ended: str = ""  # "解除 2026-06-30（通知书）" once the case has ended


TITLES = {
    "社区戒毒": "社区戒毒帮教协议书",
    "社区康复": "社区康复帮教协议书",
    "出所": "戒毒出所人员帮教协议书",
}


def _parties(f: CaseFacts) -> list[str]:
    s = f.subject
    group = "；".join(
        f"{m.name}（{m.role}{'，' + m.unit if m.unit else ''}{'，第一责任人' if m.first_responsible else ''}）"
        for m in f.members
    )
    return [
        f"甲方：{f.authority}（禁毒办）",
        f"乙方（帮教对象）：{s.name}，{s.sex or '　'}，身份证号码：{s.id_number}，住址：{s.address or '　'}",
        f"丙方（帮教小组）：{group or '（尚未组成）'}",
    ]


def _member_lines(f: CaseFacts) -> list[tuple[str, str]]:
    """A line for each member; before the group is formed, a blank one for each of 三帮一's roles."""
    if f.members:
        return [(m.role, f"{m.name}签字") for m in f.members]
    return [(role, "签字") for role in ("社区民警", "村（社区）干部", "家庭成员/监护人")]


def build_agreement(f: CaseFacts) -> bytes:
    st = Styles(faces())
    first = next((m for m in f.members if m.first_responsible), None)
    clauses = [
        (
            "一、帮教期限",
            f"自{cn_date(f.start_on)}起至{cn_date(f.term_end)}止，共{f.term_years}年。"
            + (
                f"乙方于{cn_date(f.handover_notice_on)}由{f.facility or '戒毒场所'}解除强制隔离戒毒，"
                "由甲方接茬帮教。"
                if f.basis == "出所"
                else ""
            ),
        ),
        (
            "二、甲方职责",
            "（一）组建帮教小组，明确第一责任人，落实“三帮一”帮教措施；"
            f"（二）督促帮教小组每{f.talk_interval_days}日至少与乙方谈话或走访一次，掌握其思想动态、经济来源、"
            "交往对象、活动去向和现实表现；（三）协调有关部门为乙方提供职业技能培训、就业指导和就业援助，"
            "帮助解决实际困难；（四）对乙方的个人信息予以保密，不得泄露。",
        ),
        (
            "三、帮教小组职责",
            "（一）定期谈心、家访，如实记录；（二）通知乙方按时接受尿液检测，督促其履行本协议；"
            "（三）发现乙方有复吸迹象、失去联系或者违反本协议的，及时报告甲方和公安派出所；"
            "（四）每半年对帮教情况作出小结，每年作出评估。"
            + (f"第一责任人为{first.name}。" if first else ""),
        ),
        (
            "四、乙方义务",
            "（一）遵守法律法规，自觉戒除毒瘾，不吸食、注射毒品；（二）按时接受尿液检测和谈话，如实报告本人"
            "思想、工作和生活情况；（三）离开居住地三日以上的，事先向帮教小组报告去向和联系方式；"
            "（四）住址、联系方式变更的，及时告知帮教小组；（五）不与吸毒、贩毒人员交往。",
        ),
        (
            "五、违约责任",
            "乙方违反本协议的，由帮教小组批评教育；情节严重的，由公安机关依法处理。",
        ),
        (
            "六、其他",
            "本协议自各方签字（盖章）之日起生效，一式四份，甲方、乙方、帮教小组和公安派出所各执一份。",
        ),
    ]
    story = [st.p(TITLES.get(f.basis, "帮教协议书"), st.title)]
    story += [st.p(line, st.flush) for line in _parties(f)]
    story.append(
        st.p(
            "为帮助乙方戒除毒瘾、回归社会，根据《中华人民共和国禁毒法》《戒毒条例》和县禁毒委员会的有关规定，"
            "经各方协商一致，签订本协议。"
        )
    )
    for head, text in clauses[:-1]:
        story.append(st.p(text, lead=f"{head}　"))
    head, text = clauses[-1]
    # the last clause goes with all the signatures: no page of signatures alone, which could be swapped. (Flat
    # in one KeepTogether: ReportLab cannot measure a KeepTogether nested in another, and always moved it.)
    story.append(
        KeepTogether(
            [
                st.p(text, lead=f"{head}　"),
                *signature_parts(st, [("甲方（盖章）", "代表签字"), ("乙方（帮教对象）", "签字（捺印）")]),
                *signature_parts(st, _member_lines(f), heading="丙方（帮教小组成员）："),
            ]
        )
    )
    return build(story, TITLES.get(f.basis, "帮教协议书"), st)


@dataclass(frozen=True)
class Talk:
    held_on: dt.date
    kind: str
    by_whom: str
    five: str  # 思想、收入、交往、去向、表现, in words
    notes: str


@dataclass(frozen=True)
class Job:
    job: str
    employer: str
    since: dt.date
    until: dt.date | None


@dataclass(frozen=True)
class ReviewLine:
    period: str
    kind: str
    written_on: dt.date
    risk: str
    by_whom: str
    text: str


@dataclass(frozen=True)
class UrineLine:
    number: str
    window: str  # 2026-11-01至2026-11-30
    delivered_on: dt.date | None
    tested_on: dt.date | None
    outcome: str  # 阴性 / 阳性 / 拒检 / 未到, or the state (已开具, 作废：原因)


@dataclass(frozen=True)
class RecordSheet:
    facts: CaseFacts
    talks: tuple[Talk, ...]
    jobs: tuple[Job, ...]
    reviews: tuple[ReviewLine, ...]
    printed_on: dt.date
    tests: tuple[UrineLine, ...] = ()
    warnings: tuple[str, ...] = ()  # 复吸预警 / 严重违反, a line each


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def build_record_sheet(r: RecordSheet) -> bytes:
    st = Styles(faces())
    f, s = r.facts, r.facts.subject
    basics = [
        ["姓名", s.name, "性别", s.sex, "出生日期", _iso(s.birth_date)],
        ["身份证号码", s.id_number, "", "", "联系电话", s.phone],
        ["住址", s.address, "", "", "", ""],
        ["帮教依据", f.basis, "决定书日期", _iso(f.decision_on), "报到日期", _iso(f.reported_on)],
        [
            "出所通知",
            f"{f.facility} {_iso(f.handover_notice_on)}".strip(),
            "",
            "",
            "帮教期限",
            f"{f.term_years}年",
        ],
        ["帮教起止", f"{_iso(f.start_on)} 至 {_iso(f.term_end)}", "", "", "结束情况", f.ended or "在帮教"],
    ]
    basics_table = table(
        basics,
        [24, 34, 24, 24, 24, 26],
        st,
        header=False,
        spans=[((1, 1), (3, 1)), ((1, 2), (5, 2)), ((1, 4), (3, 4)), ((1, 5), (3, 5))],
        whole=(0, 2, 4),
    )
    members = [["角色", "姓名", "单位", "联系电话", "第一\n责任人", "参加日期", "离开日期"]]
    members += [
        [m.role, m.name, m.unit, m.phone, "是" if m.first_responsible else "", _iso(m.since), _iso(m.until)]
        for m in f.members
    ] or [["（尚未组成）", "", "", "", "", "", ""]]
    talks = [["日期", "方式", "谈话人", "思想、收入、交往、去向、表现", "备注"]]
    talks += [[_iso(t.held_on), t.kind, t.by_whom, t.five, t.notes] for t in r.talks] or [
        ["无", "", "", "", ""]
    ]
    jobs = [["工作岗位", "就业单位", "就业日期", "离职日期"]]
    jobs += [[j.job, j.employer, _iso(j.since), _iso(j.until)] for j in r.jobs] or [["无", "", "", ""]]
    reviews = [["期间", "类别", "风险等级", "填写人", "填写日期"]]
    reviews += [[v.period, v.kind, v.risk, v.by_whom, _iso(v.written_on)] for v in r.reviews] or [
        ["无", "", "", "", ""]
    ]
    warned = ParagraphStyle("warned", parent=st.cell, textColor=colors.HexColor("#a61b1b"), spaceBefore=4)
    tests = [["通知编号", "检测期限", "送达日期", "检测日期", "结果"]]
    tests += [[t.number, t.window, _iso(t.delivered_on), _iso(t.tested_on), t.outcome] for t in r.tests] or [
        ["无", "", "", "", ""]
    ]

    story = [
        st.p("帮教对象帮教工作记录", st.title),
        st.p(f"{f.township}　　打印日期：{cn_date(r.printed_on)}", st.subtitle),
        basics_table,
        *section(
            st, "一、帮教小组（含更换记录）", table(members, [26, 16, 26, 28, 12, 24, 24], st, whole=(0, 1))
        ),
        *section(st, "二、谈心、家访、电话记录", table(talks, [24, 13, 16, 79, 24], st, whole=(1, 2))),
        *section(st, "三、就业安置", table(jobs, [40, 56, 30, 30], st)),
        *section(st, "四、半年小结与年度评估", table(reviews, [34, 30, 22, 40, 30], st, whole=(0, 1, 2, 3))),
        *section(st, "五、尿液检测", table(tests, [26, 44, 24, 24, 38], st, whole=(0, 1))),
        *(
            [Paragraph("<br/>".join(markup(w, st.cell.fontName) for w in r.warnings), warned)]
            if r.warnings
            else []
        ),
        sign_line(st, "填表人", "禁毒办负责人"),
        st.p("本记录含个人身份信息，仅供归档，不得外传。", st.flush),
    ]
    return build(story, f"{s.name}帮教工作记录", st)


@dataclass(frozen=True)
class ReviewSheet:
    facts: CaseFacts
    review: ReviewLine


RISKS = ("低", "中", "高")


def build_review_sheet(r: ReviewSheet) -> bytes:
    st = Styles(faces())
    f, v, s = r.facts, r.review, r.facts.subject
    title = "帮教对象年度评估表" if v.kind == "年度评估" else "帮教对象半年帮教小结"
    risk = "　".join(("■" if level == v.risk else "□") + level for level in RISKS)
    rows = [
        ["姓名", s.name, "身份证号码", s.id_number],
        ["帮教依据", f.basis, "帮教期限", f"{_iso(f.start_on)} 至 {_iso(f.term_end)}"],
        ["期间", v.period, "风险等级", risk],
        ["填写人", v.by_whom, "填写日期", _iso(v.written_on)],
    ]
    first = next((m for m in f.members if m.first_responsible and m.until is None), None)
    story = [
        st.p(title, st.title),
        st.p(f"{f.township}", st.subtitle),
        table(rows, [22, 44, 24, 66], st, header=False, whole=(0, 2)),
        Spacer(0, LINE / 2),
        st.p("帮教情况" + ("及评估意见" if v.kind == "年度评估" else "小结") + "：", st.heading),
        *[st.p(par) for par in v.text.splitlines() if par.strip()],
        signature_block(
            st,
            [
                ("帮教小组第一责任人", f"{first.name}签字" if first else "签字"),
                ("禁毒办审核意见（盖章）", "负责人签字"),
            ],
        ),
    ]
    return build(story, f"{s.name}{v.period}{v.kind}", st)


@dataclass(frozen=True)
class GroupRosterLine:
    case_id: int
    subject: str
    basis: str
    role: str
    name: str
    unit: str
    phone: str
    first_responsible: bool
    formed: bool = True  # False: an open case with nobody in its group yet (未组建)


def build_group_roster(township: str, lines: tuple[GroupRosterLine, ...], on: dt.date) -> bytes:
    st = Styles(faces())
    rows = [["序号", "帮教\n对象", "帮教\n依据", "小组成员", "角色", "单位", "联系电话", "第一\n责任人"]]
    number, previous, spans, first_row = 0, None, [], 1
    for row, line in enumerate(lines, start=1):
        if line.case_id != previous and row > 1:
            spans += [((c, first_row), (c, row - 1)) for c in range(3)]
            first_row = row
        new = line.case_id != previous  # a case's group: its subject once, then its members
        number += new
        previous = line.case_id
        rows.append(
            [
                str(number) if new else "",
                line.subject if new else "",
                line.basis if new else "",
                line.name if line.formed else "小组未组建",
                line.role,
                line.unit,
                line.phone,
                "是" if line.first_responsible else "",
            ]
        )
    if lines:
        spans += [((c, first_row), (c, len(lines))) for c in range(3)]
    # a case without a group: one line across the member columns, so the words are not broken in a narrow cell
    spans += [((3, row), (7, row)) for row, line in enumerate(lines, start=1) if not line.formed]
    unformed = sum(not line.formed for line in lines)
    members = len(lines) - unformed
    count = (
        f"帮教对象{number}人，"
        + (f"其中小组未组建{unformed}人，" if unformed else "")
        + f"小组成员{members}人次"
    )
    return _roster(
        st,
        f"{township}帮教小组成员名册",
        on,
        count,
        table(rows, [12, 16, 19, 16, 24, 22, 27, 12], st, spans=spans, whole=(1, 2, 3, 4)),
    )


def _roster(st: Styles, title: str, on: dt.date, count: str, body) -> bytes:
    """A roster to file with the county: title, as of when and how many, the table, and a line to sign."""
    story = [
        st.p(title, st.title),
        st.p(f"（截至{cn_date(on)}，{count}）", st.subtitle),
        body,
        sign_line(st, "填报单位（盖章）", "填报人", "审核人"),
    ]
    return build(story, title, st)


@dataclass(frozen=True)
class RosterLine:
    name: str
    sex: str
    village: str
    unit: str
    phone: str
    since: dt.date
    notes: str


def build_roster(township: str, kind: str, lines: tuple[RosterLine, ...], on: dt.date) -> bytes:
    """毒情信息员名册 or 禁毒宣传员名册: who serves on `on`."""
    st = Styles(faces())
    rows = [["序号", "姓名", "性别", "村（社区）", "单位及职务", "联系电话", "聘任日期", "备注"]]
    rows += [
        [str(i), x.name, x.sex, x.village, x.unit, x.phone, _iso(x.since), x.notes]
        for i, x in enumerate(lines, start=1)
    ] or [["", "（无）", "", "", "", "", "", ""]]
    return _roster(
        st,
        f"{township}{kind}名册",
        on,
        f"共{len(lines)}人",
        table(rows, [11, 16, 9, 20, 36, 27, 24, 13], st, whole=(1, 2, 3)),
    )
