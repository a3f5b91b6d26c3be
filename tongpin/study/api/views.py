from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from tongpin.core.access import IsDomainUser

from .. import search, services
from .serializers import MaterialSerializer, SearchResultSerializer, StudySessionSerializer

MAX_LIMIT = 100


def _int(raw, default: int, upper: int) -> int:
    return min(int(raw), upper) if str(raw).isdigit() else default


class MaterialViewSet(viewsets.ReadOnlyModelViewSet):
    """Study materials the caller reads (their organizations', and those handed down)."""

    permission_classes = [IsDomainUser]
    serializer_class = MaterialSerializer
    filterset_fields = ["organization"]

    def get_queryset(self):
        return services.visible_materials(self.request.user)


class SearchViewSet(viewsets.ViewSet):
    """Chinese full-text search over every indexed text the caller may read."""

    permission_classes = [IsDomainUser]
    serializer_class = SearchResultSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Query, simplified or traditional Chinese."),
            OpenApiParameter("limit", int, description="Hits per page (at most 100)."),
            OpenApiParameter("offset", int, description="Hits to skip."),
        ],
        responses=SearchResultSerializer,
    )
    def list(self, request):
        query = request.query_params.get("q", "").strip()[:200]
        result = search.search(
            request.user,
            query,
            limit=max(1, _int(request.query_params.get("limit"), 20, MAX_LIMIT)),
            offset=_int(request.query_params.get("offset"), 0, 100_000),
        )
        return Response(SearchResultSerializer(result).data)


class StudySessionViewSet(viewsets.ReadOnlyModelViewSet):
    """Study sessions of the caller's organizations, and the joint ones they take part in."""

    permission_classes = [IsDomainUser]
    serializer_class = StudySessionSerializer
    filterset_fields = ["organization", "tier", "form"]

    def get_queryset(self):
        return services.sessions_for(self.request.user).prefetch_related("partners", "materials")
