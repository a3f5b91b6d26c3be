"""Rules of organizational life as settings (rules.md BR-03..BR-12, MZ-01, LIFE-01).

Central rules and local practice both live here as defaults; a deployment overrides any of them
in ``settings.TONGPIN["LIFE"]`` (e.g. ``{"meetings": {"lecture": {"period": "year"}}}`` where the
party lecture is yearly, or ``{"period": None}`` to drop a requirement). Nothing else in the app
hard-codes a frequency, a quorum or a share.

Each meeting kind has:
- ``rule``: the rule id shown beside every figure;
- ``period``: ``"month"``, ``"quarter"``, ``"year"`` or ``None`` (no fixed frequency: not checked);
- ``org_kinds``: which organizations must hold it (``orgs.OrgKind`` values);
- ``needs_committee``: only organizations with a committee (at least ``committee_min`` current
  committee posts) hold it;
- ``quorum``: ``None`` or ``{"basis": "voting"|"all", "share": "1/2", "strict": True}``: present
  must be more than (strict) or at least the share of those expected (``all``) or of the members
  with a vote (``voting``, rule ORG-09);
- ``plan_month``: for yearly kinds the month (1–12), for quarterly ones the month within the
  quarter (1–3); ``plan_day``: the day of the month the plan proposes (BR-08: a fixed day).
"""

import copy
from fractions import Fraction
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed

MONTH, QUARTER, YEAR = "month", "quarter", "year"
PERIOD_MONTHS = {MONTH: 1, QUARTER: 3, YEAR: 12}

DEFAULTS = {
    "meetings": {
        # rule BR-04: the committee meets monthly with more than half of it present
        "committee": {
            "rule": "BR-04",
            "period": MONTH,
            "org_kinds": ["agency_committee", "general_branch", "branch"],
            "needs_committee": True,
            "quorum": {"basis": "all", "share": "1/2", "strict": True},
            "plan_month": None,
            "plan_day": 5,
        },
        # rule BR-03: the assembly meets quarterly; quorum over the members with a vote
        "assembly": {
            "rule": "BR-03",
            "period": QUARTER,
            "org_kinds": ["branch"],
            "needs_committee": False,
            "quorum": {"basis": "voting", "share": "1/2", "strict": True},
            "plan_month": 2,
            "plan_day": 25,
        },
        # rule BR-05: the party group meets monthly
        "group": {
            "rule": "BR-05",
            "period": MONTH,
            "org_kinds": ["group"],
            "needs_committee": False,
            "quorum": None,
            "plan_month": None,
            "plan_day": 20,
        },
        # rule BR-07: no central frequency; quarterly is local practice
        "lecture": {
            "rule": "BR-07",
            "period": QUARTER,
            "org_kinds": ["branch"],
            "needs_committee": False,
            "quorum": None,
            "plan_month": 3,
            "plan_day": 10,
        },
        # rule BR-08: the theme day is monthly, on a fixed day
        "theme_day": {
            "rule": "BR-08",
            "period": MONTH,
            "org_kinds": ["branch"],
            "needs_committee": False,
            "quorum": None,
            "plan_month": None,
            "plan_day": 15,
        },
        # rule BR-09: at least once a year, usually in Q4
        "org_life": {
            "rule": "BR-09",
            "period": YEAR,
            "org_kinds": ["branch"],
            "needs_committee": False,
            "quorum": None,
            "plan_month": 12,
            "plan_day": 18,
        },
        # rule BR-10: once a year, in an assembly: the vote rules of BR-03 apply
        "member_review": {
            "rule": "BR-10",
            "period": YEAR,
            "org_kinds": ["branch"],
            "needs_committee": False,
            "quorum": {"basis": "voting", "share": "1/2", "strict": True},
            "plan_month": 12,
            "plan_day": 25,
        },
        # rule MZ-01: the leadership group, once a year (Q4), at least 2/3 attending
        "democratic_life": {
            "rule": "MZ-01",
            "period": YEAR,
            "org_kinds": ["agency_committee"],
            "needs_committee": False,
            "quorum": {"basis": "all", "share": "2/3", "strict": False},
            "plan_month": 12,
            "plan_day": 22,
        },
        # rule LIFE-01: at least one agency-wide assembly a year where the agency head reports
        "agency_assembly": {
            "rule": "LIFE-01",
            "period": YEAR,
            "org_kinds": ["agency_committee"],
            "needs_committee": False,
            "quorum": None,
            "plan_month": 1,
            "plan_day": 20,
        },
    },
    # rule BR-04: a "committee" means at least this many current committee posts
    "committee_min": 3,
    # rule BR-10: the share of 优秀 among the members reviewed (common rule, a setting)
    "excellent_max_share": "1/3",
    # rule BR-11: "practice": every pair of committee members, every member with at least one
    # committee member and with at least one other member; "literal": every pair of members
    "talk_pairs": "practice",
    # rule MZ-01: who is in the leadership group (job levels), to pre-fill its attendance
    "leadership_job_levels": ["bureau", "deputy_bureau"],
    # planned meetings notify their attendees this many days before
    "reminder_days": 3,
    # QR check-in is open this many days either side of the meeting day (never required)
    "checkin_open_days": 1,
}


def _merge(base: dict, override: dict) -> dict:
    merged = copy.deepcopy(base)
    for key, value in (override or {}).items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


@cache
def life_settings() -> dict:
    return _merge(DEFAULTS, getattr(settings, "TONGPIN", {}).get("LIFE", {}))


def _reset(**kwargs):
    if kwargs.get("setting") == "TONGPIN":
        life_settings.cache_clear()


setting_changed.connect(_reset)


def meeting_rules() -> dict:
    return life_settings()["meetings"]


def rule_for(kind: str) -> dict:
    return meeting_rules().get(kind, {"rule": "", "period": None, "org_kinds": [], "quorum": None})


def fraction(value) -> Fraction:
    return Fraction(str(value))


def excellent_max_share() -> Fraction:
    return fraction(life_settings()["excellent_max_share"])
