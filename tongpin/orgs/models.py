import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from tongpin.core.models import ChangeLoggedModel, ScopedQuerySet
from tongpin.core.scoping import ScopeSpec


class OrgKind(models.TextChoices):
    AGENCY_COMMITTEE = "agency_committee", pgettext_lazy("org kind", "Agency party committee")
    GENERAL_BRANCH = "general_branch", pgettext_lazy("org kind", "General branch")
    BRANCH = "branch", pgettext_lazy("org kind", "Branch")
    GROUP = "group", pgettext_lazy("org kind", "Party group")


# which kinds may stand directly under which (None: a root)
ALLOWED_PARENTS = {
    OrgKind.AGENCY_COMMITTEE: {None},
    OrgKind.GENERAL_BRANCH: {OrgKind.AGENCY_COMMITTEE},
    OrgKind.BRANCH: {OrgKind.AGENCY_COMMITTEE, OrgKind.GENERAL_BRANCH},
    OrgKind.GROUP: {OrgKind.BRANCH},
}

# rule ORG-05: term length in years by kind
TERM_YEARS = {
    OrgKind.AGENCY_COMMITTEE: 5,
    OrgKind.GENERAL_BRANCH: 3,
    OrgKind.BRANCH: 3,
}


class OrganizationQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    def branches(self):
        return self.filter(kind=OrgKind.BRANCH)


class OrganizationManager(MP_NodeManager):
    def get_queryset(self):
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")

    def restrict(self, user, action="view"):
        return self.get_queryset().restrict(user, action)


class Organization(MP_Node, ChangeLoggedModel):
    """A party organization: 机关党委 → 党总支 → 党支部 → 党小组 (materialized path)."""

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    is_joint = models.BooleanField(
        _("joint branch"), default=False, help_text=_("Covers several units (rule ORG-02).")
    )
    is_temporary = models.BooleanField(_("temporary branch"), default=False)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)

    node_order_by = None
    steplen = 4
    objects = OrganizationManager()

    scope_spec = ScopeSpec(org="", public=True)

    class Meta:
        verbose_name = pgettext_lazy("orgs", "organization")
        verbose_name_plural = pgettext_lazy("orgs", "organizations")
        indexes = [models.Index(fields=["kind"])]

    def __str__(self):
        return self.name

    @property
    def term_years(self) -> int | None:
        return TERM_YEARS.get(self.kind)

    def validate_parent(self, parent: "Organization | None") -> None:
        parent_kind = parent.kind if parent is not None else None
        if parent_kind not in ALLOWED_PARENTS[self.kind]:
            raise ValidationError(
                _("A %(kind)s cannot stand under %(parent)s.")
                % {"kind": self.get_kind_display(), "parent": parent or _("the top of the tree")}
            )

    def ancestors_and_self(self):
        return Organization.objects.filter(
            path__in=[self.path[:i] for i in range(self.steplen, len(self.path) + 1, self.steplen)]
        )


class Department(ChangeLoggedModel):
    """A business unit (处室) of the agency and the branch whose members staff it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("code"), max_length=20, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    branch = models.ForeignKey(
        Organization,
        verbose_name=_("covering branch"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="departments",
        limit_choices_to={"kind": OrgKind.BRANCH},
    )

    scope_spec = ScopeSpec(org="branch", department="pk", public=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = pgettext_lazy("orgs", "department")
        verbose_name_plural = pgettext_lazy("orgs", "departments")

    def __str__(self):
        return self.name


class TermStatus(models.TextChoices):
    """Where a term stands against rule ORG-05."""

    OK = "ok", _("In term")
    EXPIRING = "expiring", _("Election due soon")
    OVERDUE = "overdue", _("Election overdue")
    CLOSED = "closed", _("Ended")


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def term_status(effective_end: datetime.date | None, today: datetime.date, current=True) -> str:
    """Rule ORG-05: warn a setting's days (90) before the end; overdue once it has passed."""
    if not current or effective_end is None:
        return TermStatus.CLOSED
    if effective_end < today:
        return TermStatus.OVERDUE
    if (effective_end - today).days <= settings.TONGPIN["TERM_WARNING_DAYS"]:
        return TermStatus.EXPIRING
    return TermStatus.OK


