"""Party work and business work in one plan.

- :class:`BusinessGoal` (重点工作/业务目标): a department's measurable target for a year, with its
  actual values over time (:class:`GoalMeasurement`).
- :class:`PartyTask` (党建任务): an organization's task, linked to the business goals it serves
  (:class:`TaskGoalLink`); a deployed task points to the task it was deployed from (``parent``),
  so a roll-up is one aggregate query.
- :class:`ProgressUpdate`: progress with evidence: text, attachments, or a link to a record already
  in the system (any scoped model, by content type and id).
- Responsibility lists (责任清单, rule JG-12) generated from editable templates.
- :class:`QuarterlyReview`: business targets and party tasks inspected together; its follow-up
  items are party tasks pointing back at it.

States (not started / in progress / due soon / overdue / done) are derived from dates and
progress, never stored, so they cannot go stale: see :func:`state_case`.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongpin.core.loops import ClosedLoopModel, organization_users
from tongpin.core.models import ChangeLoggedModel, ScopedQuerySet
from tongpin.core.scoping import CHANGE, ScopeSpec, restrict, scope_of


class TaskCategory(models.TextChoices):
    """The 新时代党的建设总要求 (rules.md, task categories)."""

    POLITICAL = "political", _("Political building")
    IDEOLOGICAL = "ideological", _("Ideological building")
    ORGANIZATIONAL = "organizational", _("Organizational building")
    CONDUCT = "conduct", _("Conduct building")
    DISCIPLINE = "discipline", _("Discipline building")
    INSTITUTIONAL = "institutional", _("Institutional building")
    ANTI_CORRUPTION = "anti_corruption", _("Fight against corruption")


class WorkState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", pgettext_lazy("work state", "Overdue")
    DONE = "done", _("Done")


# Bootstrap colours of each state's badge
STATE_COLOURS = {
    WorkState.NOT_STARTED: "secondary",
    WorkState.IN_PROGRESS: "primary",
    WorkState.DUE_SOON: "warning",
    WorkState.OVERDUE: "danger",
    WorkState.DONE: "success",
}
OPEN_STATES = (
    WorkState.NOT_STARTED,
    WorkState.IN_PROGRESS,
    WorkState.DUE_SOON,
    WorkState.OVERDUE,
)


def due_soon_days() -> int:
    return int(settings.TONGPIN.get("WORK_DUE_SOON_DAYS", 14))


def state_case(today: datetime.date, started: Q, reported: Q | None = None) -> Case:
    """The derived state as one SQL expression, so lists filter and count by it.

    ``reported``: completion reported and awaiting the upper level's verification (closed
    loop): no longer overdue for the acting organization, whatever the deadline."""
    soon = today + datetime.timedelta(days=due_soon_days())
    waiting = [] if reported is None else [When(reported, then=Value(WorkState.IN_PROGRESS.value))]
    return Case(
        When(completed_on__isnull=False, then=Value(WorkState.DONE.value)),
        *waiting,
        When(deadline__lt=today, then=Value(WorkState.OVERDUE.value)),
        When(deadline__lte=soon, then=Value(WorkState.DUE_SOON.value)),
        When(started, then=Value(WorkState.IN_PROGRESS.value)),
        default=Value(WorkState.NOT_STARTED.value),
        output_field=models.CharField(),
    )


def derive_state(today, *, completed_on, deadline, started: bool, reported: bool = False) -> str:
    """The same rule as :func:`state_case`, for one object in Python."""
    if completed_on is not None:
        return WorkState.DONE
    if reported:
        return WorkState.IN_PROGRESS
    if deadline < today:
        return WorkState.OVERDUE
    if deadline <= today + datetime.timedelta(days=due_soon_days()):
        return WorkState.DUE_SOON
    return WorkState.IN_PROGRESS if started else WorkState.NOT_STARTED


class StatefulMixin:
    """``state``/``state_label``/``state_colour`` from an annotation or computed on the spot."""

    def compute_state(self, today=None) -> str:
        from django.utils import timezone

        return derive_state(
            today or timezone.localdate(),
            completed_on=self.completed_on,
            deadline=self.deadline,
            started=self.is_started,
            reported=getattr(self, "reported_on", None) is not None,
        )

    @property
    def state(self) -> str:
        value = self.__dict__.get("state_value")
        return value if value is not None else self.compute_state()

    @property
    def state_label(self):
        return WorkState(self.state).label

    @property
    def state_colour(self) -> str:
        return STATE_COLOURS[WorkState(self.state)]


# ---- business goals ---------------------------------------------------------------------------


def headed_department_ids(user) -> list[int]:
    from tongpin.accounts.models import Role

    if not getattr(user, "is_authenticated", False) or getattr(user, "platform_role", ""):
        return []
    cache = user.__dict__.setdefault("_tongpin_headed", None)
    if cache is None:
        cache = list(
            user.role_assignments.filter(
                role=Role.DEPARTMENT_HEAD, department__isnull=False
            ).values_list("department_id", flat=True)
        )
        user.__dict__["_tongpin_headed"] = cache
    return cache


class GoalQuerySet(ScopedQuerySet):
    """Business goals belong to business: for changes, agency committee staff (who import the
    agency's plan) and the head of the goal's department; a branch reads them and links its
    party tasks to them but does not rewrite the department's targets."""

    department_lookup = "department"

    def restrict(self, user, action="view"):
        if action != CHANGE:
            return restrict(self, user, action)
        if scope_of(user, CHANGE).everything:
            return self
        return self.filter(**{f"{self.department_lookup}__in": headed_department_ids(user)})

    def with_state(self, today):
        return self.annotate(state_value=state_case(today, Q(actual_value__isnull=False)))


class MeasurementQuerySet(GoalQuerySet):
    department_lookup = "goal__department"


def end_of_year(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


class BusinessGoal(StatefulMixin, ChangeLoggedModel):
    """A department's key work (重点工作) for a year with a measurable target."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=pgettext_lazy("orgs", "department"),
        on_delete=models.PROTECT,
        related_name="business_goals",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    actual_value = models.DecimalField(
        _("latest actual value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    deadline = models.DateField(_("deadline"))
    owner = models.ForeignKey(
        "members.Member",
        verbose_name=_("responsible person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = GoalQuerySet.as_manager()
    scope_spec = ScopeSpec(org="department__branch", department="department", public=True)

    class Meta:
        ordering = ["year", "department__sort_order", "deadline", "pk"]
        verbose_name = _("business goal")
        verbose_name_plural = _("business goals")
        indexes = [models.Index(fields=["year", "department"])]

    def __str__(self):
        return self.title

    @property
    def is_started(self) -> bool:
        return self.actual_value is not None

    @property
    def percent(self) -> int | None:
        """How far the latest actual value is toward the target (0–100), if both are numbers."""
        if self.target_value in (None, Decimal(0)) or self.actual_value is None:
            return None
        return max(0, min(100, int(self.actual_value * 100 / self.target_value)))

    @property
    def target_text(self) -> str:
        if self.target_value is None:
            return ""
        return f"{self.target_value.normalize():f}{self.unit}"

    @property
    def actual_text(self) -> str:
        if self.actual_value is None:
            return ""
        return f"{self.actual_value.normalize():f}{self.unit}"


class GoalMeasurement(ChangeLoggedModel):
    """One actual value of a business goal at a date (the goal keeps the latest)."""

    goal = models.ForeignKey(
        BusinessGoal,
        verbose_name=_("business goal"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    measured_on = models.DateField(_("as of"))
    value = models.DecimalField(_("actual value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = MeasurementQuerySet.as_manager()
    scope_spec = ScopeSpec(
        org="goal__department__branch", department="goal__department", public=True
    )

    class Meta:
        ordering = ["goal", "measured_on", "pk"]
        verbose_name = _("actual value")
        verbose_name_plural = _("actual values")

    def __str__(self):
        return f"{self.goal} {self.measured_on:%Y-%m-%d}: {self.value}"


# ---- party tasks ------------------------------------------------------------------------------


class TaskQuerySet(ScopedQuerySet):
    def with_state(self, today):
        return self.annotate(
            state_value=state_case(today, Q(progress__gt=0), Q(reported_on__isnull=False))
        )

    def with_loop_stage(self):
        return self.annotate(loop_stage_value=PartyTask.loop_stage_case())


class PartyTask(StatefulMixin, ClosedLoopModel, ChangeLoggedModel):
    """A party-building task of one organization, serving business goals.

    It goes through the closed loop (core.loops): a deployed task's completion is reported to,
    verified and closed (销号) by the organization that deployed it (一级抓一级); a task of the
    organization's own is closed when it reports 100 %. ``completed_on`` (done, read by roll-ups,
    states, reminders and assessment) is set when the task is closed and equals ``closed_on``.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=pgettext_lazy("orgs", "organization"),
        on_delete=models.PROTECT,
        related_name="party_tasks",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=TaskCategory.choices)
    owner = models.ForeignKey(
        "members.Member",
        verbose_name=_("responsible person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    deadline = models.DateField(_("deadline"))
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    goals = models.ManyToManyField(
        BusinessGoal,
        verbose_name=_("business goals served"),
        through="TaskGoalLink",
        related_name="tasks",
        blank=True,
    )
    # deployed from the upper level's task; the child keeps its own copy of title and deadline
    parent = models.ForeignKey(
        "self",
        verbose_name=_("deployed from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    source_review = models.ForeignKey(
        "QuarterlyReview",
        verbose_name=_("follow-up of review"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = TaskQuerySet.as_manager()
    scope_spec = ScopeSpec(org="organization", public=True)

    class Meta:
        ordering = ["year", "deadline", "pk"]
        verbose_name = _("party task")
        verbose_name_plural = _("party tasks")
        indexes = [
            models.Index(fields=["organization", "year"]),
            models.Index(fields=["deadline"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_started(self) -> bool:
        return self.progress > 0

    # ---- the closed loop (core.loops) ----

    def loop_organization(self):
        return self.organization

    def verifying_organization(self):
        return self.parent.organization if self.parent_id else None

    def loop_is_started(self) -> bool:
        return self.progress > 0

    @classmethod
    def loop_started_condition(cls) -> Q:
        return Q(progress__gt=0)

    def loop_may_report(self, user) -> bool:
        from .services import can_report

        return can_report(user, self)

    def loop_owner_users(self) -> list:
        if self.owner_id and self.owner.user_id and self.owner.user.is_active:
            return [self.owner.user]
        return organization_users(self.organization)

    def loop_verifier_users(self) -> list:
        if not self.parent_id:
            return []
        parent = self.parent
        if parent.owner_id and parent.owner.user_id and parent.owner.user.is_active:
            return [parent.owner.user]
        return organization_users(parent.organization)

    def loop_url(self) -> str:
        from django.urls import reverse

        return reverse("work:task_detail", args=[self.pk])

    def loop_title(self) -> str:
        return self.title

    def loop_saved(self, action: str, today) -> None:
        if action == "report":
            self.progress = 100  # reporting completion means the work is all done
        elif action == "close":
            self.completed_on = self.closed_on
        elif action == "return":
            self.completed_on = None


class TaskGoalLink(ChangeLoggedModel):
    """A party task serving a business goal (a row, so links have a change history)."""

    task = models.ForeignKey(
        PartyTask, verbose_name=_("party task"), on_delete=models.CASCADE, related_name="goal_links"
    )
    goal = models.ForeignKey(
        BusinessGoal,
        verbose_name=_("business goal"),
        on_delete=models.CASCADE,
        related_name="task_links",
    )

    objects = ScopedQuerySet.as_manager()
    scope_spec = ScopeSpec(org="task__organization", public=True)

    class Meta:
        verbose_name = _("link to a business goal")
        verbose_name_plural = _("links to business goals")
        constraints = [
            models.UniqueConstraint(fields=["task", "goal"], name="unique_task_goal_link")
        ]

    def __str__(self):
        return f"{self.task} → {self.goal}"


class ProgressUpdate(ChangeLoggedModel):
    """Progress on a party task, with evidence: text, attachments and/or a linked record.

    The linked record is generic (content type + id) so meetings and study sessions of later
    modules can be linked without this app importing them; it must be a scoped model the author
    could read when linking (see ``evidence.py``). ``linked_label`` keeps its name as it was, so
    lists need no query per row and the update still reads well if the record goes away.
    """

    task = models.ForeignKey(
        PartyTask, verbose_name=_("party task"), on_delete=models.CASCADE, related_name="updates"
    )
    reported_on = models.DateField(_("reported on"))
    text = models.TextField(_("progress"), blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)]
    )
    linked_type = models.ForeignKey(
        ContentType,
        verbose_name=_("linked record type"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    linked_id = models.PositiveBigIntegerField(_("linked record id"), null=True, blank=True)
    linked_label = models.CharField(_("linked record"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    scope_spec = ScopeSpec(org="task__organization", public=True)

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self):
        return f"{self.task} · {self.reported_on:%Y-%m-%d} · {self.progress}%"


# ---- leaders and responsibility lists ---------------------------------------------------------


class LeaderDepartment(ChangeLoggedModel):
    """A department an agency leader is in charge of (分管): the scope of their dual duty."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.CASCADE,
        related_name="led_departments",
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=pgettext_lazy("orgs", "department"),
        on_delete=models.CASCADE,
        related_name="leaders",
    )

    objects = ScopedQuerySet.as_manager()
    scope_spec = ScopeSpec(department="department", user="leader")

    class Meta:
        ordering = ["leader", "department__sort_order"]
        verbose_name = _("department in charge")
        verbose_name_plural = _("departments in charge")
        constraints = [
            models.UniqueConstraint(
                fields=["leader", "department"], name="unique_leader_department"
            )
        ]

    def __str__(self):
        return f"{self.leader} · {self.department}"


class ResponsibilityKind(models.TextChoices):
    """Whose list (rule JG-12; 机关条例 Art10, Art35)."""

    LEADERSHIP_GROUP = "leadership_group", _("Leadership group: primary responsibility")
    LEADER = "leader", _("Leader: dual duty")
    AGENCY_COMMITTEE = "agency_committee", _("Agency party committee")
    BRANCH = "branch", _("Branch secretary")


class ResponsibilityTemplate(ChangeLoggedModel):
    """An editable template a responsibility list is generated from (never typed from scratch).

    Items may hold ``{organization}``, ``{departments}`` and ``{year}``, filled on generation.
    """

    kind = models.CharField(
        pgettext_lazy("responsibility", "kind"),
        max_length=20,
        choices=ResponsibilityKind.choices,
        unique=True,
    )
    name = models.CharField(_("name"), max_length=100)
    basis = models.CharField(_("basis"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    # agency-wide configuration: readable and editable agency-wide only
    scope_spec = ScopeSpec()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("responsibility template")
        verbose_name_plural = _("responsibility templates")

    def __str__(self):
        return self.name


class ResponsibilityTemplateItem(ChangeLoggedModel):
    template = models.ForeignKey(
        ResponsibilityTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    category = models.CharField(
        _("category"), max_length=20, choices=TaskCategory.choices, blank=True
    )
    text = models.TextField(_("duty"))

    objects = ScopedQuerySet.as_manager()
    scope_spec = ScopeSpec()

    class Meta:
        ordering = ["template", "order", "pk"]
        verbose_name = _("template item")
        verbose_name_plural = _("template items")

    def __str__(self):
        return self.text[:50]


class ResponsibilityList(ChangeLoggedModel):
    """One holder's responsibility list for a year (清单明责)."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    kind = models.CharField(
        pgettext_lazy("responsibility", "kind"), max_length=20, choices=ResponsibilityKind.choices
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=pgettext_lazy("orgs", "organization"),
        on_delete=models.PROTECT,
        related_name="responsibility_lists",
    )
    title = models.CharField(_("title"), max_length=200)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account of the holder"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsibility_lists",
    )
    holder_name = models.CharField(_("responsible person"), max_length=100)
    holder_post = models.CharField(_("post"), max_length=100, blank=True)
    departments = models.ManyToManyField(
        "orgs.Department",
        verbose_name=_("departments in charge"),
        related_name="+",
        blank=True,
    )
    template = models.ForeignKey(
        ResponsibilityTemplate,
        verbose_name=_("template"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    scope_spec = ScopeSpec(org="organization", user="holder", public=True)

    class Meta:
        ordering = ["-year", "organization__path", "kind", "holder_name"]
        verbose_name = _("responsibility list")
        verbose_name_plural = _("responsibility lists")

    def __str__(self):
        return self.title


class ResponsibilityItem(ChangeLoggedModel):
    """One duty on a list, with its measures (举措); it may be followed as a party task."""

    responsibility_list = models.ForeignKey(
        ResponsibilityList,
        verbose_name=_("responsibility list"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    category = models.CharField(
        _("category"), max_length=20, choices=TaskCategory.choices, blank=True
    )
    text = models.TextField(_("duty"))
    measures = models.TextField(_("measures"), blank=True)
    task = models.ForeignKey(
        PartyTask,
        verbose_name=_("followed as task"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsibility_items",
    )

    objects = ScopedQuerySet.as_manager()
    scope_spec = ScopeSpec(
        org="responsibility_list__organization", user="responsibility_list__holder", public=True
    )

    class Meta:
        ordering = ["responsibility_list", "order", "pk"]
        verbose_name = _("responsibility item")
        verbose_name_plural = _("responsibility items")

    def __str__(self):
        return self.text[:50]


# ---- inspecting together ----------------------------------------------------------------------


class QuarterlyReview(ChangeLoggedModel):
    """A quarter's review of business targets and party tasks in one place (一起检查)."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=pgettext_lazy("orgs", "organization"),
        on_delete=models.PROTECT,
        related_name="quarterly_reviews",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    held_on = models.DateField(_("held on"))
    conclusion = models.TextField(_("conclusion"))
    # figures as they stood at the review, so the record does not change as work moves on
    figures = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    scope_spec = ScopeSpec(org="organization")

    class Meta:
        ordering = ["-year", "-quarter", "organization__path"]
        verbose_name = _("quarterly review")
        verbose_name_plural = _("quarterly reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "quarter"], name="unique_quarterly_review"
            )
        ]

    def __str__(self):
        return f"{self.organization} {self.year}Q{self.quarter}"
