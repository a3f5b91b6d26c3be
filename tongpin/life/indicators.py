"""Computed indicators of organizational life (registered in ``LifeConfig.ready()``)."""

import datetime
from collections import defaultdict

from django.db.models import Q

from .models import Meeting, MeetingStatus, Talk
from .services import compliance, talk_coverage


def meeting_compliance(organizations, period_start, period_end):
    """Share of the required meeting periods ended by the period's end that had a valid meeting:
    from ``compliance`` (one GROUP BY), evidence the valid meetings held (one query)."""
    from tongpin.core.indicators import ratio

    today = period_end + datetime.timedelta(days=1)
    due, missing = defaultdict(int), defaultdict(int)
    for row in compliance(organizations, period_start.year, today=today):
        due[row.organization_id] += row.due
        missing[row.organization_id] += row.missing
    evidence = defaultdict(list)
    meetings = (
        Meeting.objects.filter(
            organization__in=organizations.order_by().values("pk"),
            status=MeetingStatus.HELD,
            period_start__year=period_start.year,
            held_on__lte=period_end,
        )
        .filter(~Q(quorum_met=False))
        .order_by("held_on", "pk")
        .values_list("pk", "organization_id", "title", "held_on")
    )
    for pk, org_id, title, held_on in meetings:
        evidence[org_id].append(("life.meeting", pk, f"{held_on:%Y-%m-%d} {title}"))
    return {
        org_id: (ratio(due[org_id] - missing[org_id], due[org_id]), evidence[org_id])
        for org_id in due
    }


def talks(organizations, period_start, period_end):
    """Heart-to-heart talk coverage of each branch (BR-11) for the period's year, from
    ``talk_coverage`` (two grouped queries); evidence the talks held (one query)."""
    coverage = talk_coverage(organizations, period_start.year)
    evidence = defaultdict(list)
    for pk, org_id, held_on in (
        Talk.objects.filter(
            organization__in=list(coverage),
            held_on__year=period_start.year,
            held_on__lte=period_end,
        )
        .order_by("held_on", "pk")
        .values_list("pk", "organization_id", "held_on")
    ):
        evidence[org_id].append(("life.talk", pk, f"{held_on:%Y-%m-%d}"))
    return {
        org_id: (round(min(row.share, 1.0) * 100, 1), evidence[org_id])
        for org_id, row in coverage.items()
    }


def register():
    from django.utils.translation import gettext_lazy as _

    from tongpin.core.indicators import Indicator
    from tongpin.core.registry import indicators

    indicators.register(
        "life.meeting_compliance",
        Indicator(label=_("Life compliance"), rule="", compute=meeting_compliance),
    )
    indicators.register(
        "life.talk_coverage",
        Indicator(label=_("Heart-to-heart talks"), rule="BR-11", compute=talks),
    )
