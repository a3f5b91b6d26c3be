"""Every rule of organizational life the app computes, by rule id (rules.md)."""

import datetime
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from tongpin.life import conf, services
from tongpin.life.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MemberReview,
    ReviewGrade,
)
from tongpin.life.services import AttendanceEntry, ReviewEntry, vote_outcome
from tongpin.members.models import CommitteePost, Member, MemberStatus
from tongpin.orgs.models import Organization, OrgKind

# ---- BR-03: votes at the assembly -------------------------------------------------------------


@pytest.mark.parametrize(
    ("entitled", "present", "yes", "valid", "passed"),
    [
        (10, 6, 6, True, True),
        (10, 5, 5, False, False),  # exactly half present: not "more than half"
        (10, 8, 5, True, False),  # 5 of 8 present said yes, but not more than half of 10
        (10, 8, 6, True, True),
        (9, 5, 5, True, True),
        (9, 9, 4, True, False),
        (0, 0, 0, False, False),
    ],
)
def test_br03_majority_of_those_entitled_not_of_those_present(
    entitled, present, yes, valid, passed
):
    # rule BR-03
    assert vote_outcome(entitled=entitled, voters_present=present, yes=yes) == (
        services.VoteOutcome(valid=valid, passed=passed)
    )


def _record(meeting, user, absent_ids=(), excused_ids=()):
    entries = {pk: AttendanceEntry(AttendanceStatus.ABSENT) for pk in absent_ids}
    entries |= {pk: AttendanceEntry(AttendanceStatus.EXCUSED, "出差") for pk in excused_ids}
    return services.record_meeting(
        meeting,
        user=user,
        held_on=meeting.planned_on,
        place="会议室",
        minutes="会议记录",
        attendance=entries,
    )


