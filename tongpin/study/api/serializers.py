from rest_framework import serializers

from ..models import Material, StudySession


class MaterialSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Material
        fields = [
            "id",
            "organization",
            "organization_name",
            "title",
            "source",
            "published_on",
            "tags",
            "body",
            "file_name",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class HitSerializer(serializers.Serializer):
    source = serializers.CharField()
    object_id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    score = serializers.FloatField()
    title_html = serializers.CharField(help_text="The title, escaped, matches in <mark>.")
    snippet = serializers.CharField(help_text="An escaped excerpt, matches in <mark>.")


class SearchResultSerializer(serializers.Serializer):
    query = serializers.CharField()
    words = serializers.ListField(child=serializers.CharField())
    mode = serializers.CharField(help_text="and: every word; or: any word (no text had all).")
    total = serializers.IntegerField()
    hits = HitSerializer(many=True)


class StudySessionSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    tier_label = serializers.CharField(source="get_tier_display", read_only=True)
    form_label = serializers.CharField(source="get_form_display", read_only=True)

    class Meta:
        model = StudySession
        fields = [
            "id",
            "organization",
            "organization_name",
            "partners",
            "tier",
            "tier_label",
            "form",
            "form_label",
            "topic",
            "held_on",
            "hours",
            "meeting",
            "materials",
            "summary",
            "first_item_type",
            "first_item_id",
            "first_item_title",
        ]
        read_only_fields = fields
