from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tongpin.core.scoping import CHANGE, VIEW

from .. import roster, services
from ..models import Department, Organization, OrgKind, Term, TermStatus


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """Accepts only rows the caller reaches for ``action``: others read as "does not exist"."""

    def __init__(self, *, action=VIEW, filters=None, **kwargs):
        self.action = action
        self.filters = filters or {}
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        queryset = super().get_queryset()
        if request is None:
            return queryset.none()
        return queryset.restrict(request.user, self.action).filter(**self.filters)


class ParentField(ScopedPrimaryKeyField):
    """The parent organization's id: read from the annotated ``parent_pk`` (no query per row)."""

    def get_attribute(self, instance):
        if hasattr(instance, "parent_pk"):
            return instance.parent_pk
        parent = Organization.objects.get_parent(instance)
        return parent.pk if parent is not None else None

    def to_representation(self, value):
        return value


class OrganizationSerializer(serializers.ModelSerializer):
    parent = ParentField(
        queryset=Organization.objects.all(),
        action=CHANGE,
        allow_null=True,
        required=False,
        help_text="Id of the parent organization (set on creation; use the move action later).",
    )
    member_count = serializers.IntegerField(read_only=True, default=None)
    full_member_count = serializers.IntegerField(source="full_count", read_only=True, default=None)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "parent",
            "depth",
            "numchild",
            "is_joint",
            "is_temporary",
            "is_active",
            "established_on",
            "note",
            "member_count",
            "full_member_count",
        ]
        read_only_fields = ["depth", "numchild"]

    def validate(self, attrs):
        if self.instance is None:
            parent = attrs.get("parent")
            if parent is None:
                raise serializers.ValidationError({"parent": _("Choose the parent organization.")})
            try:
                Organization(kind=attrs["kind"]).validate_parent(parent)
            except DjangoValidationError as error:
                raise serializers.ValidationError({"kind": error.messages}) from error
            kind = attrs["kind"]
        else:
            if "parent" in attrs:
                current = Organization.objects.get_parent(self.instance)
                if attrs["parent"] != current:
                    raise serializers.ValidationError(
                        {"parent": _("Use the move action to change the parent.")}
                    )
            if "kind" in attrs and attrs["kind"] != self.instance.kind:
                raise serializers.ValidationError({"kind": _("The kind cannot be changed.")})
            kind = self.instance.kind
        errors = services.flag_errors(
            kind,
            attrs.get("is_joint", getattr(self.instance, "is_joint", False)),
            attrs.get("is_temporary", getattr(self.instance, "is_temporary", False)),
        )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def create(self, validated_data):
        parent = validated_data.pop("parent")
        return services.add_child(parent, user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        fields = {k: v for k, v in validated_data.items() if k in services.ORGANIZATION_FIELDS}
        return services.update_organization(instance, user=self.context["request"].user, **fields)


class MoveSerializer(serializers.Serializer):
    parent = ScopedPrimaryKeyField(
        queryset=Organization.objects.all(),
        action=CHANGE,
        help_text="Id of the new parent organization, in the caller's change scope.",
    )
    reason = serializers.CharField(max_length=200)


class DepartmentSerializer(serializers.ModelSerializer):
    branch = ScopedPrimaryKeyField(
        queryset=Organization.objects.all(),
        action=CHANGE,
        filters={"kind": OrgKind.BRANCH},
        allow_null=True,
        required=False,
    )
    branch_name = serializers.CharField(source="branch.name", read_only=True, default=None)
    member_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Department
        fields = ["id", "name", "code", "sort_order", "branch", "branch_name", "member_count"]
        read_only_fields = ["name", "code", "sort_order"]

    def update(self, instance, validated_data):
        if "branch" not in validated_data:
            return instance
        return services.set_department_branch(
            instance, user=self.context["request"].user, branch=validated_data["branch"]
        )


class TermSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyField(queryset=Organization.objects.all())
    effective_end = serializers.DateField(read_only=True)
    status = serializers.SerializerMethodField(
        help_text="Rule ORG-05: ok, expiring, overdue or closed."
    )

    class Meta:
        model = Term
        fields = [
            "id",
            "organization",
            "body",
            "elected_on",
            "ends_on",
            "postponed_to",
            "postponement_approval",
            "is_current",
            "effective_end",
            "status",
        ]
        extra_kwargs = {"ends_on": {"required": False}}

    @extend_schema_field(serializers.ChoiceField(choices=TermStatus.choices))
    def get_status(self, term) -> str:
        return term.status(timezone.localdate())

    def validate(self, attrs):
        if (
            self.instance is not None
            and "organization" in attrs
            and attrs["organization"] != self.instance.organization
        ):
            raise serializers.ValidationError(
                {"organization": _("A term cannot move to another organization.")}
            )
        return attrs

    def save_term(self, term):
        return services.save_term(term, user=self.context["request"].user)

    def create(self, validated_data):
        return self.save_term(Term(**validated_data))

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self.save_term(instance)


class CommitteePostSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyField(queryset=Organization.objects.all())
    member = ScopedPrimaryKeyField(queryset=roster.member_model().objects.all())
    term = ScopedPrimaryKeyField(queryset=Term.objects.all(), allow_null=True, required=False)
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = roster.committee_post_model()
        fields = [
            "id",
            "organization",
            "member",
            "member_name",
            "post",
            "term",
            "started_on",
            "ended_on",
        ]

    def create(self, validated_data):
        validated_data.pop("ended_on", None)
        return services.add_committee_post(
            validated_data.pop("organization"),
            user=self.context["request"].user,
            **validated_data,
        )

    def update(self, instance, validated_data):
        changed = {
            k for k, v in validated_data.items() if k != "ended_on" and getattr(instance, k) != v
        }
        if changed:
            raise serializers.ValidationError(
                {
                    k: _("Only the end of a post can be changed; add a new post instead.")
                    for k in changed
                }
            )
        if validated_data.get("ended_on") is None:
            raise serializers.ValidationError({"ended_on": _("Give the date the post ends.")})
        return services.end_committee_post(
            instance, user=self.context["request"].user, ended_on=validated_data["ended_on"]
        )


class FindingSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="Rule id in rules.md, e.g. ORG-01.")
    severity = serializers.ChoiceField(choices=[("error", "error"), ("warning", "warning")])
    message = serializers.CharField()
    organization_id = serializers.IntegerField(allow_null=True)
    department_id = serializers.IntegerField(allow_null=True)
    member_id = serializers.IntegerField(allow_null=True)


class HealthReportSerializer(serializers.Serializer):
    date = serializers.DateField()
    errors = serializers.IntegerField()
    warnings = serializers.IntegerField()
    findings = FindingSerializer(many=True)
