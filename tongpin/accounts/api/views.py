from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import services
from ..models import PlatformRole, RoleAssignment
from .serializers import MeSerializer, RoleAssignmentSerializer


class IsSecurityAdmin(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.acts_as(PlatformRole.SECURITY_ADMIN))


class UserViewSet(viewsets.GenericViewSet):
    """The caller's own account; no list of accounts is offered through the API."""

    serializer_class = MeSerializer

    def get_queryset(self):
        return type(self.request.user).objects.filter(pk=self.request.user.pk)

    @extend_schema(summary="Who am I: the caller's account and roles")
    @action(detail=False, methods=["get"])
    def me(self, request):
        return Response(self.get_serializer(request.user).data)


class RoleAssignmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Role grants: the security administrator's alone (三员分立). Grants and revocations go
    through the same audited services as the pages."""

    serializer_class = RoleAssignmentSerializer
    permission_classes = [IsSecurityAdmin]
    filterset_fields = ["user", "role", "organization", "department"]
    queryset = RoleAssignment.objects.select_related("organization", "department").order_by("pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.grant_role(
            self.request.user,
            data["user"],
            data["role"],
            data.get("organization"),
            data.get("department"),
        )

    def perform_destroy(self, instance):
        services.revoke_role(self.request.user, instance)
