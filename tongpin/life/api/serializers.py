"""Organizational life in the API: reads are scoped, writes go through the services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tongpin.core.scoping import CHANGE, VIEW
from tongpin.members.models import Member
from tongpin.orgs.models import Organization

from .. import services
from ..models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MemberReview,
    Motion,
    Talk,
)


def choice(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field whose enum is written inline: "kind" and "status" name many choice sets
    across the apps, and inline enums never collide in the schema's component names. (A class,
    not an instance, carries the annotation: DRF copies declared fields by re-creating them.)"""
    schema = {"type": "string", "enum": [value for value, _label in choices]}
    field_class = extend_schema_field(schema)(
        type("InlineChoiceField", (serializers.ChoiceField,), {})
    )
    return field_class(choices=choices, **kwargs)


def _django_errors(error: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(error.message_dict)
    return serializers.ValidationError({"non_field_errors": error.messages})


class _ScopedFieldsMixin:
    """Related choices limited to the caller's scope: out of scope reads as "not found"."""

    scoped_fields: dict = {}

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            for name, (model, action) in self.scoped_fields.items():
                if name in fields and not fields[name].read_only:
                    fields[name].queryset = model.objects.restrict(request.user, action)
        return fields


class MeetingSerializer(_ScopedFieldsMixin, serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    kind = choice(MeetingKind.choices)
    status = choice(MeetingStatus.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    host_name = serializers.CharField(source="host.name", read_only=True, default=None)

    scoped_fields = {"organization": (Organization, CHANGE)}

    class Meta:
        model = Meeting
        fields = [
            "id",
            "organization",
            "organization_name",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "title",
            "in_plan",
            "planned_on",
            "period_start",
            "due_on",
            "held_on",
            "starts_at",
            "place",
            "host",
            "host_name",
            "recorder",
            "agenda",
            "first_item_type",
            "first_item_id",
            "first_item_title",
            "minutes",
            "decisions",
            "cancel_reason",
            "expected_count",
            "present_count",
            "voting_count",
            "voting_present",
            "quorum_met",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            f for f in fields if f not in ("organization", "kind", "planned_on", "title")
        ]

    def create(self, validated_data):
        try:
            return services.create_meeting(
                validated_data["organization"],
                validated_data["kind"],
                validated_data["planned_on"],
                user=self.context["request"].user,
                title=validated_data.get("title", ""),
            )
        except DjangoValidationError as error:
            raise _django_errors(error) from None


class AttendanceEntrySerializer(serializers.Serializer):
    member = serializers.IntegerField()
    status = choice(AttendanceStatus.choices)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RecordSerializer(serializers.Serializer):
    """Record a meeting as held; members not listed in ``attendance`` count as present."""

    held_on = serializers.DateField()
    starts_at = serializers.TimeField(required=False, allow_null=True)
    place = serializers.CharField(max_length=200)
    host = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.none(), required=False, allow_null=True
    )
    recorder = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.none(), required=False, allow_null=True
    )
    title = serializers.CharField(max_length=200, required=False)
    first_item_title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    agenda = serializers.CharField(required=False, allow_blank=True)
    minutes = serializers.CharField()
    decisions = serializers.CharField(required=False, allow_blank=True)
    attendance = AttendanceEntrySerializer(many=True, required=False)

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            members = Member.objects.restrict(request.user, VIEW)
            fields["host"].queryset = members
            fields["recorder"].queryset = members
        return fields


class AttendanceSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    # plain text out: one choice set in two components makes the schema's enum names collide
    status = serializers.CharField(read_only=True, help_text=_("present, excused or absent"))

    class Meta:
        model = Attendance
        fields = ["id", "meeting", "member", "member_name", "status", "reason", "can_vote"]
        read_only_fields = fields


class MotionSerializer(_ScopedFieldsMixin, serializers.ModelSerializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.none())
    scoped_fields = {"meeting": (Meeting, CHANGE)}

    class Meta:
        model = Motion
        fields = [
            "id",
            "meeting",
            "title",
            "entitled",
            "voters_present",
            "yes",
            "no",
            "abstain",
            "valid",
            "passed",
        ]
        read_only_fields = ["entitled", "voters_present", "valid", "passed"]

    def create(self, validated_data):
        meeting = validated_data.pop("meeting")
        try:
            return services.record_motion(
                meeting, user=self.context["request"].user, **validated_data
            )
        except DjangoValidationError as error:
            raise _django_errors(error) from None


class TalkSerializer(_ScopedFieldsMixin, serializers.ModelSerializer):
    member_a = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.none(), help_text=_("One member of the pair.")
    )
    member_b = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.none(), help_text=_("The other member of the pair.")
    )
    scoped_fields = {"member_a": (Member, CHANGE), "member_b": (Member, CHANGE)}

    class Meta:
        model = Talk
        fields = [
            "id",
            "organization",
            "held_on",
            "member_a",
            "member_b",
            "a_on_committee",
            "b_on_committee",
            "note",
        ]
        read_only_fields = ["organization", "a_on_committee", "b_on_committee"]

    def create(self, validated_data):
        member = validated_data["member_a"]
        try:
            return services.record_talk(
                member.branch,
                user=self.context["request"].user,
                member=member,
                partner=validated_data["member_b"],
                held_on=validated_data["held_on"],
                note=validated_data.get("note", ""),
            )
        except DjangoValidationError as error:
            raise _django_errors(error) from None


class MemberReviewSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = MemberReview
        fields = [
            "id",
            "organization",
            "year",
            "member",
            "member_name",
            "meeting",
            "votes_excellent",
            "votes_qualified",
            "votes_basic",
            "votes_unqualified",
            "grade",
            "handling",
        ]
        read_only_fields = fields


class ComplianceSerializer(serializers.Serializer):
    organization_id = serializers.IntegerField()
    organization = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    rule = serializers.CharField()
    period = serializers.CharField(allow_null=True)
    required = serializers.IntegerField()
    due = serializers.IntegerField()
    held = serializers.IntegerField()
    covered = serializers.IntegerField()
    missing = serializers.IntegerField()
    late = serializers.IntegerField()
    quorum_failures = serializers.IntegerField()
    planned = serializers.IntegerField()
    ok = serializers.BooleanField()
