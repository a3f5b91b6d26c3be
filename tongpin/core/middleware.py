"""Gives every request an id and keeps the request in a context variable.

The change history (simple-history) and the security audit log both read it, so a change can be
traced to the request that made it, as NetBox does (netbox/netbox/middleware.py).
"""

import uuid
from contextvars import ContextVar

current_request: ContextVar = ContextVar("tongpin_current_request", default=None)


def get_current_request():
    return current_request.get()


def get_request_id() -> str:
    request = current_request.get()
    return getattr(request, "request_id", "") if request is not None else ""


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


def client_ip(request) -> str:
    # Behind a reverse proxy the site sets TONGPIN_TRUST_PROXY; never trust the header otherwise.
    from django.conf import settings

    if getattr(settings, "TRUST_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")