@pytest.mark.django_db
def test_org09_probationary_members_have_no_vote_and_do_not_count_for_the_quorum(
    economy, demo_user, clean_year
):
    # rules BR-03 and ORG-09: the quorum counts members with a vote only
    user = demo_user("dangwei")
    members = list(Member.objects.filter(branch=economy).order_by("pk"))
    # two probationary members at least (made so here if the demo has fewer)
    probationary = [m for m in members if m.status == MemberStatus.PROBATIONARY]
    extra = [m for m in members if m.status == MemberStatus.FULL][: max(0, 2 - len(probationary))]
    Member.objects.filter(pk__in=[m.pk for m in extra]).update(
        status=MemberStatus.PROBATIONARY, full_member_on=None
    )
    probationary += extra
    full = [m for m in members if m not in probationary]
    meeting = services.create_meeting(
        economy, MeetingKind.ASSEMBLY, datetime.date(clean_year, 5, 20), user=user
    )
    # half the full members (rounded up) away; every probationary member present
    away = [m.pk for m in full[: (len(full) + 1) // 2]]
    meeting = _record(meeting, user, absent_ids=away)
    assert meeting.voting_count == len(full)
    assert meeting.voting_present == len(full) // 2
    # more than half of all those present, yet not more than half of those with a vote
    assert meeting.present_count * 2 > meeting.expected_count
    assert meeting.quorum_met is False
    rows = Attendance.objects.filter(meeting=meeting)
    assert {a.member_id for a in rows if not a.can_vote} == {m.pk for m in probationary}
    # a vote at that meeting is not valid, however many say yes
    motion = services.record_motion(
        meeting, user=user, title="讨论接收预备党员", yes=meeting.voting_present, no=0, abstain=0
    )
    assert (motion.valid, motion.passed) == (False, False)
    assert motion.entitled == len(full)


@pytest.mark.django_db
def test_br03_vote_counts_cannot_exceed_the_voters_present(economy, demo_user, clean_year):
    user = demo_user("dangwei")
    meeting = services.create_meeting(
        economy, MeetingKind.ASSEMBLY, datetime.date(clean_year, 2, 20), user=user
    )
    meeting = _record(meeting, user)
    assert meeting.quorum_met is True
    with pytest.raises(ValidationError):
        services.record_motion(
            meeting, user=user, title="x", yes=meeting.voting_present, no=1, abstain=0
        )
    motion = services.record_motion(
        meeting,
        user=user,
        title="讨论预备党员转正",
        yes=meeting.voting_count // 2 + 1,
        no=0,
        abstain=0,
    )
    assert motion.valid and motion.passed


# ---- quorums: BR-04, MZ-01 --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "present", "met"), [(5, 3, True), (5, 2, False), (4, 2, False), (3, 2, True)]
)
def test_br04_committee_needs_more_than_half(expected, present, met):
    # rule BR-04
    assert (
        services.quorum_met(
            MeetingKind.COMMITTEE, expected=expected, present=present, voting=0, voting_present=0
        )
        is met
    )


@pytest.mark.parametrize(
    ("expected", "present", "met"), [(3, 2, True), (3, 1, False), (6, 4, True), (4, 2, False)]
)
def test_mz01_democratic_life_needs_two_thirds(expected, present, met):
    # rule MZ-01: at least two thirds of the group
    assert (
        services.quorum_met(
            MeetingKind.DEMOCRATIC_LIFE,
            expected=expected,
            present=present,
            voting=0,
            voting_present=0,
        )
        is met
    )


def test_kinds_without_a_quorum_rule_report_none():
    assert (
        services.quorum_met(
            MeetingKind.THEME_DAY, expected=10, present=1, voting=10, voting_present=1
        )
        is None
    )


@pytest.mark.django_db
def test_br04_committee_meeting_roster_is_the_committee(office, demo_user, clean_year):
    meeting = services.create_meeting(
        office, MeetingKind.COMMITTEE, datetime.date(clean_year, 3, 5), user=demo_user("shuji")
    )
    committee = set(
        CommitteePost.objects.filter(organization=office, ended_on__isnull=True).values_list(
            "member_id", flat=True
        )
    )
    assert {row.member_id for row in services.attendance_sheet(meeting)} == committee
    away = sorted(committee)[: len(committee) // 2 + (len(committee) % 2)]
    meeting = _record(meeting, demo_user("shuji"), excused_ids=away)
    assert meeting.quorum_met is False


# ---- frequencies: BR-03/04/05/07/08/09/10, MZ-01, LIFE-01 -------------------------------------


@pytest.mark.parametrize(
    ("kind", "rule", "count"),
    [
        (MeetingKind.ASSEMBLY, "BR-03", 4),
        (MeetingKind.COMMITTEE, "BR-04", 12),
        (MeetingKind.GROUP, "BR-05", 12),
        (MeetingKind.LECTURE, "BR-07", 4),
        (MeetingKind.THEME_DAY, "BR-08", 12),
        (MeetingKind.ORG_LIFE, "BR-09", 1),
        (MeetingKind.MEMBER_REVIEW, "BR-10", 1),
        (MeetingKind.DEMOCRATIC_LIFE, "MZ-01", 1),
        (MeetingKind.AGENCY_ASSEMBLY, "LIFE-01", 1),
    ],
)
def test_frequencies_by_rule(kind, rule, count):
    assert conf.rule_for(kind)["rule"] == rule
    dates = services.planned_dates(kind, 2026)
    assert len(dates) == count
    # one per period, each inside its own period
    period = conf.rule_for(kind)["period"]
    assert len({services.period_bounds(d, period) for d in dates}) == count


def test_br08_theme_day_on_a_fixed_day_never_a_weekend():
    day = conf.rule_for(MeetingKind.THEME_DAY)["plan_day"]
    for planned in services.planned_dates(MeetingKind.THEME_DAY, 2026):
        assert planned.weekday() < 5
        assert abs(planned.day - day) <= 1


@pytest.mark.parametrize("kind", [MeetingKind.ORG_LIFE, MeetingKind.DEMOCRATIC_LIFE])
def test_br09_mz01_annual_meetings_planned_in_q4(kind):
    # rules BR-09 and MZ-01: usually in the fourth quarter
    (planned,) = services.planned_dates(kind, 2026)
    assert planned.month >= 10


def test_required_kinds_by_organization():
    branch = set(services.required_kinds(OrgKind.BRANCH, committee_size=5))
    assert branch == {
        MeetingKind.ASSEMBLY,
        MeetingKind.COMMITTEE,
        MeetingKind.LECTURE,
        MeetingKind.THEME_DAY,
        MeetingKind.ORG_LIFE,
        MeetingKind.MEMBER_REVIEW,
    }
    # a branch with only a secretary holds no committee meetings (BR-04, ORG-04)
    assert MeetingKind.COMMITTEE not in services.required_kinds(OrgKind.BRANCH, 1)
    assert services.required_kinds(OrgKind.GROUP, 0) == [MeetingKind.GROUP]
    agency = set(services.required_kinds(OrgKind.AGENCY_COMMITTEE, 7))
    assert {MeetingKind.DEMOCRATIC_LIFE, MeetingKind.AGENCY_ASSEMBLY} <= agency  # MZ-01, LIFE-01


def test_frequencies_are_settings():
    # rule BR-07: the quarterly lecture is local practice; a deployment may change or drop it
    yearly = {"LIFE": {"meetings": {"lecture": {"period": "year", "plan_month": 6}}}}
    with override_settings(TONGPIN={**_tongpin(), **yearly}):
        assert len(services.planned_dates(MeetingKind.LECTURE, 2026)) == 1
    none = {"LIFE": {"meetings": {"lecture": {"period": None}}}}
    with override_settings(TONGPIN={**_tongpin(), **none}):
        assert MeetingKind.LECTURE not in services.required_kinds(OrgKind.BRANCH, 5)
    assert len(services.planned_dates(MeetingKind.LECTURE, 2026)) == 4


def _tongpin():
    from django.conf import settings

    return dict(settings.TONGPIN)


# ---- BR-10: democratic review -----------------------------------------------------------------


@pytest.mark.parametrize(("graded", "limit"), [(9, 3), (10, 3), (12, 4), (2, 0)])
def test_br10_excellent_at_most_a_third(graded, limit):
    assert services.excellent_limit(graded) == limit


@pytest.mark.django_db
def test_br10_review_refuses_too_many_excellent(economy, demo_user, clean_year):
    user = demo_user("shuji2")
    full = list(Member.objects.filter(branch=economy, status=MemberStatus.FULL).order_by("pk"))
    limit = services.excellent_limit(len(full))
    entries = {
        m.pk: ReviewEntry(grade=ReviewGrade.EXCELLENT if i <= limit else ReviewGrade.QUALIFIED)
        for i, m in enumerate(full)
    }
    with pytest.raises(ValidationError, match="BR-10"):
        services.save_reviews(economy, clean_year, entries, user=user)
    entries[full[0].pk] = ReviewEntry(grade=ReviewGrade.QUALIFIED)
    saved = services.save_reviews(economy, clean_year, entries, user=user)
    assert len(saved) == len(full)
    assert (
        MemberReview.objects.filter(
            organization=economy, year=clean_year, grade=ReviewGrade.EXCELLENT
        ).count()
        == limit
    )
    # the result is recorded on the member, one record a year
    assert full[1].reviews.get(year=clean_year).grade == ReviewGrade.EXCELLENT


@pytest.mark.django_db
def test_br10_probationary_members_are_not_graded(economy, demo_user, clean_year):
    member = Member.objects.filter(branch=economy).order_by("pk").first()
    Member.objects.filter(pk=member.pk).update(
        status=MemberStatus.PROBATIONARY, full_member_on=None
    )
    with pytest.raises(ValidationError, match=member.name):
        services.save_reviews(
            economy,
            clean_year,
            {member.pk: ReviewEntry(grade=ReviewGrade.QUALIFIED)},
            user=demo_user("shuji2"),
        )


def test_br10_share_is_a_setting():
    with override_settings(TONGPIN={**_tongpin(), "LIFE": {"excellent_max_share": "1/4"}}):
        assert conf.excellent_max_share() == Fraction(1, 4)
        assert services.excellent_limit(12) == 3


# ---- BR-11: heart-to-heart talks --------------------------------------------------------------


@pytest.mark.django_db
def test_br11_talk_coverage_counts_pairs(economy, demo_user, clean_year):
    from tongpin.life.models import Talk

    Talk.objects.filter(organization=economy).delete()
    user = demo_user("shuji2")
    committee = list(
        Member.objects.filter(
            committee_posts__organization=economy, committee_posts__ended_on__isnull=True
        ).order_by("pk")
    )
    ordinary = list(Member.objects.filter(branch=economy).exclude(pk__in=[m.pk for m in committee]))
    day = datetime.date(clean_year, 6, 1)
    # two committee pairs, one member with a committee member, two members with each other
    services.record_talk(economy, user=user, member=committee[0], partner=committee[1], held_on=day)
    services.record_talk(economy, user=user, member=committee[2], partner=committee[0], held_on=day)
    services.record_talk(economy, user=user, member=committee[1], partner=committee[0], held_on=day)
    services.record_talk(economy, user=user, member=ordinary[0], partner=committee[0], held_on=day)
    services.record_talk(economy, user=user, member=ordinary[1], partner=ordinary[2], held_on=day)
    coverage = services.talk_coverage(Organization.objects.filter(pk=economy.pk), clean_year)[
        economy.pk
    ]
    c, m = len(committee), len(ordinary)
    assert coverage.committee == c
    assert coverage.committee_pairs_done == 2  # the repeated pair counts once
    assert coverage.with_committee_done == 1
    assert coverage.with_member_done == 2
    assert coverage.required == c * (c - 1) // 2 + 2 * m
    assert coverage.done == 5
    with override_settings(TONGPIN={**_tongpin(), "LIFE": {"talk_pairs": "literal"}}):
        literal = services.talk_coverage(Organization.objects.filter(pk=economy.pk), clean_year)
        assert literal[economy.pk].required == (c + m) * (c + m - 1) // 2
        assert literal[economy.pk].done == 4


@pytest.mark.django_db
def test_br11_talk_needs_two_members_of_the_branch(economy, office, demo_user, today):
    a, b = Member.objects.filter(branch=economy).order_by("pk")[:2]
    other = Member.objects.filter(branch=office).first()
    user = demo_user("dangwei")
    with pytest.raises(ValidationError):
        services.record_talk(economy, user=user, member=a, partner=a, held_on=today)
    with pytest.raises(ValidationError):
        services.record_talk(economy, user=user, member=a, partner=other, held_on=today)
    talk = services.record_talk(economy, user=user, member=b, partner=a, held_on=today)
    assert talk.member_a_id < talk.member_b_id


# ---- BR-12: dual organizational life ----------------------------------------------------------


@pytest.mark.django_db
def test_br12_dual_life_counts_branch_and_leadership_attendance(office, demo_user, clean_year):
    user = demo_user("dangwei")
    leader = demo_user("lingdao").member  # bureau level: in the leadership group too
    assert leader.is_leading_cadre
    theme = services.create_meeting(
        office, MeetingKind.THEME_DAY, datetime.date(clean_year, 4, 15), user=user
    )
    _record(theme, user)
    lecture = services.create_meeting(
        office, MeetingKind.LECTURE, datetime.date(clean_year, 5, 10), user=user
    )
    _record(lecture, user, excused_ids=[leader.pk])
    root = Organization.objects.get(depth=1)
    democratic = services.create_meeting(
        root, MeetingKind.DEMOCRATIC_LIFE, datetime.date(clean_year, 12, 22), user=user
    )
    _record(democratic, user)
    rows = {m.pk: m for m in services.dual_life_report(Member.objects.all(), clean_year)}
    mine = rows[leader.pk]
    assert (mine.branch_expected, mine.branch_present, mine.branch_excused) == (2, 1, 1)
    assert (mine.leadership_expected, mine.leadership_present) == (1, 1)
    # ordinary members are not in the report
    assert demo_user("dangyuan").member.pk not in rows


# ---- record once ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_record_once_defaults_everyone_present_and_needs_a_reason_to_excuse(
    theme_day_to_record, demo_user
):
    meeting = theme_day_to_record
    sheet = services.attendance_sheet(meeting)
    assert sheet and all(row.status == AttendanceStatus.PRESENT for row in sheet)
    with pytest.raises(ValidationError):
        services.record_meeting(
            meeting,
            user=demo_user("shuji"),
            held_on=meeting.planned_on,
            attendance={sheet[0].member_id: AttendanceEntry(AttendanceStatus.EXCUSED, "")},
        )
    services.record_meeting(
        meeting,
        user=demo_user("shuji"),
        held_on=meeting.planned_on,
        place="三楼会议室",
        minutes="学习讨论",
        attendance={sheet[0].member_id: AttendanceEntry(AttendanceStatus.EXCUSED, "病假")},
    )
    meeting.refresh_from_db()
    assert meeting.is_held and meeting.expected_count == len(sheet)
    assert meeting.present_count == len(sheet) - 1
    assert Attendance.objects.filter(meeting=meeting).count() == len(sheet)
    # recording again updates the same rows: attendance is stored once
    services.record_meeting(meeting, user=demo_user("shuji"), held_on=meeting.planned_on)
    assert Attendance.objects.filter(meeting=meeting).count() == len(sheet)


@pytest.mark.django_db
def test_future_meetings_cannot_be_recorded_as_held(office, demo_user, today):
    meeting = Meeting.objects.filter(organization=office, planned_on__gt=today).first()
    with pytest.raises(ValidationError):
        services.record_meeting(
            meeting, user=demo_user("shuji"), held_on=today + datetime.timedelta(days=3)
        )


@pytest.mark.django_db
def test_only_the_organizations_staff_record(theme_day_to_record, demo_user):
    from django.core.exceptions import PermissionDenied

    for username in ("shuji2", "dangyuan", "lingdao"):
        with pytest.raises(PermissionDenied):
            services.record_meeting(
                theme_day_to_record,
                user=demo_user(username),
                held_on=theme_day_to_record.planned_on,
            )


@pytest.mark.django_db
def test_first_agenda_item_links_any_record(theme_day_to_record, demo_user):
    # the later directives app points the first item at a directive; any model works the same
    target = Organization.objects.get(name="办公室党支部")
    meeting = services.link_first_item(theme_day_to_record, target, user=demo_user("shuji"))
    assert meeting.first_item_type.model == "organization"
    assert meeting.first_item_id == target.pk
