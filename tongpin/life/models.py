"""Organizational life: meetings planned and recorded once, attendance, votes, talks, reviews.

Attendance is stored once per meeting and member; later modules (``study``) read it instead of
asking again. Figures the compliance engine needs (present, with a vote, quorum) are kept on the
meeting when it is recorded, so a year's compliance is one GROUP BY over meetings.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongpin.core.models import ChangeLoggedModel
from tongpin.core.scoping import ScopeSpec
from tongpin.members.models import Member
from tongpin.orgs.models import Organization


class MeetingKind(models.TextChoices):
    """The kinds of organizational life (glossary); rules and frequencies in ``conf.py``."""

    ASSEMBLY = "assembly", pgettext_lazy("meeting kind", "Branch assembly")
    COMMITTEE = "committee", pgettext_lazy("meeting kind", "Committee meeting")
    GROUP = "group", pgettext_lazy("meeting kind", "Group meeting")
    LECTURE = "lecture", pgettext_lazy("meeting kind", "Party lecture")
    THEME_DAY = "theme_day", pgettext_lazy("meeting kind", "Theme day")
    ORG_LIFE = "org_life", pgettext_lazy("meeting kind", "Organizational life meeting")
    MEMBER_REVIEW = "member_review", pgettext_lazy("meeting kind", "Member review")
    DEMOCRATIC_LIFE = "democratic_life", pgettext_lazy("meeting kind", "Democratic life meeting")
    AGENCY_ASSEMBLY = "agency_assembly", pgettext_lazy("meeting kind", "Agency members' assembly")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("meeting status", "Planned")
    HELD = "held", pgettext_lazy("meeting status", "Held")
    CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")


def new_token() -> str:
    return secrets.token_urlsafe(16)


class Meeting(ChangeLoggedModel):
    """One meeting of an organization, from the yearly plan or added; recorded once when held."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(pgettext_lazy("meeting", "kind"), max_length=20, choices=MeetingKind)
    status = models.CharField(
        pgettext_lazy("meeting", "status"),
        max_length=12,
        choices=MeetingStatus,
        default=MeetingStatus.PLANNED,
    )
    title = models.CharField(pgettext_lazy("meeting", "topic"), max_length=200, blank=True)
    in_plan = models.BooleanField(_("from the yearly plan"), default=False)
    planned_on = models.DateField(_("planned date"))
    # the period (month, quarter, year) this meeting counts for, and the day it is due by
    period_start = models.DateField(_("period"))
    due_on = models.DateField(_("due by"))
    held_on = models.DateField(_("date held"), null=True, blank=True)
    starts_at = models.TimeField(_("start time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    host = models.ForeignKey(
        Member,
        verbose_name=_("host"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorder = models.ForeignKey(
        Member,
        verbose_name=_("recorder"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("One item per line."))
    # 第一议题: may point at a directive of the later ``directives`` app without importing it
    first_item_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("first agenda item type"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    first_item_id = models.PositiveBigIntegerField(_("first agenda item id"), null=True, blank=True)
    first_item_title = models.CharField(_("first agenda item"), max_length=300, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    # figures fixed when the meeting is recorded (rules BR-03, BR-04, MZ-01, ORG-09)
    expected_count = models.PositiveIntegerField(_("expected"), default=0)
    present_count = models.PositiveIntegerField(_("present"), default=0)
    voting_count = models.PositiveIntegerField(_("members with a vote"), default=0)
    voting_present = models.PositiveIntegerField(_("members with a vote present"), default=0)
    quorum_met = models.BooleanField(_("quorum met"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("attendees notified at"), null=True, blank=True)
    checkin_token = models.CharField(max_length=32, default=new_token, unique=True, editable=False)

    scope_spec = ScopeSpec(org="organization", public=True)

    class Meta:
        ordering = ["-planned_on", "organization__path", "kind", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["organization", "kind", "period_start"]),
            models.Index(fields=["period_start", "kind"]),
            models.Index(fields=["status", "planned_on"]),
        ]

    def __str__(self):
        day = self.held_on or self.planned_on
        return f"{self.organization} {self.get_kind_display()} {day:%Y-%m-%d}"

    @property
    def day(self):
        return self.held_on or self.planned_on

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD

    @property
    def is_late(self) -> bool:
        return bool(self.held_on and self.held_on > self.due_on)

    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", pgettext_lazy("attendance", "Present")
    EXCUSED = "excused", pgettext_lazy("attendance", "Excused")
    ABSENT = "absent", pgettext_lazy("attendance", "Absent")


class Attendance(ChangeLoggedModel):
    """Who was expected at a meeting and whether they came. Recorded because the rules require
    it, never to rank people (rules.md, 为基层减负)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(
        pgettext_lazy("attendance", "status"),
        max_length=10,
        choices=AttendanceStatus,
        default=AttendanceStatus.PRESENT,
    )
    reason = models.CharField(pgettext_lazy("attendance", "reason"), max_length=200, blank=True)
    # rule ORG-09: fixed at the meeting; probationary members attend without a vote
    can_vote = models.BooleanField(_("has a vote"), default=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    scope_spec = ScopeSpec(org="meeting__organization", user="member__user")

    class Meta:
        ordering = ["meeting", "member__name", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="life_one_attendance")
        ]

    def __str__(self):
        return f"{self.member} · {self.get_status_display()}"


class Motion(ChangeLoggedModel):
    """A matter put to the vote at an assembly, with its counts (rule BR-03).

    ``entitled`` and ``voters_present`` are fixed from the attendance when the vote is recorded:
    the motion is valid only if more than half of those entitled are present, and passes only
    with "yes" from more than half of those entitled (not of those present).
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="motions"
    )
    title = models.CharField(_("matter voted on"), max_length=300)
    entitled = models.PositiveIntegerField(_("members entitled to vote"))
    voters_present = models.PositiveIntegerField(_("members with a vote present"))
    yes = models.PositiveIntegerField(pgettext_lazy("vote", "yes"), default=0)
    no = models.PositiveIntegerField(pgettext_lazy("vote", "no"), default=0)
    abstain = models.PositiveIntegerField(pgettext_lazy("vote", "abstain"), default=0)
    valid = models.BooleanField(_("vote valid"))
    passed = models.BooleanField(pgettext_lazy("vote", "passed"))

    scope_spec = ScopeSpec(org="meeting__organization", public=True)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("motion")
        verbose_name_plural = _("motions")

    def __str__(self):
        return self.title


class Talk(ChangeLoggedModel):
    """A heart-to-heart talk between two members of a branch (rule BR-11).

    The pair is stored in id order so "A with B" and "B with A" are one pair; whether each was on
    the committee is fixed at the talk, for the coverage figures.
    """

    organization = models.ForeignKey(
        Organization, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="talks"
    )
    held_on = models.DateField(_("date"))
    member_a = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="+"
    )
    member_b = models.ForeignKey(
        Member, verbose_name=_("with"), on_delete=models.CASCADE, related_name="+"
    )
    a_on_committee = models.BooleanField(default=False)
    b_on_committee = models.BooleanField(default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_spec = ScopeSpec(org="organization")

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = _("heart-to-heart talk")
        verbose_name_plural = _("heart-to-heart talks")
        indexes = [models.Index(fields=["organization", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member_a__lt=models.F("member_b")), name="life_talk_pair_order"
            )
        ]

    def __str__(self):
        return f"{self.member_a} · {self.member_b} {self.held_on:%Y-%m-%d}"


class ReviewGrade(models.TextChoices):
    """Grades of the democratic review of members (rule BR-10)."""

    EXCELLENT = "excellent", pgettext_lazy("review grade", "Excellent")
    QUALIFIED = "qualified", pgettext_lazy("review grade", "Qualified")
    BASIC = "basic", pgettext_lazy("review grade", "Basically qualified")
    UNQUALIFIED = "unqualified", pgettext_lazy("review grade", "Unqualified")


class MemberReview(ChangeLoggedModel):
    """One member's democratic review for one year (rule BR-10): self-review, mutual review, the
    democratic rating's tallies and the grade the branch decided."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="reviews"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews",
    )
    self_review = models.TextField(_("self-review"), blank=True)
    mutual_review = models.TextField(_("mutual review"), blank=True)
    votes_excellent = models.PositiveIntegerField(_("rated excellent"), default=0)
    votes_qualified = models.PositiveIntegerField(_("rated qualified"), default=0)
    votes_basic = models.PositiveIntegerField(_("rated basically qualified"), default=0)
    votes_unqualified = models.PositiveIntegerField(_("rated unqualified"), default=0)
    grade = models.CharField(_("grade"), max_length=12, choices=ReviewGrade, blank=True, default="")
    handling = models.CharField(
        _("follow-up"),
        max_length=200,
        blank=True,
        help_text=_("Help plan or correction period (rule STD-03)."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_spec = ScopeSpec(org="organization", user="member__user")

    class Meta:
        ordering = ["-year", "organization__path", "member__name", "pk"]
        verbose_name = _("member review")
        verbose_name_plural = _("member reviews")
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="life_one_review_a_year")
        ]

    def __str__(self):
        return f"{self.member} {self.year}"
