"""API of the grassroots survey: surveys the caller reads and their results, withheld below the
threshold exactly as on the page (no response or answer is ever listed)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from tongpin.core.api import RestrictedReadOnlyViewSet

from .. import surveys
from ..models import Survey


class SurveySerializer(serializers.ModelSerializer):
    # plain text: "open" or "closed" (the run's enum already holds the name StatusEnum)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Survey
        fields = ["id", "organization", "title", "intro", "period_start", "period_end", "status"]
        read_only_fields = fields


class QuestionResultSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question.pk")
    text = serializers.CharField(source="question.text")
    kind = serializers.CharField(source="question.kind")
    count = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True)
    distribution = serializers.SerializerMethodField()
    texts = serializers.ListField(child=serializers.CharField())

    @extend_schema(
        responses={
            200: {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"label": {"type": "string"}, "count": {"type": "integer"}},
                },
            }
        }
    )
    def get_distribution(self, obj) -> list[dict]:
        return [{"label": label, "count": count} for label, count in obj.distribution]


class TargetResultSerializer(serializers.Serializer):
    label = serializers.CharField()
    responses = serializers.IntegerField()
    shown = serializers.BooleanField()
    questions = QuestionResultSerializer(many=True)


class SurveyResultsSerializer(serializers.Serializer):
    responses = serializers.IntegerField()
    minimum = serializers.IntegerField()
    missing = serializers.IntegerField()
    shown = serializers.BooleanField()
    collecting = serializers.BooleanField()
    targets = TargetResultSerializer(many=True)


class SurveyViewSet(RestrictedReadOnlyViewSet):
    """Grassroots surveys of the organizations the caller reads."""

    queryset = Survey.objects.all()
    serializer_class = SurveySerializer
    filterset_fields = ["organization", "status"]

    @extend_schema(responses=SurveyResultsSerializer)
    @action(detail=True)
    def results(self, request, pk=None):
        """Results per rated target and question; empty below the minimum number of responses
        (for the survey and for each target)."""
        return Response(SurveyResultsSerializer(surveys.results(self.get_object())).data)


def register(router):
    router.register("assess-surveys", SurveyViewSet, basename="assess-survey")
