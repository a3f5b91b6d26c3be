"""Write security events to the append-only audit log."""

from .middleware import client_ip, get_current_request
from .models import AuditEvent


def record_event(
    kind: str,
    *,
    user=None,
    success: bool = True,
    obj=None,
    summary: str = "",
    detail: dict | None = None,
    request=None,
    username: str = "",
) -> AuditEvent:
    request = request or get_current_request()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditEvent.objects.create(
        kind=kind,
        user_id=user.pk if authenticated else None,
        username=(user.get_username() if authenticated else username)[:150],
        success=success,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:500],
        detail=detail or {},
        ip=client_ip(request) if request is not None else "",
        request_id=getattr(request, "request_id", "") if request is not None else "",
    )
