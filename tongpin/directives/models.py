"""Directives (政治要件): a decision or instruction the agency must implement, registered by an
organization, studied as the first agenda item (第一议题) and decomposed into work's party tasks,
deployed to the organizations that must implement it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongpin.core.models import ChangeLoggedModel
from tongpin.core.scoping import ScopeSpec


class IssuingLevel(models.TextChoices):
    CENTRAL = "central", _("Party Central Committee")
    SUPERIOR = "superior", _("Higher-level organization")
    AGENCY = "agency", _("This agency")
    OTHER = "other", _("Other issuer")


class Directive(ChangeLoggedModel):
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="directives",
    )
    title = models.CharField(_("directive title"), max_length=300)
    source = models.CharField(
        _("issuing body"), max_length=200, blank=True, help_text=_("Who issued it, and its number.")
    )
    level = models.CharField(
        _("issuing level"),
        max_length=20,
        choices=IssuingLevel.choices,
        default=IssuingLevel.SUPERIOR,
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    text = models.TextField(_("full text"), blank=True)
    targets = models.ManyToManyField(
        "orgs.Organization",
        verbose_name=_("organizations implementing it"),
        related_name="+",
        blank=True,
    )
    tasks = models.ManyToManyField(
        "work.PartyTask",
        verbose_name=_("party tasks"),
        related_name="directives",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # the organizations implementing it read it (study it, see their copies of its tasks)
    scope_spec = ScopeSpec(org="organization", public=True, readers="targets")

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("directives:detail", args=[self.pk])
