"""Periods crossing a year (e.g. 2031-07-01 – 2032-06-30): every indicator computes over the
period's own dates, and its drill-down lists exactly what it counted."""

import datetime

import pytest

from tongpin.core.registry import indicators
from tongpin.orgs.models import Organization, OrgKind

pytestmark = pytest.mark.django_db

START, END = datetime.date(2031, 7, 1), datetime.date(2032, 6, 30)


def office_qs():
    return Organization.objects.filter(name="办公室党支部")


def test_every_indicator_computes_over_a_period_crossing_a_year():
    branches = Organization.objects.filter(kind=OrgKind.BRANCH)
    for key, indicator in indicators:
        results = indicator.compute(branches, START, END)
        for value, evidence in results.values():
            assert 0 <= value <= 100, key
            assert all(len(entry) == 3 for entry in evidence), key


def meeting(organization, kind, period_start, due_on, held_on):
    from tongpin.life.models import Meeting, MeetingStatus

    return Meeting.objects.create(
        organization=organization,
        kind=kind,
        title=f"{kind} {period_start:%Y-%m}",
        planned_on=held_on,
        period_start=period_start,
        due_on=due_on,
        held_on=held_on,
        status=MeetingStatus.HELD,
        quorum_met=True,
    )


def periods_due_within(organization):
    """Required periods of the office branch that end inside the period, counted from the
    rules (life's public ``periods_of`` and ``compliance`` rows of each year)."""
    from tongpin.life.conf import rule_for
    from tongpin.life.services import compliance, periods_of

    due = 0
    for year in (2031, 2032):
        kinds = {row.kind for row in compliance(office_qs(), year, today=END) if row.required}
        for kind in kinds:
            due += sum(
                1
                for _start, end in periods_of(year, rule_for(kind)["period"])
                if START <= end <= END
            )
    return due


def test_meeting_compliance_counts_the_periods_due_inside_the_period():
    from tongpin.life.indicators import meeting_compliance

    office = office_qs().get()
    before = meeting(office, "theme_day", *[datetime.date(2031, 3, 1), datetime.date(2031, 3, 31)], datetime.date(2031, 3, 20))  # fmt: skip
    december = meeting(office, "theme_day", datetime.date(2031, 12, 1), datetime.date(2031, 12, 31), datetime.date(2031, 12, 20))  # fmt: skip
    march = meeting(office, "theme_day", datetime.date(2032, 3, 1), datetime.date(2032, 3, 31), datetime.date(2032, 3, 18))  # fmt: skip
    value, evidence = meeting_compliance(office_qs(), START, END)[office.pk]
    due = periods_due_within(office)
    assert due > 12  # months of both years, quarters of both, the year 2031
    assert value == round(2 * 100 / due, 1)
    # exactly the two meetings of periods inside the period, not the earlier one of 2031
    assert [(e[0], e[1]) for e in evidence] == [
        ("life.meeting", december.pk),
        ("life.meeting", march.pk),
    ]
    assert before.pk not in {e[1] for e in evidence}


def test_study_activity_counts_months_of_both_years():
    from tongpin.study.indicators import monthly_activity
    from tongpin.study.models import StudySession, StudyTier

    office = office_qs().get()
    sessions = [
        StudySession.objects.create(
            organization=office, tier=StudyTier.values[0], topic=f"学习 {day}", held_on=day, hours=1
        )
        for day in (datetime.date(2031, 8, 5), datetime.date(2032, 2, 6))
    ]
    StudySession.objects.create(
        organization=office,
        tier=StudyTier.values[0],
        topic="期外",
        held_on=datetime.date(2031, 6, 30),
        hours=1,
    )
    value, evidence = monthly_activity(office_qs(), START, END)[office.pk]
    assert value == round(2 * 100 / 12, 1)
    assert [e[1] for e in evidence] == [s.pk for s in sessions]


def test_talks_weigh_each_year_by_its_days():
    from tongpin.life.indicators import talks
    from tongpin.life.services import talk_coverage

    office = office_qs().get()
    expected = (
        min(talk_coverage(office_qs(), 2031)[office.pk].share, 1.0) * 184
        + min(talk_coverage(office_qs(), 2032)[office.pk].share, 1.0) * 182
    ) / 366
    value, _evidence = talks(office_qs(), START, END)[office.pk]
    assert value == round(expected * 100, 1)
