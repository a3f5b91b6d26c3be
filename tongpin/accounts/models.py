from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tongpin.core.models import HistoryContext


class PlatformRole(models.TextChoices):
    """Three-role separation (三员分立, security.md): no account holds two of them."""

    NONE = "", _("None")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDITOR = "auditor", _("Security auditor")


class Role(models.TextChoices):
    """Roles in the agency's party work, each granted on a part of the tree or a department."""

    AGENCY_STAFF = "agency_staff", _("Agency committee staff")
    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    LEADER = "leader", _("Agency leader")
    DEPARTMENT_HEAD = "department_head", _("Department head")


ORGANIZATION_ROLES = {Role.AGENCY_STAFF, Role.BRANCH_SECRETARY, Role.COMMITTEE_MEMBER}
DEPARTMENT_ROLES = {Role.DEPARTMENT_HEAD}


# secrets and login bookkeeping: no change history (audit events record logins and locks)
HISTORY_EXCLUDED = ["password", "last_login", "failed_logins", "locked_until"]


class User(AbstractUser):
    """An account. A single ``platform_role`` field makes holding two admin roles impossible."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    platform_role = models.CharField(
        _("platform role"), max_length=20, choices=PlatformRole.choices, blank=True, default=""
    )
    password_changed_at = models.DateTimeField(_("password changed at"), default=timezone.now)
    # set when an administrator creates the account or resets its password: the one-time
    # password must be replaced at the next login
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # lockout bookkeeping (security.md 8.1.4.1); written with update() and audited as events,
    # so it stays out of the change history like last_login
    failed_logins = models.PositiveSmallIntegerField(_("failed logins"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    history = HistoricalRecords(bases=[HistoryContext], excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        # a login saves only last_login (a hash upgrade only password): nothing the change
        # history shows, so no empty history row for every login
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) <= set(HISTORY_EXCLUDED):
            self.skip_history_when_saving = True
            try:
                return super().save(*args, **kwargs)
            finally:
                del self.skip_history_when_saving
        return super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name or self.username

    @property
    def is_platform_admin(self) -> bool:
        return bool(self.platform_role)

    def has_platform_role(self, role: str) -> bool:
        return self.is_active and self.platform_role == role

    def acts_as(self, role: str) -> bool:
        """Whether the account may use the pages of a platform role.

        The superuser is the break-glass account: it passes every platform-role check so it can
        restore lost administrator accounts, and everything it does is audited like anyone's.
        """
        return self.is_active and (self.platform_role == role or self.is_superuser)

    # read by core (audit pages, home) without importing this app
    @property
    def is_system_admin(self) -> bool:
        return self.acts_as(PlatformRole.SYSTEM_ADMIN)

    @property
    def is_security_admin(self) -> bool:
        return self.acts_as(PlatformRole.SECURITY_ADMIN)

    @property
    def is_auditor(self) -> bool:
        return self.acts_as(PlatformRole.AUDITOR)

    def is_locked(self, now=None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())

    def role_labels(self, include_member: bool = True) -> list[str]:
        """The account's roles in words, e.g. "Branch secretary · 办公室党支部"; with
        ``include_member`` also the holder's membership ("Full member · 办公室党支部")."""
        labels = []
        if self.platform_role:
            labels.append(str(self.get_platform_role_display()))
        if self.is_superuser:
            labels.append(str(_("Break-glass superuser")))
        for assignment in self.role_assignments.select_related("organization", "department"):
            labels.append(assignment.label)
        member = getattr(self, "member", None) if include_member else None
        if member is not None:
            labels.append(f"{member.get_status_display()} · {member.branch}")
        return labels


class RoleAssignment(models.Model):
    """A role held by an account on an organization subtree or a department."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    history = HistoricalRecords(bases=[HistoryContext])

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organization", "department"], name="unique_role_assignment"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.label}"

    @property
    def label(self) -> str:
        where = self.organization or self.department
        role = str(self.get_role_display())
        return f"{role} · {where}" if where else role

    def clean(self):
        if self.user_id and self.user.platform_role:
            raise ValidationError(
                _("A platform administrator holds no other role (three-role separation).")
            )
        if self.role in ORGANIZATION_ROLES and not self.organization_id:
            raise ValidationError({"organization": _("This role is granted on an organization.")})
        if self.role in DEPARTMENT_ROLES and not self.department_id:
            raise ValidationError({"department": _("This role is granted on a department.")})
