from rest_framework import serializers

from ..models import AssessmentRun, Score


class AssessmentRunSerializer(serializers.ModelSerializer):
    system_name = serializers.CharField(source="system.name", read_only=True)

    class Meta:
        model = AssessmentRun
        fields = [
            "id",
            "system",
            "system_name",
            "organization",
            "period_start",
            "period_end",
            "status",
            "closed_at",
        ]
        read_only_fields = fields


class ScoreSerializer(serializers.ModelSerializer):
    item_label = serializers.CharField(source="item.label", read_only=True)

    class Meta:
        model = Score
        fields = ["id", "run", "organization", "item", "item_label", "value", "evidence"]
        read_only_fields = fields
