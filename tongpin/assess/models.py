"""Assessment of party organizations: indicator systems, runs over a period, frozen scores.

Scores measure organizations' outcomes from records the system already holds (no form to fill
in, rules.md 为基层减负); people are never ranked."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongpin.core.loops import ClosedLoopModel, organization_users
from tongpin.core.models import ChangeLoggedModel, ScopedManager
from tongpin.core.scoping import ScopeSpec
from tongpin.orgs.models import Organization


class TemplateKind(models.TextChoices):
    FOUR_STRONG = "four_strong", _("Four-strong branch (STD-01)")
    AGENCY_ANNUAL = "agency_annual", _("Annual party-building assessment of the agency")
    SECRETARY_REVIEW = "secretary_review", _("Secretary's annual report and review (JG-15)")
    CUSTOM = "custom", _("Custom")


class IndicatorSystem(ChangeLoggedModel):
    name = models.CharField(_("name"), max_length=200)
    template = models.CharField(
        _("template"), max_length=20, choices=TemplateKind.choices, default=TemplateKind.CUSTOM
    )

    # agency-wide definitions, not data of an organization
    scope_spec = ScopeSpec(org=None)

    class Meta:
        verbose_name = _("indicator system")
        verbose_name_plural = _("indicator systems")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class ItemKind(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    MANUAL = "manual", _("Manual")


class Scale(models.TextChoices):
    POINTS = "points", _("Score")
    GRADE = "grade", _("Grade")


class Grade(models.TextChoices):
    """Review grades of the secretary's annual report (JG-15), each worth a score."""

    GOOD = "good", _("Good")
    FAIRLY_GOOD = "fairly_good", _("Fairly good")
    AVERAGE = "average", _("Average")
    POOR = "poor", _("Poor")


GRADE_SCORES = {Grade.GOOD: 100, Grade.FAIRLY_GOOD: 85, Grade.AVERAGE: 70, Grade.POOR: 50}


