"""API plumbing shared by every app: scoped viewsets and a Chinese error shape."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, viewsets
from rest_framework.views import exception_handler as drf_exception_handler

from .access import IsDomainUser
from .scoping import CHANGE, VIEW


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    elif isinstance(exc, PermissionError):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)


class RestrictedViewSetMixin:
    """Every API queryset goes through ``restrict``: reads by VIEW, writes by CHANGE.

    Platform administrators are refused outright (three-role separation).
    """

    permission_classes = [IsDomainUser]

    def get_queryset(self):
        queryset = super().get_queryset()
        action = VIEW if self.request.method in ("GET", "HEAD", "OPTIONS") else CHANGE
        return queryset.restrict(self.request.user, action)


class RestrictedReadOnlyViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class RestrictedModelViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    pass
