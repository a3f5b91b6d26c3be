"""Who may open core's routes: home, the auditor's pages and API, and the API root
(walked by tests/test_permission_walk.py)."""

from tongpin.demo.testing import ALL_USERS, Route, pk_of

AUDITOR = frozenset({"auditor"})


def an_audit_event():
    """An event to open; a fresh test database may hold none yet."""
    from tongpin.core.audit import record_event
    from tongpin.core.models import AuditEvent

    return AuditEvent.objects.order_by("pk").first() or record_event(
        AuditEvent.Kind.EXPORT, username="walk", summary="permission walk"
    )


ROUTES = [
    Route("home", get=ALL_USERS),
    # the auditor's read-only pages (三员分立): GET only, for the auditor alone
    Route("audit:list", get=AUDITOR),
    Route("audit:export", get=AUDITOR, note="an .xlsx download, itself audited"),
    Route("audit:chain", get=AUDITOR),
    Route("audit:changes", get=AUDITOR),
    Route("audit:detail", get=AUDITOR, kwargs=pk_of(an_audit_event)),
    Route("api:audit-event-list", get=AUDITOR),
    Route("api:audit-event-detail", get=AUDITOR, kwargs=pk_of(an_audit_event)),
    # the API root, its OpenAPI schema and offline documentation: any logged-in account
    Route("api:api-root", get=ALL_USERS),
    Route("api-schema", get=ALL_USERS),
    Route("api-docs", get=ALL_USERS),
    Route("api-redoc", get=ALL_USERS),
]
