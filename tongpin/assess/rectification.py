"""Rectification items (问题整改): a problem found by an assessment, followed to closure.

The branch (its committee, or the item's owner) sets measures and reports with evidence; the
level above (the run's organization) verifies, returning it if not done, then closes it out
(销号). Overdue and awaiting-verification items go to supervision (督办)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongpin.core.scoping import VIEW, can_reach
from tongpin.orgs.models import Organization

from .models import AssessmentRun, LoopStage, RectificationItem, Score


def loop_owner_users(item: RectificationItem) -> list:
    """Who rectifies: the owner's account."""
    return [item.owner.user] if item.owner_id and item.owner.user_id else []


def may_rectify(user, item: RectificationItem) -> bool:
    """The owner, or whoever changes the organization that rectifies."""
    return user in loop_owner_users(item) or can_reach(user, item.organization)


def may_verify(user, item: RectificationItem) -> bool:
    """The level above (the verifying organization's people), never the rectifying branch."""
    from .services import is_assessed_side

    return can_reach(user, item.verifying_organization()) and not is_assessed_side(
        user, item.organization
    )


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
    for recipient in loop_owner_users(item):
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


@transaction.atomic
def report(item: RectificationItem, *, user, text: str, files=(), today=None):
    """The branch reports the rectification done, with its evidence."""
    from tongpin.core.services import attach

    if not may_rectify(user, item):
        raise PermissionDenied
    if item.loop_stage in (LoopStage.REPORTED, LoopStage.VERIFIED, LoopStage.CLOSED):
        raise ValidationError(_("The item is not awaiting a report."))
    if not text.strip():
        raise ValidationError({"text": _("Describe what was done.")})
    item.reported_on = today or timezone.localdate()
    item.report_text = text
    item.save()
    for uploaded in files:
        attach(item, uploaded, user=user)
    return item


@transaction.atomic
def verify(item: RectificationItem, *, user, passed: bool, note: str = "", today=None):
    """The level above checks the report: passed → verified; not → returned to the branch."""
    if not may_verify(user, item):
        raise PermissionDenied
    if item.loop_stage != LoopStage.REPORTED:
        raise ValidationError(_("Only a reported item is verified."))
    today = today or timezone.localdate()
    item.verification_note = note
    if passed:
        item.verified_on, item.verified_by = today, user
    else:
        item.returned_on, item.reported_on = today, None
    item.save()
    return item


@transaction.atomic
def close(item: RectificationItem, *, user, today=None):
    """销号: only a verified item, by the level above."""
    if not may_verify(user, item):
        raise PermissionDenied
    if item.loop_stage != LoopStage.VERIFIED:
        raise ValidationError(_("Only a verified item is closed out."))
    item.closed_on = today or timezone.localdate()
    item.save()
    return item


def overdue_or_awaiting(user, today: datetime.date):
    """Items the user should push: overdue and not verified (the branch's) or reported and
    awaiting verification (the level above's)."""
    return (
        visible_items(user)
        .filter(closed_on=None)
        .filter(
            Q(deadline__lt=today, verified_on=None) | Q(reported_on__isnull=False, verified_on=None)
        )
        .order_by("deadline", "pk")
    )


def supervision_rows(user, today: datetime.date) -> list[dict]:
    """The supervision page's rows (督办): what is late or waits on the user's level."""
    rows = []
    for item in overdue_or_awaiting(user, today):
        rows.append(
            {
                "title": str(item),
                "organization": item.organization.name,
                "deadline": item.deadline,
                "stage": item.get_loop_stage_display(),
                "overdue": item.is_overdue(today),
                "url": reverse("assess:rectification", args=[item.pk]),
            }
        )
    return rows


def feedback_items(run: AssessmentRun, organization):
    return RectificationItem.objects.filter(run=run, organization=organization).select_related(
        "owner"
    )
