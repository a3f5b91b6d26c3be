"""The compliance engine: required against held, late, quorum failures, in one grouped pass."""

import datetime

import pytest

from tongpin.life import services
from tongpin.life.models import AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from tongpin.life.services import AttendanceEntry
from tongpin.members.models import MemberStatus
from tongpin.orgs.models import Organization


def _hold(meeting, user, held_on=None, away=()):
    return services.record_meeting(
        meeting,
        user=user,
        held_on=held_on or meeting.planned_on,
        place="会议室",
        minutes="会议记录",
        attendance={pk: AttendanceEntry(AttendanceStatus.ABSENT) for pk in away},
    )


@pytest.mark.django_db
def test_yearly_plan_follows_the_rules_and_is_idempotent(economy, demo_user, clean_year):
    created = services.generate_plan(economy, clean_year, user=demo_user("shuji2"))
    counts = {}
    for meeting in created:
        counts[meeting.kind] = counts.get(meeting.kind, 0) + 1
    assert counts == {
        MeetingKind.COMMITTEE: 12,  # BR-04
        MeetingKind.ASSEMBLY: 4,  # BR-03
        MeetingKind.LECTURE: 4,  # BR-07 (local practice: quarterly)
        MeetingKind.THEME_DAY: 12,  # BR-08
        MeetingKind.ORG_LIFE: 1,  # BR-09
        MeetingKind.MEMBER_REVIEW: 1,  # BR-10
    }
    assert all(m.in_plan and m.status == MeetingStatus.PLANNED for m in created)
    # a second run adds nothing; a moved or cancelled meeting keeps its period
    assert services.generate_plan(economy, clean_year, user=demo_user("shuji2")) == []


@pytest.mark.django_db
def test_plan_for_groups_and_the_agency(demo_user, clean_year):
    group = Organization.objects.filter(kind="group").first()
    root = Organization.objects.get(depth=1)
    created = services.generate_plans([group, root], clean_year, user=demo_user("dangwei"))
    kinds = {(m.organization_id, m.kind) for m in created}
    assert (group.pk, MeetingKind.GROUP) in kinds  # BR-05
    assert (root.pk, MeetingKind.DEMOCRATIC_LIFE) in kinds  # MZ-01
    assert (root.pk, MeetingKind.AGENCY_ASSEMBLY) in kinds  # LIFE-01


@pytest.mark.django_db
def test_plan_outside_scope_is_refused(economy, demo_user, clean_year):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.generate_plan(economy, clean_year, user=demo_user("shuji"))


@pytest.mark.django_db
def test_compliance_counts_missing_late_and_quorum_failures(economy, demo_user, clean_year):
    user = demo_user("shuji2")
    services.generate_plan(economy, clean_year, user=user)
    plan = Meeting.objects.filter(organization=economy, planned_on__year=clean_year)
    themes = list(plan.filter(kind=MeetingKind.THEME_DAY).order_by("planned_on"))
    for meeting in themes[:10]:
        if meeting.planned_on.month == 3:
            continue  # rule BR-08: March has no theme day
        held_on = (
            meeting.due_on + datetime.timedelta(days=3) if meeting.planned_on.month == 5 else None
        )
        _hold(meeting, user, held_on)
    assemblies = list(plan.filter(kind=MeetingKind.ASSEMBLY).order_by("planned_on"))
    full = list(economy.members.filter(status=MemberStatus.FULL).values_list("pk", flat=True))
    _hold(assemblies[0], user)
    _hold(assemblies[1], user, away=full[: (len(full) + 1) // 2])  # BR-03 quorum fails
    _hold(assemblies[2], user)

    today = datetime.date(clean_year, 11, 20)
    rows = {
        r.kind: r
        for r in services.compliance(Organization.objects.filter(pk=economy.pk), clean_year, today)
    }
    theme = rows[MeetingKind.THEME_DAY]
    assert (theme.rule, theme.required, theme.due) == ("BR-08", 12, 10)
    assert (theme.held, theme.covered, theme.missing, theme.late) == (9, 9, 1, 1)
    assert theme.planned == 3 and not theme.ok
    assembly = rows[MeetingKind.ASSEMBLY]
    assert (assembly.required, assembly.due, assembly.held) == (4, 3, 3)
    # the assembly without a quorum was held but does not cover its quarter
    assert (assembly.covered, assembly.missing, assembly.quorum_failures) == (2, 1, 1)
    org_life = rows[MeetingKind.ORG_LIFE]
    assert (org_life.rule, org_life.required, org_life.due, org_life.missing) == ("BR-09", 1, 0, 0)
    # at the end of the year the annual meetings are due too
    after = {
        r.kind: r
        for r in services.compliance(
            Organization.objects.filter(pk=economy.pk),
            clean_year,
            datetime.date(clean_year + 1, 1, 5),
        )
    }
    assert after[MeetingKind.ORG_LIFE].missing == 1
    assert after[MeetingKind.MEMBER_REVIEW].missing == 1
    assert after[MeetingKind.THEME_DAY].missing == 3


@pytest.mark.django_db
def test_compliance_of_the_whole_agency_is_two_queries(django_assert_num_queries, demo_year):
    organizations = Organization.objects.all()
    with django_assert_num_queries(2):
        rows = services.compliance(organizations, demo_year)
    branches = Organization.objects.filter(kind="branch").count()
    assert len({r.organization_id for r in rows if r.org_kind == "branch"}) == branches
    # the demo agency: one assembly failed its quorum (BR-03)
    failed = [r for r in rows if r.quorum_failures]
    assert [(r.organization, r.kind) for r in failed] == [("价格处党支部", MeetingKind.ASSEMBLY)]
    assert any(r.missing for r in rows)  # and some gaps


@pytest.mark.django_db
def test_talk_coverage_and_dual_life_are_grouped_queries(django_assert_num_queries, demo_year):
    from tongpin.members.models import Member

    with django_assert_num_queries(2):
        coverage = services.talk_coverage(Organization.objects.all(), demo_year)
    assert len(coverage) == Organization.objects.filter(kind="branch").count()
    with django_assert_num_queries(1):
        rows = list(services.dual_life_report(Member.objects.all(), demo_year))
    assert rows and all(r.is_leading_cadre for r in rows)
    assert any(r.branch_expected for r in rows)
