from rest_framework import viewsets

from tongpin.core.access import IsDomainUser
from tongpin.core.api import RestrictedReadOnlyViewSet

from .. import services
from ..models import Score
from .serializers import AssessmentRunSerializer, ScoreSerializer


class AssessmentRunViewSet(viewsets.ReadOnlyModelViewSet):
    """Assessment runs over the caller's scope or holding a score the caller reads."""

    permission_classes = [IsDomainUser]
    serializer_class = AssessmentRunSerializer
    filterset_fields = ["organization", "status"]

    def get_queryset(self):
        return services.visible_runs(self.request.user)


class ScoreViewSet(RestrictedReadOnlyViewSet):
    """Scores of the organizations the caller reads, with their frozen evidence."""

    queryset = Score.objects.select_related("item").order_by("run", "organization__path", "item")
    serializer_class = ScoreSerializer
    filterset_fields = ["run", "organization"]
