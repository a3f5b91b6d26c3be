"""Actions on the organization tree. Each runs in one transaction and leaves a trace."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tongpin.core.audit import record_event
from tongpin.core.models import AuditEvent
from tongpin.core.registry import health_checks
from tongpin.core.scoping import CHANGE, scope_of

from .models import Organization, OrganizationMove


def create_organization(*, parent: Organization | None, **fields) -> Organization:
    organization = Organization(**fields)
    organization.validate_parent(parent)
    if parent is None:
        return Organization.objects.add_root(instance=organization)
    return Organization.objects.add_child(parent, instance=organization)


@transaction.atomic
def move_organization(
    organization: Organization, new_parent: Organization, *, user, reason: str
) -> OrganizationMove:
    """Move a subtree under ``new_parent``; members keep their branch, the move is recorded."""
    if not reason.strip():
        raise ValidationError(_("Give a reason for the move."))
    scope = scope_of(user, CHANGE)
    if not (scope.covers_path(organization.path) and scope.covers_path(new_parent.path)):
        raise PermissionError(_("Both the organization and its new parent must be in your scope."))
    if new_parent.path.startswith(organization.path):
        raise ValidationError(_("An organization cannot move under itself."))
    organization.validate_parent(new_parent)
    old_parent = organization.get_parent()
    old_path = organization.path
    Organization.objects.move(organization, new_parent, pos="last-child")
    organization.refresh_from_db()
    # treebeard moves with bulk updates; save once so the change history holds the new place
    organization._change_reason = _("Moved from %(old)s to %(new)s: %(reason)s") % {
        "old": old_parent,
        "new": new_parent,
        "reason": reason,
    }
    organization.save()
    move = OrganizationMove.objects.create(
        organization=organization,
        from_parent=old_parent,
        to_parent=new_parent,
        from_path=old_path,
        moved_by=user,
        reason=reason,
    )
    record_event(
        AuditEvent.Kind.MOVE,
        user=user,
        obj=organization,
        summary=f"{organization} : {old_parent} → {new_parent}",
        detail={"reason": reason, "from_path": old_path, "to_path": organization.path},
    )
    return move


def run_health_checks(organizations, today) -> list:
    """Every registered check over ``organizations`` (already restricted), sorted by rule."""
    findings = []
    for _key, check in health_checks:
        findings.extend(check(today=today, organizations=organizations))
    return sorted(findings, key=lambda f: (f.rule, f.severity != "error", f.message))