class IndicatorItem(ChangeLoggedModel):
    system = models.ForeignKey(
        IndicatorSystem,
        verbose_name=_("indicator system"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    label = models.CharField(_("label"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    kind = models.CharField(
        pgettext_lazy("indicator item", "kind"),
        max_length=10,
        choices=ItemKind.choices,
        default=ItemKind.COMPUTED,
    )
    # key in tongpin.core.registry.indicators (computed items only)
    indicator = models.CharField(_("indicator"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # manual items: a score from 0 to max_score (shown as 0-100), or a review grade
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, default=Scale.POINTS)
    max_score = models.DecimalField(_("maximum score"), max_digits=5, decimal_places=1, default=100)

    scope_spec = ScopeSpec(org=None)

    class Meta:
        verbose_name = _("indicator item")
        verbose_name_plural = _("indicator items")
        ordering = ["system", "order", "pk"]

    def __str__(self):
        return self.label


class RunStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("assessment run", "Open")
    CLOSED = "closed", pgettext_lazy("assessment run", "Closed")


class AssessmentRun(ChangeLoggedModel):
    system = models.ForeignKey(
        IndicatorSystem,
        verbose_name=_("indicator system"),
        on_delete=models.PROTECT,
        related_name="runs",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="assessment_runs",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    scope_spec = ScopeSpec(org="organization")

    class Meta:
        verbose_name = _("assessment run")
        verbose_name_plural = _("assessment runs")
        ordering = ["-period_end", "-pk"]

    def __str__(self):
        return f"{self.system} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"


class Score(ChangeLoggedModel):
    """One organization's value on one item of a run, with the records it was computed from
    (frozen: later edits of those records do not change a stored score). Manual scores carry
    the assessor's grade or points, evidence summary and files; their history is the audit."""

    run = models.ForeignKey(
        AssessmentRun,
        verbose_name=_("assessment run"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        IndicatorItem,
        verbose_name=_("indicator item"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    # None: the item does not apply (nothing to measure); left out of the weighted total
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # manual items: the points as entered (value is them on the 0-100 scale) or the grade
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices, blank=True)
    note = models.TextField(_("evidence summary"), blank=True)

    objects = ScopedManager()
    scope_spec = ScopeSpec(org="organization")

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["run", "organization__path", "item__order", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "organization", "item"], name="assess_score_once"
            )
        ]

    def __str__(self):
        return f"{self.organization} {self.item}: {self.value}"


class SecretaryReport(ChangeLoggedModel):
    """A secretary's annual report to the level above (JG-15), kept once per run and
    organization: the secretary or the assessor enters it, reviewers read it where they grade."""

    run = models.ForeignKey(
        AssessmentRun,
        verbose_name=_("assessment run"),
        on_delete=models.CASCADE,
        related_name="secretary_reports",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("report"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_spec = ScopeSpec(org="organization")

    class Meta:
        verbose_name = _("secretary's annual report")
        verbose_name_plural = _("secretaries' annual reports")
        ordering = ["run", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "organization"], name="assess_secretary_report_once"
            )
        ]

    def __str__(self):
        return f"{self.organization} {self.run}"


class RectificationItem(ClosedLoopModel, ChangeLoggedModel):
    """A problem found by an assessment (问题整改), rectified by its organization and verified
    and closed out (销号) by the level above: the run's organization (core's closed loop)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="rectification_items",
    )
    run = models.ForeignKey(
        AssessmentRun,
        verbose_name=_("assessment run"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_items",
    )
    score = models.ForeignKey(
        Score,
        verbose_name=_("score"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rectification_items",
    )
    problem = models.TextField(_("problem"))
    owner = models.ForeignKey(
        "members.Member",
        verbose_name=_("responsible person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    measures = models.TextField(_("measures"), blank=True)
    deadline = models.DateField(_("deadline"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # the responsible person (maybe an ordinary member) reads the item they report
    scope_spec = ScopeSpec(org="organization", user="owner__user")

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["deadline", "pk"]

    def __str__(self):
        return self.problem[:60]

    def loop_organization(self):
        return self.organization

    def verifying_organization(self):
        """The level above: the run's organization, or the parent for an item made by hand
        (or when a branch assessed itself)."""
        if self.run_id and self.run.organization_id != self.organization_id:
            return self.run.organization
        return Organization.objects.get_parent(self.organization)

    def loop_is_started(self) -> bool:
        return bool(self.measures)

    @classmethod
    def loop_started_condition(cls) -> Q:
        return ~Q(measures="")

    def loop_may_report(self, user) -> bool:
        """The owner, or whoever changes the organization that rectifies."""
        from tongpin.core.scoping import can_reach

        return (
            self.owner_id is not None and self.owner.user_id == getattr(user, "pk", None)
        ) or can_reach(user, self.organization)

    def loop_owner_users(self) -> list:
        users = organization_users(self.organization)
        if self.owner_id and self.owner.user_id and self.owner.user not in users:
            users.append(self.owner.user)
        return users

    def loop_url(self) -> str:
        from django.urls import reverse

        return reverse("assess:rectification", args=[self.pk])

    def loop_title(self) -> str:
        return self.problem[:60]

    def get_loop_stage_display(self) -> str:
        return self.loop_stage.label

    def is_overdue(self, today) -> bool:
        """Past the deadline and not reported (a report awaiting verification is not late)."""
        return (
            self.reported_on is None
            and not self.closed_on
            and not self.verified_on
            and self.deadline < today
        )


# ---- grassroots survey
# 以下看上、基层评机关: grassroots units rate the agency's departments and branches through
# one-time links, without logging in. Anonymity is structural: nothing on the response side
# (SurveyResponse, SurveyAnswer) can be joined back to a link, a user or a request.


# open / closed, in the same words as a run (one enum in the API schema)
SurveyStatus = RunStatus


class Survey(ChangeLoggedModel):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_spec = ScopeSpec(org="organization")

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-period_end", "-pk"]

    def __str__(self):
        return self.title


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating (1–5)")
    CHOICE = "choice", _("Single choice")
    TEXT = "text", _("Free text")


class SurveyQuestion(ChangeLoggedModel):
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(
        pgettext_lazy("survey question", "kind"),
        max_length=10,
        choices=QuestionKind.choices,
        default=QuestionKind.RATING,
    )
    # single choice: one option a line
    options = models.TextField(_("options"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # what the question rates (one of the two, or neither: the agency's organs as a whole)
    target_department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("rated department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    target_organization = models.ForeignKey(
        Organization,
        verbose_name=_("rated organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_spec = ScopeSpec(org="survey__organization")

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["survey", "order", "pk"]

    def __str__(self):
        return self.text

    @property
    def target(self):
        return self.target_department or self.target_organization

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class SurveyLink(models.Model):
    """A one-time link: only the SM3 hash of its random token is kept, so the links can be shown
    once and never again. It never records which response it produced, nor when it was used
    (no timestamp that could be matched with a response), and has no change history: marking
    it used is a conditional UPDATE, not a save."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="links"
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    group = models.CharField(_("issued to"), max_length=100, blank=True)
    used = models.BooleanField(_("used"), default=False)
    issued_on = models.DateField(_("issued on"))

    objects = ScopedManager()
    scope_spec = ScopeSpec(org="survey__organization")

    class Meta:
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")
        ordering = ["survey", "pk"]

    def __str__(self):
        return f"{self.survey} {self.group}".strip()


class SurveyResponse(models.Model):
    """One submitted questionnaire. Deliberately without a link, user, request id, IP or time
    finer than the date, and keyed by a random UUID (an auto-increment key or a timestamp would
    follow the order links were used in). No change history (simple-history would store the
    request and its time). What remains is the database's physical row order (SQLite's rowid,
    PostgreSQL's heap): alone it pairs nothing, since links keep no time or order of use; the
    web server should not log ``/s/`` paths, whose times would."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses"
    )
    submitted_on = models.DateField(_("submitted on"))

    objects = ScopedManager()
    scope_spec = ScopeSpec(org="survey__organization")

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        # by the random key: no order that follows submission
        ordering = ["id"]

    def __str__(self):
        return f"{self.survey} {self.submitted_on:%Y-%m-%d}"


class SurveyAnswer(models.Model):
    """One answer of a response (random key, no history: see SurveyResponse)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        SurveyResponse,
        verbose_name=_("survey response"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        SurveyQuestion,
        verbose_name=_("survey question"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    choice = models.CharField(_("choice"), max_length=200, blank=True)
    text = models.TextField(_("answer"), blank=True)

    objects = ScopedManager()
    scope_spec = ScopeSpec(org="question__survey__organization")

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["question", "id"]

    def __str__(self):
        return str(self.question)
