"""Who may open each route of the life app (walked by tests/test_permission_walk.py).

Meetings, their votes and attachments are public records of their organization: a branch's
members read them. Attendance (with reasons), minutes as a document, talks and review grades are
for the organization's own staff; a member reads their own rows only. Reports over many people
(compliance, dual life, talks, reviews) are for those who look after organizations.
"""

import datetime

from tongpin.demo.testing import (
    ANY_CHANGE,
    DOMAIN_USERS,
    OFFICE_CHANGE,
    OFFICE_PUBLIC_VIEW,
    OFFICE_VIEW,
    Route,
    office_branch,
    office_member,
    pk_of,
)

# users with a subtree in their view scope: the ones who look after organizations
STAFF_VIEW = ANY_CHANGE | {"lingdao"}
# the demo accounts whose member record is in 办公室党支部 (on its meetings' roster)
OFFICE_ROSTER = frozenset({"zongzhi", "shuji", "weiyuan", "dangyuan", "lingdao"})


def _office_meetings():
    from tongpin.life.models import Meeting

    return Meeting.objects.filter(organization=office_branch()).order_by("planned_on", "pk")


def office_held_meeting():
    from tongpin.life.models import MeetingKind, MeetingStatus

    return _office_meetings().filter(status=MeetingStatus.HELD, kind=MeetingKind.THEME_DAY).first()


def office_held_assembly():
    from tongpin.life.models import MeetingKind, MeetingStatus

    return _office_meetings().filter(status=MeetingStatus.HELD, kind=MeetingKind.ASSEMBLY).first()


def office_planned_meeting():
    """A planned meeting still ahead (moving, cancelling and recording refuse garbage)."""
    from django.utils import timezone

    from tongpin.life.models import MeetingStatus

    return (
        _office_meetings()
        .filter(status=MeetingStatus.PLANNED, planned_on__gt=timezone.localdate())
        .first()
    )


