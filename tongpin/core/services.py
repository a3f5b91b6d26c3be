"""Actions of the ground floor shared by every domain: notifications and attachments."""

from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import crypto
from .models import Attachment, Notification


def notify(recipient, *, title: str, body: str = "", url: str = "", dedupe_key: str) -> bool:
    """Send one notification; return False if this recipient already got ``dedupe_key``."""
    try:
        with transaction.atomic():
            Notification.objects.create(
                recipient=recipient, title=title, body=body, url=url, dedupe_key=dedupe_key
            )
    except IntegrityError:
        return False
    return True


# Only document and image types people actually attach; never HTML, scripts or executables.
ALLOWED_SUFFIXES = {
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt", ".wps", ".ofd",
    ".jpg", ".jpeg", ".png", ".gif", ".zip",
}  # fmt: skip


def validate_upload(uploaded) -> None:
    suffix = PurePath(uploaded.name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ValidationError(
            _("Files of type %(suffix)s cannot be attached. Allowed: %(allowed)s")
            % {"suffix": suffix or _("(none)"), "allowed": " ".join(sorted(ALLOWED_SUFFIXES))}
        )
    limit = settings.TONGPIN["ATTACHMENT_MAX_BYTES"]
    if uploaded.size > limit:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
        )


def attach(owner, uploaded, *, user) -> Attachment:
    """Store ``uploaded`` against ``owner`` (any model instance) after validating it."""
    validate_upload(uploaded)
    content = b"".join(uploaded.chunks())
    uploaded.seek(0)
    return Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(owner),
        object_id=owner.pk,
        file=uploaded,
        name=PurePath(uploaded.name).name[:200],
        size=uploaded.size,
        digest=crypto.sm3_digest(content).hex(),
        uploaded_by=user,
    )


def attachments_of(owner):
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(owner), object_id=owner.pk
    )
