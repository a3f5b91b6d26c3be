"""Account actions: login bookkeeping, the three platform roles' work, tokens.

Each action checks who may do it, changes the rows in one transaction and writes its audit event
(security.md: everything the three administrators do is itself audited). Views and the API call
these; they never write accounts themselves.
"""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongpin.core.audit import record_event
from tongpin.core.models import AuditEvent
from tongpin.core.scoping import forget_scopes

from .models import DEPARTMENT_ROLES, ORGANIZATION_ROLES, PlatformRole, RoleAssignment, User


def _setting(name: str) -> int:
    return settings.TONGPIN[name]


def _require(actor, role: str) -> None:
    if actor is None or not actor.acts_as(role):
        raise PermissionDenied


# ---- passwords ----------------------------------------------------------------------------

_SYMBOLS = "!@#$%*-_=+?"  # none that HTML escapes or that is hard to read aloud


def generate_password(length: int = 16) -> str:
    """A one-time password with all four character classes, free of look-alike characters."""
    pools = [
        "ABCDEFGHJKLMNPQRSTUVWXYZ",
        "abcdefghijkmnpqrstuvwxyz",
        "23456789",
        _SYMBOLS,
    ]
    alphabet = "".join(pools)
    chars = [secrets.choice(pool) for pool in pools]
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def password_change_due(user, now=None) -> bool:
    """Reset by an administrator, or older than PASSWORD_MAX_AGE_DAYS (0 turns ageing off)."""
    if user.must_change_password:
        return True
    max_age = _setting("PASSWORD_MAX_AGE_DAYS")
    if not max_age or user.password_changed_at is None:
        return False
    return user.password_changed_at + datetime.timedelta(days=max_age) < (now or timezone.now())


@transaction.atomic
def change_password(user, new_password: str) -> None:
    """The user's own change: validated against AUTH_PASSWORD_VALIDATORS."""
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.must_change_password = False
    user.save()
    record_event(
        AuditEvent.Kind.ACCOUNT,
        user=user,
        obj=user,
        summary=_("Password changed by its holder"),
        detail={"action": "password_changed"},
    )


# ---- login failures and lockout ----------------------------------------------------------


def register_login_failure(user) -> datetime.datetime | None:
    """Count a wrong password; lock the account at LOGIN_MAX_FAILURES. Returns the lock's end."""
    now = timezone.now()
    with transaction.atomic():
        row = User.objects.select_for_update().only("failed_logins", "locked_until").get(pk=user.pk)
        # an expired lock starts a new count
        failures = 0 if row.locked_until and row.locked_until <= now else row.failed_logins
        failures += 1
        locked_until = None
        if failures >= _setting("LOGIN_MAX_FAILURES"):
            locked_until = now + datetime.timedelta(minutes=_setting("LOCKOUT_MINUTES"))
        # update(): bookkeeping, not a change of the account worth a history row
        User.objects.filter(pk=user.pk).update(failed_logins=failures, locked_until=locked_until)
        if locked_until is not None:
            record_event(
                AuditEvent.Kind.ACCOUNT,
                user=None,
                username=user.username,
                obj=user,
                summary=_("Account locked after %(n)d failed logins") % {"n": failures},
                detail={"action": "locked", "until": locked_until.isoformat()},
            )
    user.failed_logins, user.locked_until = failures, locked_until
    return locked_until


def clear_login_failures(user) -> None:
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    user.failed_logins, user.locked_until = 0, None


def locked_until(username: str) -> datetime.datetime | None:
    """When the account named ``username`` is locked until, or None."""
    until = User.objects.filter(username=username).values_list("locked_until", flat=True).first()
    return until if until is not None and until > timezone.now() else None


@transaction.atomic
def unlock_account(actor, user) -> None:
    _require(actor, PlatformRole.SECURITY_ADMIN)
    was_locked = user.is_locked()
    clear_login_failures(user)
    record_event(
        AuditEvent.Kind.ACCOUNT,
        user=actor,
        obj=user,
        summary=_("Account %(username)s unlocked") % {"username": user.username},
        detail={"action": "unlocked", "was_locked": was_locked},
    )