def office_attachment():
    """An attachment on the office's first held theme day (made on demand, file included)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from tongpin.core.models import Attachment

    meeting = office_held_meeting()
    found = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(meeting), object_id=meeting.pk
    ).first()
    if found is None:
        path = "attachments/walk/sign-in.txt"
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile("签到表".encode()))
        found = Attachment.objects.create(
            content_type=ContentType.objects.get_for_model(meeting),
            object_id=meeting.pk,
            file=path,
            name="签到表.txt",
            size=9,
            digest="0" * 64,
        )
    return found


def office_attendance():
    """The attendance row of an office member without an account."""
    from tongpin.life.models import Attendance

    return Attendance.objects.filter(meeting=office_held_meeting(), member=office_member()).first()


def office_talk():
    from tongpin.life.models import Talk

    return Talk.objects.filter(organization=office_branch()).order_by("pk").first()


def office_review():
    from tongpin.life.models import MemberReview

    return (
        MemberReview.objects.filter(organization=office_branch(), member__user__isnull=True)
        .order_by("pk")
        .first()
    )


def office_motion():
    from tongpin.life.models import Motion

    return Motion.objects.filter(meeting__organization=office_branch()).order_by("pk").first() or (
        _make_office_motion()
    )


def _make_office_motion():
    from tongpin.life.models import Motion

    meeting = office_held_assembly()
    return Motion.objects.create(
        meeting=meeting,
        title="讨论接收预备党员",
        entitled=meeting.voting_count,
        voters_present=meeting.voting_present,
        yes=meeting.voting_present,
        valid=True,
        passed=True,
    )


def _token(getter):
    return lambda: {"token": getter().checkin_token}


def _office_last_year():
    from tongpin.life.demo import record_year

    return {"org": office_branch().pk, "year": record_year(datetime.date.today()) - 1}


def _attachment_kwargs():
    attachment = office_attachment()
    return {"pk": attachment.object_id, "attachment": attachment.pk}


ROUTES = [
    # pages ------------------------------------------------------------------------------------
    Route("life:list", get=DOMAIN_USERS),
    Route("life:export", get=DOMAIN_USERS, note="an .xlsx of the meetings in scope, audited"),
    Route("life:calendar", get=DOMAIN_USERS, note="planned meetings in scope as .ics"),
    Route("life:create", get=ANY_CHANGE, post=ANY_CHANGE),
    Route("life:plan", get=STAFF_VIEW, post=ANY_CHANGE),
    Route("life:detail", get=OFFICE_PUBLIC_VIEW, kwargs=pk_of(office_held_meeting)),
    Route(
        "life:record", get=OFFICE_CHANGE, post=OFFICE_CHANGE, kwargs=pk_of(office_planned_meeting)
    ),
    Route(
        "life:reschedule",
        get=OFFICE_CHANGE,
        post=OFFICE_CHANGE,
        kwargs=pk_of(office_planned_meeting),
    ),
    Route(
        "life:cancel", get=OFFICE_CHANGE, post=OFFICE_CHANGE, kwargs=pk_of(office_planned_meeting)
    ),
    Route("life:motion_add", post=OFFICE_CHANGE, kwargs=pk_of(office_held_assembly)),
    # minutes name who was excused and why: the organization's staff only
    Route("life:docx", get=OFFICE_VIEW, kwargs=pk_of(office_held_meeting)),
    Route("life:history", get=OFFICE_PUBLIC_VIEW, kwargs=pk_of(office_held_meeting)),
    Route("life:attachment", get=OFFICE_PUBLIC_VIEW, kwargs=_attachment_kwargs),
    Route("life:qr", get=OFFICE_CHANGE, kwargs=pk_of(office_held_meeting)),
    # check-in is the member's own act: anyone on the roster, whatever their role
    Route(
        "life:checkin",
        get=OFFICE_PUBLIC_VIEW,
        post=OFFICE_ROSTER,
        kwargs=_token(office_held_meeting),
    ),
    Route("life:compliance", get=STAFF_VIEW),
    Route("life:compliance_export", get=STAFF_VIEW),
    Route("life:dual_life", get=STAFF_VIEW),
    Route("life:dual_life_export", get=STAFF_VIEW),
    Route("life:talks", get=STAFF_VIEW),
    Route("life:talk_create", get=ANY_CHANGE, post=ANY_CHANGE),
    Route("life:talk_export", get=STAFF_VIEW),
    Route("life:reviews", get=STAFF_VIEW),
    Route(
        "life:review_sheet",
        get=OFFICE_VIEW,
        post=OFFICE_CHANGE,
        kwargs=_office_last_year,
        secret=lambda: office_review().member.name,
        secret_view=OFFICE_VIEW,
    ),
    Route("life:review_export", get=STAFF_VIEW),
    # API --------------------------------------------------------------------------------------
    Route("api:meeting-list", get=DOMAIN_USERS, post=ANY_CHANGE),
    Route("api:meeting-detail", get=OFFICE_PUBLIC_VIEW, kwargs=pk_of(office_held_meeting)),
    Route("api:meeting-record", post=OFFICE_CHANGE, kwargs=pk_of(office_planned_meeting)),
    Route("api:attendance-list", get=DOMAIN_USERS),
    Route("api:attendance-detail", get=OFFICE_VIEW, kwargs=pk_of(office_attendance)),
    Route("api:motion-list", get=DOMAIN_USERS, post=ANY_CHANGE),
    Route("api:motion-detail", get=OFFICE_PUBLIC_VIEW, kwargs=pk_of(office_motion)),
    Route("api:talk-list", get=DOMAIN_USERS, post=ANY_CHANGE),
    Route("api:talk-detail", get=OFFICE_VIEW, kwargs=pk_of(office_talk)),
    Route("api:member-review-list", get=DOMAIN_USERS),
    Route("api:member-review-detail", get=OFFICE_VIEW, kwargs=pk_of(office_review)),
    Route("api:life-compliance-list", get=STAFF_VIEW),
]
