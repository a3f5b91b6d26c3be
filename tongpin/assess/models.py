"""Assessment of party organizations: indicator systems, runs over a period, frozen scores.

Scores measure organizations' outcomes from records the system already holds (no form to fill
in, rules.md 为基层减负); people are never ranked."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongpin.core.models import ChangeLoggedModel, ScopedManager
from tongpin.core.scoping import ScopeSpec
from tongpin.orgs.models import Organization


class TemplateKind(models.TextChoices):
    FOUR_STRONG = "four_strong", _("Four-strong branch (STD-01)")
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


class Score(models.Model):
    """One organization's value on one item of a run, with the records it was computed from
    (frozen: later edits of those records do not change a stored score)."""

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
