"""Computed indicators of organizational life (registered in ``LifeConfig.ready()``)."""

import datetime
from collections import defaultdict

from django.db.models import Q

from .models import Meeting, MeetingStatus, Talk
from .services import compliance, talk_coverage


def _years(period_start, period_end):
    """(year, first day, last day) of each calendar year the period overlaps."""
    return [
        (
            year,
            max(period_start, datetime.date(year, 1, 1)),
            min(period_end, datetime.date(year, 12, 31)),
        )
        for year in range(period_start.year, period_end.year + 1)
    ]


def meeting_compliance(organizations, period_start, period_end):
    """Share of the required meeting periods due within the period that had a valid meeting.

    ``compliance`` counts a year's periods due before a day; a period crossing years (e.g.
    2025-07-01 – 2026-06-30) is split by year, and each year counts the periods due from the
    period's start to its end (due by the end, less those due before the start). Evidence: the
    valid meetings held for those periods (one query)."""
    from tongpin.core.indicators import ratio

    due, missing = defaultdict(int), defaultdict(int)
    for year, first, last in _years(period_start, period_end):
        before = {}
        if first > datetime.date(year, 1, 1):
            for row in compliance(organizations, year, today=first):
                before[(row.organization_id, row.kind)] = (row.due, row.missing)
        for row in compliance(organizations, year, today=last + datetime.timedelta(days=1)):
            due_before, missing_before = before.get((row.organization_id, row.kind), (0, 0))
            due[row.organization_id] += row.due - due_before
            missing[row.organization_id] += max(0, row.missing - missing_before)
    evidence = defaultdict(list)
    meetings = (
        Meeting.objects.filter(
            organization__in=organizations.order_by().values("pk"),
            status=MeetingStatus.HELD,
            period_start__year__gte=period_start.year,
            period_start__year__lte=period_end.year,
            due_on__gte=period_start,
            due_on__lte=period_end,
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
    """Heart-to-heart talk coverage of each branch (BR-11, a yearly rule) from ``talk_coverage``
    (two grouped queries a year); a period crossing years weighs each year's coverage by the
    days of the period in it. Evidence: the talks of those years up to the period's end."""
    shares, weights, evidence = defaultdict(float), defaultdict(int), defaultdict(list)
    years = _years(period_start, period_end)
    for year, first, last in years:
        days = (last - first).days + 1
        for org_id, row in talk_coverage(organizations, year).items():
            shares[org_id] += min(row.share, 1.0) * days
            weights[org_id] += days
    for pk, org_id, held_on in (
        Talk.objects.filter(
            organization__in=list(weights),
            held_on__year__gte=period_start.year,
            held_on__lte=period_end,
        )
        .order_by("held_on", "pk")
        .values_list("pk", "organization_id", "held_on")
    ):
        evidence[org_id].append(("life.talk", pk, f"{held_on:%Y-%m-%d}"))
    return {
        org_id: (round(shares[org_id] / weights[org_id] * 100, 1), evidence[org_id])
        for org_id in weights
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
