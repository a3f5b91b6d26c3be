"""Members in the API: masked numbers out, full numbers accepted in and never returned."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tongpin.core.scoping import VIEW
from tongpin.orgs.models import Department, Organization, OrgKind

from .. import services
from ..models import Member, Transfer


def _django_errors(error: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(error.message_dict)
    return serializers.ValidationError({"non_field_errors": error.messages})


class MemberSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(
        write_only=True,
        required=False,
        max_length=18,
        help_text=_("Full ID number; accepted on write, never returned."),
    )
    phone = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=_("Full phone number; accepted on write, never returned."),
    )
    branch = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind=OrgKind.BRANCH)
    )
    group = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind=OrgKind.GROUP), required=False, allow_null=True
    )
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )
    gender = serializers.ChoiceField(
        choices=Member._meta.get_field("gender").choices,
        required=False,
        allow_blank=True,
        help_text=_("Taken from the ID number when empty."),
    )
    birth_date = serializers.DateField(
        required=False, allow_null=True, help_text=_("Taken from the ID number when empty.")
    )
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True, default=None)
    department_name = serializers.CharField(source="department.name", read_only=True, default=None)
    party_standing_years = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = [
            "id",
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "id_number",
            "id_number_masked",
            "education",
            "applied_on",
            "joined_on",
            "full_member_on",
            "status",
            "branch",
            "branch_name",
            "group",
            "group_name",
            "department",
            "department_name",
            "post",
            "job_level",
            "is_leading_cadre",
            "phone",
            "phone_masked",
            "party_standing_years",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id_number_masked", "phone_masked", "created_at", "updated_at"]

    @extend_schema_field(serializers.IntegerField(help_text=_("From full membership (DEV-16).")))
    def get_party_standing_years(self, member) -> int:
        return member.party_standing_years(timezone.localdate())

    def _fields(self, validated_data) -> dict:
        fields = {k: v for k, v in validated_data.items() if k in services.MEMBER_FIELDS}
        for name in ("gender", "education", "job_level", "post"):
            if name in fields and fields[name] is None:
                fields[name] = ""
        return fields

    def create(self, validated_data):
        user = self.context["request"].user
        if not validated_data.get("id_number"):
            raise serializers.ValidationError({"id_number": [_("Enter the ID number.")]})
        try:
            return services.create_member(
                user=user,
                id_number=validated_data["id_number"],
                phone=validated_data.get("phone", ""),
                **self._fields(validated_data),
            )
        except DjangoValidationError as error:
            raise _django_errors(error) from None

    def update(self, instance, validated_data):
        user = self.context["request"].user
        try:
            return services.update_member(
                instance,
                user=user,
                id_number=validated_data.get("id_number") or None,
                phone=validated_data.get("phone"),
                **self._fields(validated_data),
            )
        except DjangoValidationError as error:
            raise _django_errors(error) from None


class TransferSerializer(serializers.ModelSerializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.none())
    to_branch = serializers.PrimaryKeyRelatedField(queryset=services.transfer_targets())
    member_name = serializers.CharField(source="member.name", read_only=True)
    from_branch_name = serializers.CharField(source="from_branch.name", read_only=True)
    to_branch_name = serializers.CharField(source="to_branch.name", read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "member",
            "member_name",
            "from_branch",
            "from_branch_name",
            "to_branch",
            "to_branch_name",
            "transferred_on",
            "reason",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["from_branch", "recorded_by", "recorded_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # a member out of sight is "not found", the same as one that does not exist
            fields["member"].queryset = Member.objects.restrict(request.user, VIEW)
        return fields

    def create(self, validated_data):
        try:
            return services.transfer_member(
                validated_data["member"],
                validated_data["to_branch"],
                validated_data["transferred_on"],
                validated_data["reason"],
                self.context["request"].user,
            )
        except DjangoValidationError as error:
            raise _django_errors(error) from None
