"""Core's API: the auditor's read-only view of the security audit log."""

import django_filters
from rest_framework import permissions, serializers, viewsets

from .models import AuditEvent


class IsAuditor(permissions.BasePermission):
    """The account model says who audits (core imports no app)."""

    def has_permission(self, request, view):
        return bool(getattr(request.user, "is_auditor", False))


class AuditEventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "user_id",
            "username",
            "kind",
            "kind_label",
            "success",
            "object_type",
            "object_id",
            "summary",
            "detail",
            "ip",
            "request_id",
            "chain",
        ]
        read_only_fields = fields


class AuditEventFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(lookup_expr="icontains")
    summary = django_filters.CharFilter(lookup_expr="icontains")
    after = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    before = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields = ["kind", "success", "user_id", "object_type", "object_id", "request_id"]


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Security audit events, newest first: read-only, for the auditor only."""

    serializer_class = AuditEventSerializer
    permission_classes = [IsAuditor]
    filterset_class = AuditEventFilter
    queryset = AuditEvent.objects.order_by("-id")


def register(router):
    router.register("audit-events", AuditEventViewSet, basename="audit-event")
