from rest_framework import serializers

from tongpin.work.models import TaskCategory

from ..models import Directive


class DirectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = Directive
        fields = [
            "id",
            "organization",
            "title",
            "source",
            "level",
            "issued_on",
            "text",
            "targets",
            "tasks",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class IngestSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, write_only=True)
    document = serializers.FileField(required=False, write_only=True)

    def validate(self, attrs):
        if not attrs.get("text") and not attrs.get("document"):
            raise serializers.ValidationError({"text": "请粘贴文字或上传文件。"})
        return attrs


class ItemSerializer(serializers.Serializer):
    title = serializers.CharField()
    sentence = serializers.CharField()
    category = serializers.ChoiceField(choices=TaskCategory.choices)


class IngestResultSerializer(serializers.Serializer):
    text = serializers.CharField()
    items = ItemSerializer(many=True)
