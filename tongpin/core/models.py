"""Base models carrying the cross-cutting features: scoping, change history, timestamps.

A domain model picks its base (NetBox's ChangeLoggedModel/PrimaryModel) and declares a
``scope_spec``; it then gets ``objects.restrict(user, action)`` and a history with request ids.
The security audit log (:class:`AuditEvent`) is separate: append-only and chained.
"""

import json

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import crypto
from .scoping import CHANGE, VIEW, restrict


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = VIEW):
        return restrict(self, user, action)

    def restrict_change(self, user):
        return restrict(self, user, CHANGE)


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass


class HistoryContext(models.Model):
    """Extra columns on every historical row: which request made the change."""

    request_id = models.CharField(_("request id"), max_length=32, blank=True, default="")

    class Meta:
        abstract = True


class ChangeLoggedModel(models.Model):
    """Timestamps and a full change history (who, when, request, before and after)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(inherit=True, bases=[HistoryContext])

    objects = ScopedManager()

    scope_spec = None  # each concrete model declares one

    class Meta:
        abstract = True


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("the audit log is append-only")

    def delete(self):
        raise PermissionError("the audit log is append-only")


class AuditEvent(models.Model):
    """Security audit log (security.md 8.1.4.3): append-only, each row chained by HMAC-SM3.

    Users are stored by id and name, not by foreign key, so deleting an account can never touch
    its audit trail.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logout")
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")
        REVEAL = "reveal", _("View of personal data")
        PERMISSION = "permission", _("Permission change")
        ACCOUNT = "account", _("Account change")
        DENIED = "denied", _("Access denied")
        MOVE = "move", _("Organization move")
        TRANSFER = "transfer", _("Member transfer")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user_id = models.BigIntegerField(_("user id"), null=True, blank=True, db_index=True)
    username = models.CharField(_("user"), max_length=150, blank=True)
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices, db_index=True)
    success = models.BooleanField(_("success"), default=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.CharField(_("IP address"), max_length=64, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    chain = models.CharField(_("chain MAC"), max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the audit log is append-only")
        with transaction.atomic():
            previous = (
                AuditEvent.objects.select_for_update()
                .order_by("-id")
                .values_list("chain", flat=True)
                .first()
            ) or ""
            self.chain = crypto.audit_mac(previous, self.payload())
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit log is append-only")

    def payload(self) -> str:
        return json.dumps(
            [
                self.at.isoformat(),
                self.user_id,
                self.username,
                self.kind,
                self.success,
                self.object_type,
                self.object_id,
                self.summary,
                self.detail,
                self.ip,
                self.request_id,
            ],
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )


def verify_audit_chain() -> int | None:
    """Return the id of the first event whose MAC does not match, or None if the chain holds."""
    previous = ""
    for event in AuditEvent.objects.order_by("id").iterator():
        if not crypto.constant_time_equal(event.chain, crypto.audit_mac(previous, event.payload())):
            return event.pk
        previous = event.chain
    return None


class Notification(models.Model):
    """An in-app message to one user (reminders, deployments, results).

    ``dedupe_key`` is unique per recipient, so a job that runs twice never sends twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    dedupe_key = models.CharField(_("dedupe key"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="unique_notification_per_recipient"
            )
        ]

    def __str__(self):
        return self.title


def attachment_path(instance, filename):
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file attached to any record (evidence, minutes, materials).

    Reading an attachment requires reading the record it belongs to: the download view restricts
    through the owner's model. Files get random names on disk; the original name is kept here.
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    digest = models.CharField(_("SM3 digest"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.name