class Term(ChangeLoggedModel):
    """One term of an organization's committee (or of the agency's discipline committee)."""

    class Body(models.TextChoices):
        COMMITTEE = "committee", _("Committee")
        DISCIPLINE_COMMITTEE = "discipline_committee", _("Discipline committee")

    organization = models.ForeignKey(
        Organization,
        verbose_name=pgettext_lazy("orgs", "organization"),
        on_delete=models.CASCADE,
        related_name="terms",
    )
    body = models.CharField(_("body"), max_length=30, choices=Body.choices, default=Body.COMMITTEE)
    elected_on = models.DateField(_("elected on"))
    ends_on = models.DateField(_("term ends on"))
    # rule ORG-05: an election may be moved by at most a year, with the upper level's approval
    postponed_to = models.DateField(_("postponed to"), null=True, blank=True)
    postponement_approval = models.CharField(
        _("approval of postponement"), max_length=200, blank=True
    )
    is_current = models.BooleanField(pgettext_lazy("orgs", "current"), default=True)

    scope_spec = ScopeSpec(org="organization", public=True)

    class Meta:
        ordering = ["organization__path", "-elected_on"]
        verbose_name = pgettext_lazy("orgs", "term")
        verbose_name_plural = pgettext_lazy("orgs", "terms")

    def __str__(self):
        return f"{self.organization} {self.elected_on:%Y}–{self.ends_on:%Y}"

    @property
    def effective_end(self) -> datetime.date:
        return self.postponed_to or self.ends_on

    def status(self, today: datetime.date) -> str:
        return term_status(self.effective_end, today, self.is_current)

    def clean(self):
        errors = {}
        if self.ends_on and self.elected_on and self.ends_on <= self.elected_on:
            errors["ends_on"] = _("The term must end after the election.")
        if self.postponed_to and self.ends_on:
            if self.postponed_to <= self.ends_on:
                errors["postponed_to"] = _("A postponement moves the end later.")
            elif (self.postponed_to - self.ends_on).days > 366:
                errors["postponed_to"] = _(
                    "An election may be moved by at most one year (rule ORG-05)."
                )
            if not self.postponement_approval.strip():
                errors["postponement_approval"] = _(
                    "A postponement needs the upper level's approval."
                )
        # rule ORG-06: only the agency committee elects a discipline committee
        if (
            self.body == self.Body.DISCIPLINE_COMMITTEE
            and self.organization_id
            and self.organization.kind != OrgKind.AGENCY_COMMITTEE
        ):
            errors["body"] = _("Only the agency committee elects a discipline committee.")
        if errors:
            raise ValidationError(errors)


class OrganizationMove(models.Model):
    """A subtree moved to a new parent (理顺隶属关系); the tree keeps no parent column to diff."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=pgettext_lazy("orgs", "organization"),
        on_delete=models.CASCADE,
        related_name="moves",
    )
    from_parent = models.ForeignKey(
        Organization,
        verbose_name=_("previous parent"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    to_parent = models.ForeignKey(
        Organization,
        verbose_name=_("new parent"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    from_path = models.CharField(_("previous path"), max_length=255)
    moved_at = models.DateTimeField(_("moved at"), auto_now_add=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moved by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reason = models.CharField(pgettext_lazy("orgs", "reason"), max_length=200)

    objects = ScopedQuerySet.as_manager()
    scope_spec = ScopeSpec(org="organization", public=True)

    class Meta:
        ordering = ["-moved_at"]
        verbose_name = _("organization move")
        verbose_name_plural = _("organization moves")

    def __str__(self):
        return f"{self.organization}: {self.from_parent} → {self.to_parent}"
