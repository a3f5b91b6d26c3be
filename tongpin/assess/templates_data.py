"""Definitions of the indicator systems the agency starts from (data, so Chinese labels).

Each item: (label, weight, kind, indicator key or "", scale, children). Computed items name an
indicator registered by a domain in ``core.registry.indicators``; manual items are scored by the
assessors (points up to 100, or a review grade)."""

from .models import ItemKind, Scale, TemplateKind

C, M = ItemKind.COMPUTED, ItemKind.MANUAL
P, G = Scale.POINTS, Scale.GRADE

# 机关党委's yearly assessment of its branches: what the system already measures, plus the
# assessors' own judgement of distinctive work (with its evidence)
AGENCY_ANNUAL = (
    "机关党建年度考核",
    [
        ("组织生活落实", 20, C, "life.meeting_compliance", P, []),
        ("谈心谈话", 10, C, "life.talk_coverage", P, []),
        ("月月有活动", 15, C, "study.monthly_activity", P, []),
        ("党建任务按时完成", 20, C, "work.on_time_completion", P, []),
        ("业务目标达成", 15, C, "work.goal_attainment", P, []),
        ("问题整改销号率", 10, C, "assess.rectification_closure", P, []),
        ("特色亮点", 10, M, "", P, []),
    ],
)

# JG-15: each secretary reports once a year; reviewers grade the report, and the branch's own
# record counts beside it
SECRETARY_REVIEW = (
    "书记抓党建述职评议",
    [
        (
            "述职评议",
            50,
            C,
            "",
            P,
            [
                ("履行第一责任人职责", 1, M, "", G, []),
                ("抓党建工作成效", 1, M, "", G, []),
            ],
        ),
        (
            "所在支部党建实绩",
            50,
            C,
            "",
            P,
            [
                ("组织生活落实", 1, C, "life.meeting_compliance", P, []),
                ("党建任务按时完成", 1, C, "work.on_time_completion", P, []),
                ("问题整改销号率", 1, C, "assess.rectification_closure", P, []),
            ],
        ),
    ],
)

TEMPLATES = {
    TemplateKind.AGENCY_ANNUAL: AGENCY_ANNUAL,
    TemplateKind.SECRETARY_REVIEW: SECRETARY_REVIEW,
}
