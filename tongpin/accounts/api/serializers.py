from rest_framework import serializers

from tongpin.orgs.models import Department, Organization

from ..models import RoleAssignment, User


class RoleAssignmentSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="The role and where, in words.")
    # all organizations and departments: granting needs them, and they are not personal data
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "user",
            "role",
            "organization",
            "department",
            "label",
            "granted_by",
            "granted_at",
        ]
        read_only_fields = ["granted_by", "granted_at"]
        # uniqueness and the three-role rule are checked by the grant service
        validators = []


class MeSerializer(serializers.ModelSerializer):
    platform_role_label = serializers.CharField(source="get_platform_role_display")
    roles = RoleAssignmentSerializer(source="role_assignments", many=True)
    role_labels = serializers.ListField(child=serializers.CharField())
    member = serializers.SerializerMethodField()
    password_change_due = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "platform_role",
            "platform_role_label",
            "is_superuser",
            "roles",
            "role_labels",
            "member",
            "password_change_due",
            "last_login",
        ]
        read_only_fields = fields

    def get_member(self, user) -> int | None:
        member = getattr(user, "member", None)
        return member.pk if member is not None else None

    def get_password_change_due(self, user) -> bool:
        from ..services import password_change_due

        return password_change_due(user)
