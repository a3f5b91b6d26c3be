from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tongpin.core.access import IsDomainUser
from tongpin.core.api import RestrictedReadOnlyViewSet

from .. import rectification, services
from ..models import IndicatorSystem, Score
from .serializers import (
    AssessmentRunSerializer,
    IndicatorSystemSerializer,
    ManualScoreSerializer,
    RectificationItemSerializer,
    RectificationReportSerializer,
    RectificationVerifySerializer,
    ScoreSerializer,
)


class AssessmentRunViewSet(viewsets.ReadOnlyModelViewSet):
    """Assessment runs over the caller's scope or holding a score the caller reads."""

    permission_classes = [IsDomainUser]
    serializer_class = AssessmentRunSerializer
    filterset_fields = ["organization", "status"]

    def get_queryset(self):
        return services.visible_runs(self.request.user)


class ScoreViewSet(RestrictedReadOnlyViewSet):
    """Scores of the organizations the caller reads, with their frozen evidence; assessors enter
    the manual ones (``enter``) while the run is open."""

    queryset = Score.objects.select_related("item").order_by("run", "organization__path", "item")
    serializer_class = ScoreSerializer
    filterset_fields = ["run", "organization"]

    def get_queryset(self):
        # reading the score is enough to ask: ``enter_score`` decides who may score it
        return Score.objects.restrict(self.request.user).select_related(
            "item", "run", "organization"
        )

    @extend_schema(request=ManualScoreSerializer, responses={200: ScoreSerializer})
    @action(detail=True, methods=["post"])
    def enter(self, request, pk=None):
        score = self.get_object()
        payload = ManualScoreSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = {k: v for k, v in payload.validated_data.items() if k != "files"}
        services.enter_score(
            score.run,
            score.organization,
            score.item,
            user=request.user,
            files=request.FILES.getlist("files"),
            **data,
        )
        score.refresh_from_db()
        return Response(ScoreSerializer(score).data)


class IndicatorSystemViewSet(viewsets.ReadOnlyModelViewSet):
    """Indicator systems with their items (agency-wide definitions, no organization's data)."""

    permission_classes = [IsDomainUser]
    serializer_class = IndicatorSystemSerializer
    queryset = IndicatorSystem.objects.prefetch_related("items").order_by("pk")


class RectificationItemViewSet(viewsets.ReadOnlyModelViewSet):
    """Rectification items the caller reads, with the closed loop's actions: the branch reports,
    the level above verifies and closes out (销号)."""

    permission_classes = [IsDomainUser]
    serializer_class = RectificationItemSerializer
    filterset_fields = ["organization", "run"]

    def get_queryset(self):
        return rectification.visible_items(self.request.user).order_by("deadline", "pk")

    def _done(self, item):
        return Response(self.get_serializer(item).data, status=status.HTTP_200_OK)

    @extend_schema(
        request=RectificationReportSerializer, responses={200: RectificationItemSerializer}
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        item = self.get_object()
        payload = RectificationReportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rectification.report(
            item,
            user=request.user,
            text=payload.validated_data["text"],
            files=request.FILES.getlist("files"),
        )
        return self._done(item)

    @extend_schema(
        request=RectificationVerifySerializer, responses={200: RectificationItemSerializer}
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        item = self.get_object()
        payload = RectificationVerifySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rectification.verify(item, user=request.user, **payload.validated_data)
        return self._done(item)

    @extend_schema(request=None, responses={200: RectificationItemSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        item = self.get_object()
        rectification.close(item, user=request.user)
        return self._done(item)
