"""The closed loop (闭环) every directive, task, problem and complaint goes through:
部署 (deployed) → 落实 (implementing) → 报告 (reported, with evidence) → 核验 (verified by the
assigning level) → 销号 (closed).

A concrete model mixes in :class:`ClosedLoopModel` and implements the hooks (which organization
acts, which verifies, whether work has started); the actions :func:`report`, :func:`verify` and
:func:`close` below move it through the stages. The stage is derived from the dates, never stored,
so it cannot go stale; :meth:`ClosedLoopModel.loop_stage_case` is the same rule as one SQL
expression, so lists filter and count by stage.

Pages show the five stages with ``{% include "core/_loop_stepper.html" with
steps=obj.loop_steps %}``; :func:`may_report`, :func:`may_verify` and :func:`may_close` say which
buttons the user gets. Modules list their overdue items and those awaiting verification on the
supervision page through ``core.registry.supervision_sources``.

Core imports no app: who acts for an organization (for notifications) comes from the
``core.registry.organization_users`` registry that the accounts app fills.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .scoping import CHANGE, can_reach


class LoopStage(models.TextChoices):
    DEPLOYED = "deployed", pgettext_lazy("loop stage", "Deployed")
    IMPLEMENTING = "implementing", pgettext_lazy("loop stage", "Implementing")
    # completion reported with evidence, awaiting verification by the assigning level
    REPORTED = "reported", pgettext_lazy("loop stage", "Reported")
    VERIFIED = "verified", pgettext_lazy("loop stage", "Verified")
    CLOSED = "closed", pgettext_lazy("loop stage", "Closed")


LOOP_ORDER = list(LoopStage)

# Bootstrap colours of each stage's badge
LOOP_COLOURS = {
    LoopStage.DEPLOYED: "secondary",
    LoopStage.IMPLEMENTING: "primary",
    LoopStage.REPORTED: "warning",
    LoopStage.VERIFIED: "info",
    LoopStage.CLOSED: "success",
}


def derive_loop_stage(
    *, closed_on, verified_on, reported_on, returned_on, started: bool
) -> LoopStage:
    """The stage from the dates (the rule :meth:`ClosedLoopModel.loop_stage_case` repeats)."""
    if closed_on is not None:
        return LoopStage.CLOSED
    if verified_on is not None:
        return LoopStage.VERIFIED
    if reported_on is not None:
        return LoopStage.REPORTED
    # sent back by the verifier: the work goes on, whatever the progress figure says
    if returned_on is not None or started:
        return LoopStage.IMPLEMENTING
    return LoopStage.DEPLOYED


class ClosedLoopModel(models.Model):
    """Abstract mixin: the report, its verification and the closing of one item.

    A returned item loses ``reported_on`` (it is no longer awaiting verification) but keeps the
    previous ``report_text`` and the verifier's note, so the next report starts from them.
    """

    reported_on = models.DateField(gettext_lazy("completion reported on"), null=True, blank=True)
    report_text = models.TextField(gettext_lazy("completion report"), blank=True)
    # who reported: never the one who verifies (staff may report for a branch, 代报, but then
    # someone else checks it)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("closed loop", "reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_on = models.DateField(gettext_lazy("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verification_note = models.TextField(gettext_lazy("verification note"), blank=True)
    returned_on = models.DateField(gettext_lazy("returned on"), null=True, blank=True)
    closed_on = models.DateField(gettext_lazy("closed on"), null=True, blank=True)

    class Meta:
        abstract = True

    # ---- hooks a concrete model implements ----

    def loop_organization(self):
        """The organization that acts on the item."""
        raise NotImplementedError

    def verifying_organization(self):
        """The level that verifies the report; None: no other level verifies (the acting
        organization closes its own item)."""
        raise NotImplementedError

    def loop_is_started(self) -> bool:
        return False

    @classmethod
    def loop_started_condition(cls) -> Q:
        """:meth:`loop_is_started` as a filter (for :meth:`loop_stage_case`)."""
        return Q(pk__in=[])

    def loop_may_report(self, user) -> bool:
        return can_reach(user, self.loop_organization(), CHANGE)

    def loop_owner_users(self) -> list:
        return organization_users(self.loop_organization())

    def loop_verifier_users(self) -> list:
        organization = self.verifying_organization()
        return organization_users(organization) if organization is not None else []

    def loop_url(self) -> str:
        return ""

    def loop_title(self) -> str:
        return str(self)

    def loop_saved(self, action: str, today: datetime.date) -> None:
        """Called before the item is saved by an action (``report``, ``verify``, ``return``,
        ``close``), so a model keeps fields of its own in step (e.g. a completion date)."""

    # ---- the stage ----

    @property
    def loop_stage(self) -> LoopStage:
        value = self.__dict__.get("loop_stage_value")
        if value is not None:
            return LoopStage(value)
        return derive_loop_stage(
            closed_on=self.closed_on,
            verified_on=self.verified_on,
            reported_on=self.reported_on,
            returned_on=self.returned_on,
            started=self.loop_is_started(),
        )

    @property
    def loop_stage_label(self):
        return self.loop_stage.label

    @property
    def loop_stage_colour(self) -> str:
        return LOOP_COLOURS[self.loop_stage]

    @property
    def awaiting_verification(self) -> bool:
        return self.loop_stage == LoopStage.REPORTED

    @classmethod
    def loop_stage_case(cls) -> Case:
        """The stage as one SQL expression (annotate ``loop_stage_value`` with it, and
        :attr:`loop_stage` uses the annotation)."""
        started = cls.loop_started_condition()

        def null(name):
            return Q(**{f"{name}__isnull": False})

        return Case(
            When(null("closed_on"), then=Value(LoopStage.CLOSED.value)),
            When(null("verified_on"), then=Value(LoopStage.VERIFIED.value)),
            When(null("reported_on"), then=Value(LoopStage.REPORTED.value)),
            When(null("returned_on") | started, then=Value(LoopStage.IMPLEMENTING.value)),
            default=Value(LoopStage.DEPLOYED.value),
            output_field=models.CharField(),
        )

    def loop_steps(self) -> list[dict]:
        """The five stages for a stepper: label, date (where one is kept), done/current."""
        current = LOOP_ORDER.index(self.loop_stage)
        dates = {
            LoopStage.DEPLOYED: getattr(self, "created_at", None),
            LoopStage.REPORTED: self.reported_on,
            LoopStage.VERIFIED: self.verified_on,
            LoopStage.CLOSED: self.closed_on,
        }
        steps = []
        for index, stage in enumerate(LOOP_ORDER):
            date = dates.get(stage)
            if isinstance(date, datetime.datetime):
                date = timezone.localtime(date).date()
            steps.append(
                {
                    "stage": stage.value,
                    "label": stage.label,
                    "date": date if index <= current else None,
                    "done": index < current or stage == LoopStage.CLOSED == self.loop_stage,
                    "current": index == current,
                }
            )
        return steps


def organization_users(organization) -> list:
    """Active users who act for ``organization`` (from ``core.registry.organization_users``)."""
    from .registry import organization_users as sources

    if organization is None:
        return []
    users = {}
    for _key, source in sources:
        for user in source(organization):
            if user.is_active:
                users[user.pk] = user
    return list(users.values())


def waiting_reports(today: datetime.date, days: int | None = None):
    """``(item, verifiers)`` for every completion report, of every model in the loop, that has
    waited ``days`` (setting LOOP_VERIFY_REMIND_DAYS) or more for verification, so the verifying
    level is reminded of reports it sits on, whichever module they come from."""
    from django.apps import apps

    if days is None:
        days = int(settings.TONGPIN.get("LOOP_VERIFY_REMIND_DAYS", 3))
    cutoff = today - datetime.timedelta(days=days)
    for model in apps.get_models():
        if not issubclass(model, ClosedLoopModel):
            continue
        waiting = model._base_manager.filter(
            reported_on__lte=cutoff, verified_on__isnull=True, closed_on__isnull=True
        ).order_by("pk")
        for item in waiting:
            yield item, item.loop_verifier_users()


# ---- who may act --------------------------------------------------------------------------


def may_report(obj, user) -> bool:
    return obj.loop_stage in (LoopStage.DEPLOYED, LoopStage.IMPLEMENTING) and bool(
        obj.loop_may_report(user)
    )


def acts_for(user, organization) -> bool:
    """Whether ``user`` acts for ``organization`` (its secretaries and committee members, from
    ``core.registry.organization_users``): such a user is the acting side of its items, even
    when a role on a level above reaches them too."""
    pk = getattr(user, "pk", None)
    return pk is not None and any(u.pk == pk for u in organization_users(organization))


def may_check(obj, user) -> bool:
    """Whether ``user`` is of the level that verifies and closes ``obj`` (whatever its stage):
    one who may change the verifying organization, never the acting organization's own people.
    Modules add their own stricter rules on top, never a rule of their own instead."""
    organization = obj.verifying_organization()
    return organization is not None and _may_check(user, obj, organization)


def _may_check(user, obj, organization) -> bool:
    return can_reach(user, organization, CHANGE) and not acts_for(user, obj.loop_organization())


def may_verify(obj, user) -> bool:
    organization = obj.verifying_organization()
    return (
        obj.loop_stage == LoopStage.REPORTED
        and organization is not None
        and _may_check(user, obj, organization)
        and not _reported_by(obj, user)
    )


def _reported_by(obj, user) -> bool:
    return obj.reported_by_id is not None and obj.reported_by_id == getattr(user, "pk", None)


def may_close(obj, user) -> bool:
    organization = obj.verifying_organization()
    if organization is None:
        return obj.loop_stage == LoopStage.REPORTED and can_reach(
            user, obj.loop_organization(), CHANGE
        )
    return obj.loop_stage == LoopStage.VERIFIED and _may_check(user, obj, organization)


# ---- the actions ------------------------------------------------------------------------------


def _save(obj, user, action: str, today) -> None:
    obj.loop_saved(action, today)
    obj._history_user = user  # the change history names the actor also outside a request
    obj.save()
    obj.__dict__.pop("loop_stage_value", None)


def _notify(recipients, actor, obj, *, title: str, key: str) -> None:
    from .services import notify

    for recipient in recipients:
        if recipient.pk == getattr(actor, "pk", None):
            continue
        notify(
            recipient,
            title=title,
            body=str(obj.loop_organization()),
            url=obj.loop_url(),
            dedupe_key=key,
        )


def _occasion(obj) -> str:
    """A notification key of its own for each action: an item may be reported, sent back and
    reported again on one day, and each time someone must act."""
    return f"{obj._meta.label_lower}.{obj.pk}.{timezone.now().isoformat()}"


def _lock(obj):
    """Re-read the row under a lock: two verifiers clicking at once act one after the other."""
    type(obj)._base_manager.select_for_update().filter(pk=obj.pk).values_list("pk").first()
    obj.refresh_from_db()
    obj.__dict__.pop("loop_stage_value", None)
    return obj


@transaction.atomic
def report(obj, *, user, text: str, files=(), today=None):
    """报告: the acting organization reports completion with evidence (text, attachments)."""
    from .services import attach

    _lock(obj)
    if not obj.loop_may_report(user):
        raise PermissionDenied(_("Only the organization carrying out the item reports it."))
    if obj.loop_stage not in (LoopStage.DEPLOYED, LoopStage.IMPLEMENTING):
        raise ValidationError(
            _("Only an item being carried out can be reported; it is now at: %(stage)s.")
            % {"stage": obj.loop_stage.label}
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"report_text": _("Say what was done: the completion report.")})
    today = today or timezone.localdate()
    obj.reported_on = today
    obj.reported_by = user
    obj.report_text = text
    _save(obj, user, "report", today)
    for uploaded in files:
        attach(obj, uploaded, user=user)
    with translation.override(settings.LANGUAGE_CODE):
        _notify(
            obj.loop_verifier_users(),
            user,
            obj,
            title=_("Completion reported, please verify: %(title)s") % {"title": obj.loop_title()},
            key=f"loop.reported.{_occasion(obj)}",
        )
    return obj


@transaction.atomic
def verify(obj, *, user, passed: bool, note: str = "", today=None):
    """核验: the assigning level accepts the report, or sends it back with a note (back to 落实)."""
    _lock(obj)
    organization = obj.verifying_organization()
    if organization is None:
        raise ValidationError(_("This item needs no verification by another level."))
    if not _may_check(user, obj, organization):
        raise PermissionDenied(_("Only the level that assigned the item verifies it."))
    if _reported_by(obj, user):
        raise PermissionDenied(_("Whoever reported an item does not verify it: ask a colleague."))
    if obj.loop_stage != LoopStage.REPORTED:
        raise ValidationError(
            _("Only a reported item can be verified; it is now at: %(stage)s.")
            % {"stage": obj.loop_stage.label}
        )
    note = (note or "").strip()
    today = today or timezone.localdate()
    obj.verification_note = note
    if passed:
        obj.verified_on = today
        obj.verified_by = user
        _save(obj, user, "verify", today)
        return obj
    if not note:
        raise ValidationError({"note": _("Say what is missing when sending a report back.")})
    obj.reported_on = None
    obj.returned_on = today
    _save(obj, user, "return", today)
    with translation.override(settings.LANGUAGE_CODE):
        _notify(
            obj.loop_owner_users(),
            user,
            obj,
            title=_("Report sent back: %(title)s") % {"title": obj.loop_title()},
            key=f"loop.returned.{_occasion(obj)}",
        )
    return obj


@transaction.atomic
def close(obj, *, user, today=None):
    """销号: the verifying level closes a verified item; an item no other level verifies is
    closed by its own organization once reported."""
    _lock(obj)
    organization = obj.verifying_organization()
    if organization is None:
        allowed = can_reach(user, obj.loop_organization(), CHANGE)
    else:
        allowed = _may_check(user, obj, organization)
    if not allowed:
        raise PermissionDenied(_("Only the level that assigned the item closes it."))
    wanted = LoopStage.VERIFIED if organization is not None else LoopStage.REPORTED
    if obj.loop_stage != wanted:
        raise ValidationError(
            _("Only an item at %(wanted)s can be closed; it is now at: %(stage)s.")
            % {"wanted": wanted.label, "stage": obj.loop_stage.label}
        )
    today = today or timezone.localdate()
    obj.closed_on = today
    _save(obj, user, "close", today)
    return obj
