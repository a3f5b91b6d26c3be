"""Rectification items (问题整改): a problem found by an assessment, followed to closure.

The branch (its committee, or the item's owner) sets measures and reports with evidence; the
level above (the run's organization) verifies, returning it if not done, then closes it out
(销号). Overdue and awaiting-verification items go to supervision (督办)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from tongpin.core import loops
from tongpin.core.loops import LoopStage
from tongpin.core.registry import SupervisionRow
from tongpin.core.scoping import VIEW, can_reach
from tongpin.orgs.models import Organization

from .models import AssessmentRun, RectificationItem, Score


def may_rectify(user, item: RectificationItem) -> bool:
    """The owner, or whoever changes the organization that rectifies."""
    return item.loop_may_report(user)


def may_verify(user, item: RectificationItem) -> bool:
    """The level above, as core's loop decides it, and never a member of the rectifying branch
    (an assessed branch never checks itself, as it never scores itself)."""
    from .services import is_assessed_side

    return loops.may_check(item, user) and not is_assessed_side(user, item.organization)


def may_create_for(user, organization, run: AssessmentRun | None = None) -> bool:
    """Items are raised by the level that assessed (or above the organization)."""
    from .services import is_assessed_side

    verifier = (
        run.organization if run else (Organization.objects.get_parent(organization) or organization)
    )
    return can_reach(user, verifier) and not is_assessed_side(user, organization)


def visible_items(user):
    return RectificationItem.objects.restrict(user, VIEW).select_related(
        "organization", "owner", "run__system", "run__organization"
    )


@transaction.atomic
def create_item(
    organization,
    *,
    user,
    problem: str,
    deadline: datetime.date,
    owner=None,
    measures: str = "",
    run: AssessmentRun | None = None,
    score: Score | None = None,
) -> RectificationItem:
    from tongpin.core.services import notify

    if score is not None:
        run, organization = score.run, score.organization
    if not may_create_for(user, organization, run):
        raise PermissionDenied
    if owner is not None and owner.branch_id != organization.pk:
        raise ValidationError({"owner": _("Choose a member of the organization.")})
    item = RectificationItem.objects.create(
        organization=organization,
        run=run,
        score=score,
        problem=problem,
        deadline=deadline,
        owner=owner,
        measures=measures,
        created_by=user,
    )
    for recipient in item.loop_owner_users():
        notify(
            recipient,
            title=_("Rectification item: %(problem)s") % {"problem": str(item)},
            url=reverse("assess:rectification", args=[item.pk]),
            dedupe_key=f"assess.rectification.{item.pk}.assigned",
        )
    return item


@transaction.atomic
def save_measures(item: RectificationItem, *, user, measures: str, owner=None):
    if not may_rectify(user, item):
        raise PermissionDenied
    if item.loop_stage in (LoopStage.VERIFIED, LoopStage.CLOSED):
        raise ValidationError(_("The item is already verified."))
    if owner is not None and owner.branch_id != item.organization_id:
        raise ValidationError({"owner": _("Choose a member of the organization.")})
    item.measures = measures
    if owner is not None:
        item.owner = owner
    item.save()
    return item


def report(item: RectificationItem, *, user, text: str, files=(), today=None):
    """The branch reports the rectification done, with its evidence (core's closed loop)."""
    return loops.report(item, user=user, text=text, files=files, today=today)


def verify(item: RectificationItem, *, user, passed: bool, note: str = "", today=None):
    """The level above checks the report: passed → verified; not → back to the branch."""
    if not may_verify(user, item):
        raise PermissionDenied
    return loops.verify(item, user=user, passed=passed, note=note, today=today)


def close(item: RectificationItem, *, user, today=None):
    """销号: only a verified item, by the level above."""
    if not may_verify(user, item):
        raise PermissionDenied
    return loops.close(item, user=user, today=today)


def overdue_or_awaiting(user, today: datetime.date):
    """Items the user should push: overdue and not verified (the branch's) or reported and
    awaiting verification (the level above's)."""
    return (
        visible_items(user)
        .filter(closed_on=None)
        .filter(
            Q(deadline__lt=today, verified_on=None, reported_on=None)
            | Q(reported_on__isnull=False, verified_on=None)
        )
        .order_by("deadline", "pk")
    )


def supervision_rows(user, today: datetime.date) -> list[SupervisionRow]:
    """Rectification items as a supervision source (督办): overdue, or awaiting verification."""
    kind = _("Rectification item")
    return [
        SupervisionRow(
            kind=kind,
            title=item.loop_title(),
            organization=item.organization,
            deadline=item.deadline,
            stage=str(item.loop_stage.label),
            url=item.loop_url(),
            overdue=item.is_overdue(today),
            awaiting_verification=item.awaiting_verification,
        )
        for item in overdue_or_awaiting(user, today)
    ]


def feedback_items(run: AssessmentRun, organization):
    return RectificationItem.objects.filter(run=run, organization=organization).select_related(
        "owner"
    )
