from rest_framework import serializers

from tongpin.core.loops import LoopStage

from ..models import (
    AssessmentRun,
    Grade,
    IndicatorItem,
    IndicatorSystem,
    RectificationItem,
    Score,
)


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
    grade = serializers.CharField(read_only=True, help_text=", ".join(Grade.values))

    class Meta:
        model = Score
        fields = [
            "id",
            "run",
            "organization",
            "item",
            "item_label",
            "value",
            "evidence",
            "points",
            "grade",
            "note",
            "entered_by",
        ]
        read_only_fields = fields


class ManualScoreSerializer(serializers.Serializer):
    points = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, default=None
    )
    # a plain string, not an enum: "grade" already names the 民主评议 grades in the schema
    grade = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=", ".join(Grade.values)
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    files = serializers.ListField(child=serializers.FileField(), required=False)


class IndicatorItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorItem
        fields = [
            "id",
            "parent",
            "label",
            "weight",
            "kind",
            "indicator",
            "scale",
            "max_score",
            "order",
        ]
        read_only_fields = fields


class IndicatorSystemSerializer(serializers.ModelSerializer):
    items = IndicatorItemSerializer(many=True, read_only=True)

    class Meta:
        model = IndicatorSystem
        fields = ["id", "name", "template", "items"]
        read_only_fields = fields


class RectificationItemSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True, default="")
    loop_stage = serializers.ChoiceField(choices=LoopStage.choices, read_only=True)

    class Meta:
        model = RectificationItem
        fields = [
            "id",
            "organization",
            "organization_name",
            "run",
            "score",
            "problem",
            "owner",
            "owner_name",
            "measures",
            "deadline",
            "loop_stage",
            "reported_on",
            "report_text",
            "verified_on",
            "verification_note",
            "returned_on",
            "closed_on",
        ]
        read_only_fields = fields


class RectificationReportSerializer(serializers.Serializer):
    text = serializers.CharField()
    files = serializers.ListField(child=serializers.FileField(), required=False)


class RectificationVerifySerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
