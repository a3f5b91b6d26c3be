from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from tongpin.core.api import RestrictedModelViewSet
from tongpin.core.scoping import VIEW

from .. import roster, services
from ..filtersets import (
    CommitteePostFilterSet,
    DepartmentFilterSet,
    OrganizationFilterSet,
    TermFilterSet,
)
from ..models import Department, Organization, Term
from . import serializers

NO_DELETE = ["get", "post", "put", "patch", "head", "options"]


class PartyUser(permissions.BasePermission):
    """Platform administrators see no domain data (least privilege, security.md)."""

    def has_permission(self, request, view):
        return not getattr(request.user, "platform_role", "")


PERMISSIONS = [permissions.IsAuthenticated, PartyUser]


class OrganizationViewSet(RestrictedModelViewSet):
    """Party organizations in the caller's scope. Writes need the change scope; the parent is
    set on creation and changed only by the ``move`` action (recorded and audited)."""

    permission_classes = PERMISSIONS

    queryset = Organization.objects.all()
    serializer_class = serializers.OrganizationSerializer
    filterset_class = OrganizationFilterSet
    http_method_names = NO_DELETE

    def get_queryset(self):
        queryset = super().get_queryset()
        parent = Organization.objects.filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Organization.steplen)
        ).values("pk")[:1]
        queryset = queryset.annotate(parent_pk=Subquery(parent))
        return roster.with_counts(queryset, timezone.localdate(), term=False)

    @extend_schema(request=serializers.MoveSerializer, responses=serializers.OrganizationSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        organization = self.get_object()
        payload = serializers.MoveSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        services.move_organization(
            organization,
            payload.validated_data["parent"],
            user=request.user,
            reason=payload.validated_data["reason"],
        )
        # re-read: the annotated parent and depth describe the old place
        return Response(self.get_serializer(self.get_queryset().get(pk=organization.pk)).data)


class DepartmentViewSet(RestrictedModelViewSet):
    """Departments with their covering branch; only agency staff change the branch."""

    permission_classes = PERMISSIONS

    queryset = Department.objects.select_related("branch")
    serializer_class = serializers.DepartmentSerializer
    filterset_class = DepartmentFilterSet
    http_method_names = ["get", "put", "patch", "head", "options"]

    def get_queryset(self):
        return roster.department_member_counts(super().get_queryset())


class TermViewSet(RestrictedModelViewSet):
    """Committee terms (rule ORG-05); a new current term closes the earlier one."""

    permission_classes = PERMISSIONS

    queryset = Term.objects.select_related("organization")
    serializer_class = serializers.TermSerializer
    filterset_class = TermFilterSet
    http_method_names = NO_DELETE


class CommitteePostViewSet(RestrictedModelViewSet):
    """Committee posts (rules ORG-04, ORG-09). A post is ended by setting ``ended_on``."""

    permission_classes = PERMISSIONS

    queryset = roster.committee_post_model().objects.select_related("member", "organization")
    serializer_class = serializers.CommitteePostSerializer
    filterset_class = CommitteePostFilterSet
    http_method_names = NO_DELETE


class HealthQuerySerializer(drf_serializers.Serializer):
    org = drf_serializers.IntegerField(required=False, min_value=1)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "org", int, description="Limit to this organization's subtree (in your scope)."
        )
    ],
    responses=serializers.HealthReportSerializer,
)
class HealthViewSet(viewsets.ViewSet):
    """Health findings (rules ORG-01 … ORG-07) over the caller's part of the tree."""

    permission_classes = PERMISSIONS

    def list(self, request):
        query = HealthQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        organization = None
        if "org" in query.validated_data:
            organization = (
                Organization.objects.restrict(request.user, VIEW)
                .filter(pk=query.validated_data["org"])
                .first()
            )
            if organization is None:
                from rest_framework.exceptions import NotFound

                raise NotFound
        today = timezone.localdate()
        findings = services.findings_for(request.user, today, organization)
        report = {
            "date": today,
            "errors": sum(f.severity == "error" for f in findings),
            "warnings": sum(f.severity == "warning" for f in findings),
            "findings": [f.as_dict() for f in findings],
        }
        return Response(serializers.HealthReportSerializer(report).data)