# ---- system administrator: accounts ------------------------------------------------------


def _protect_admin_accounts(actor, user) -> None:
    """The system administrator manages ordinary accounts only.

    Resetting a platform administrator's password would let one of the three act as another
    (三员分立); such accounts, and the break-glass superuser, are left to the superuser.
    """
    if actor.is_superuser:
        return
    if user.is_superuser or user.platform_role:
        raise ValidationError(
            _("Administrator accounts are managed only with the break-glass superuser account.")
        )


def unlinked_members(name: str):
    """Members of exactly this name who have no account yet (for linking a new account)."""
    from tongpin.members.models import Member  # members depends on accounts, not the reverse

    name = (name or "").strip()
    if not name:
        return Member.objects.none()
    # the system administrator sees no roster (scoping); this narrow, exact-name lookup
    # is all account creation needs, and what it links is audited with the account
    return (
        Member.objects.filter(name=name, user__isnull=True)
        .select_related("branch", "department")
        .order_by("branch__path", "pk")
    )


@transaction.atomic
def create_account(actor, *, username: str, full_name: str, member=None) -> tuple[User, str]:
    """Create an account with a one-time password (shown once, changed at first login)."""
    _require(actor, PlatformRole.SYSTEM_ADMIN)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("An account with this username already exists.")})
    if member is not None and member.user_id is not None:
        raise ValidationError({"member_name": _("This member already has an account.")})
    password = generate_password()
    user = User(
        username=username,
        full_name=full_name.strip() or (member.name if member is not None else ""),
        must_change_password=True,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if member is not None:
        member.user = user
        member.save(update_fields=["user", "updated_at"])
    record_event(
        AuditEvent.Kind.ACCOUNT,
        user=actor,
        obj=user,
        summary=_("Account %(username)s created") % {"username": username},
        detail={
            "action": "created",
            "username": username,
            "member_id": member.pk if member is not None else None,
        },
    )
    return user, password


@transaction.atomic
def set_active(actor, user, active: bool) -> None:
    _require(actor, PlatformRole.SYSTEM_ADMIN)
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    _protect_admin_accounts(actor, user)
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    record_event(
        AuditEvent.Kind.ACCOUNT,
        user=actor,
        obj=user,
        summary=(
            _("Account %(username)s reactivated")
            if active
            else _("Account %(username)s deactivated")
        )
        % {"username": user.username},
        detail={"action": "reactivated" if active else "deactivated"},
    )


@transaction.atomic
def reset_password(actor, user) -> str:
    """A new one-time password; the holder must change it at the next login."""
    from rest_framework.authtoken.models import Token

    _require(actor, PlatformRole.SYSTEM_ADMIN)
    if user.pk == actor.pk:
        raise ValidationError(_("Change your own password on your profile page."))
    _protect_admin_accounts(actor, user)
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    # a reset suggests the old credentials are not trusted: the API token goes too
    Token.objects.filter(user=user).delete()
    record_event(
        AuditEvent.Kind.ACCOUNT,
        user=actor,
        obj=user,
        summary=_("Password of %(username)s reset") % {"username": user.username},
        detail={"action": "password_reset"},
    )
    return password


# ---- security administrator: roles -------------------------------------------------------


@transaction.atomic
def grant_role(actor, user, role: str, organization=None, department=None) -> RoleAssignment:
    _require(actor, PlatformRole.SECURITY_ADMIN)
    # keep only the place the role is granted on
    if role not in ORGANIZATION_ROLES:
        organization = None
    if role not in DEPARTMENT_ROLES:
        department = None
    assignment = RoleAssignment(
        user=user, role=role, organization=organization, department=department, granted_by=actor
    )
    assignment.full_clean(exclude=["granted_by"])
    # the unique constraint cannot see duplicates whose organization or department is NULL
    if RoleAssignment.objects.filter(
        user=user, role=role, organization=organization, department=department
    ).exists():
        raise ValidationError(_("The account already holds this role here."))
    assignment.save()
    forget_scopes(user)
    record_event(
        AuditEvent.Kind.PERMISSION,
        user=actor,
        obj=assignment,
        summary=_("Granted %(role)s to %(username)s")
        % {"role": assignment.label, "username": user.username},
        detail={
            "action": "granted",
            "user_id": user.pk,
            "username": user.username,
            "role": role,
            "organization_id": organization.pk if organization else None,
            "department_id": department.pk if department else None,
        },
    )
    return assignment


@transaction.atomic
def revoke_role(actor, assignment: RoleAssignment) -> None:
    _require(actor, PlatformRole.SECURITY_ADMIN)
    user = assignment.user
    label, pk = assignment.label, assignment.pk
    detail = {
        "action": "revoked",
        "user_id": user.pk,
        "username": user.username,
        "role": assignment.role,
        "organization_id": assignment.organization_id,
        "department_id": assignment.department_id,
    }
    assignment.delete()
    forget_scopes(user)
    record_event(
        AuditEvent.Kind.PERMISSION,
        user=actor,
        summary=_("Revoked %(role)s from %(username)s")
        % {"role": label, "username": user.username},
        detail={**detail, "assignment_id": pk},
    )


@transaction.atomic
def set_platform_role(actor, user, platform_role: str) -> None:
    """Give or take a platform role: one per account, only on accounts holding no other role."""
    _require(actor, PlatformRole.SECURITY_ADMIN)
    if platform_role not in PlatformRole.values:
        raise ValidationError(_("Unknown platform role."))
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot change your own platform role."))
    if user.is_superuser:
        raise ValidationError(_("The break-glass superuser holds no platform role."))
    if user.platform_role == platform_role:
        return
    if platform_role and user.platform_role:
        raise ValidationError(
            _(
                "The account already holds the platform role %(role)s; an account holds only one "
                "(three-role separation). Remove it first."
            )
            % {"role": user.get_platform_role_display()}
        )
    if platform_role and user.role_assignments.exists():
        raise ValidationError(
            _(
                "The account holds roles in party work; a platform administrator holds no other "
                "role (three-role separation). Revoke them first."
            )
        )
    previous = user.platform_role
    user.platform_role = platform_role
    user.save(update_fields=["platform_role"])
    forget_scopes(user)
    record_event(
        AuditEvent.Kind.PERMISSION,
        user=actor,
        obj=user,
        summary=_("Platform role of %(username)s: %(old)s → %(new)s")
        % {
            "username": user.username,
            "old": PlatformRole(previous).label if previous else "—",
            "new": PlatformRole(platform_role).label if platform_role else "—",
        },
        detail={"action": "platform_role", "old": previous, "new": platform_role},
    )


# ---- API tokens --------------------------------------------------------------------------


@transaction.atomic
def issue_api_token(user) -> str:
    """Create or rotate the user's API token; the key is shown once by the caller."""
    from rest_framework.authtoken.models import Token

    rotated = Token.objects.filter(user=user).delete()[0] > 0
    token = Token.objects.create(user=user)
    record_event(
        AuditEvent.Kind.ACCOUNT,
        user=user,
        obj=user,
        summary=_("API token rotated") if rotated else _("API token created"),
        detail={"action": "token_rotated" if rotated else "token_created"},
    )
    return token.key


@transaction.atomic
def revoke_api_token(user) -> None:
    from rest_framework.authtoken.models import Token

    if Token.objects.filter(user=user).delete()[0]:
        record_event(
            AuditEvent.Kind.ACCOUNT,
            user=user,
            obj=user,
            summary=_("API token revoked"),
            detail={"action": "token_revoked"},
        )
