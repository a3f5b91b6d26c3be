from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tongpin.core.loops import LoopStage
from tongpin.core.scoping import CHANGE, VIEW
from tongpin.members.models import Member
from tongpin.orgs.models import Department, Organization

from .. import services
from ..models import (
    BusinessGoal,
    GoalMeasurement,
    LeaderDepartment,
    PartyTask,
    ProgressUpdate,
    QuarterlyReview,
    ResponsibilityItem,
    ResponsibilityList,
    ResponsibilityTemplate,
    ResponsibilityTemplateItem,
    WorkState,
)


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """Accepts only rows the caller reaches for ``action``: others read as "does not exist"."""

    def __init__(self, *, action=VIEW, **kwargs):
        self.action = action
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        queryset = super().get_queryset()
        if request is None:
            return queryset.none()
        return queryset.restrict(request.user, self.action)


class GoalDepartmentField(serializers.PrimaryKeyRelatedField):
    """A department whose goals the caller may enter (committee staff, its head)."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Department.objects.none()
        return services.goal_departments(request.user)


class StateField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=WorkState.choices, read_only=True, **kwargs)

    def get_attribute(self, instance):
        return instance.state


class LoopStageField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=LoopStage.choices, read_only=True, **kwargs)

    def get_attribute(self, instance):
        return instance.loop_stage.value


class BusinessGoalSerializer(serializers.ModelSerializer):
    department = GoalDepartmentField(queryset=Department.objects.all())
    department_name = serializers.CharField(source="department.name", read_only=True)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.all(), allow_null=True, required=False
    )
    state = StateField(help_text="Derived from the dates and the actual values.")
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    deadline = serializers.DateField(required=False, help_text="Default: the end of the year.")

    class Meta:
        model = BusinessGoal
        fields = [
            "id",
            "year",
            "department",
            "department_name",
            "title",
            "description",
            "target_value",
            "unit",
            "actual_value",
            "percent",
            "deadline",
            "owner",
            "completed_on",
            "state",
        ]
        read_only_fields = ["actual_value", "completed_on"]

    def create(self, validated_data):
        department = validated_data.pop("department")
        return services.create_goal(
            user=self.context["request"].user, department=department, **validated_data
        )

    def update(self, instance, validated_data):
        return services.update_goal(instance, user=self.context["request"].user, **validated_data)


class GoalMeasurementSerializer(serializers.ModelSerializer):
    goal = ScopedPrimaryKeyField(queryset=BusinessGoal.objects.all(), action=CHANGE)

    class Meta:
        model = GoalMeasurement
        fields = ["id", "goal", "measured_on", "value", "note", "recorded_by"]
        read_only_fields = ["recorded_by"]

    def create(self, validated_data):
        goal = validated_data.pop("goal")
        return services.record_measurement(
            goal, user=self.context["request"].user, **validated_data
        )


class PartyTaskSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyField(
        queryset=Organization.objects.all(),
        action=CHANGE,
        help_text="Set on creation; must be in the caller's change scope.",
    )
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    goals = ScopedPrimaryKeyField(
        queryset=BusinessGoal.objects.all(),
        many=True,
        required=False,
        help_text="Business goals the task serves.",
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.all(), allow_null=True, required=False
    )
    state = StateField(help_text="Derived from the deadline and the progress.")
    loop_stage = LoopStageField(
        help_text="Closed-loop stage: deployed, implementing, reported (awaiting verification by "
        "the deploying level), verified, closed."
    )
    rollup = serializers.SerializerMethodField(
        help_text="Deployed children: total, done, overdue (null if not deployed)."
    )

    class Meta:
        model = PartyTask
        fields = [
            "id",
            "year",
            "organization",
            "organization_name",
            "title",
            "description",
            "category",
            "owner",
            "deadline",
            "progress",
            "completed_on",
            "goals",
            "parent",
            "source_review",
            "state",
            "loop_stage",
            "reported_on",
            "report_text",
            "verified_on",
            "verification_note",
            "returned_on",
            "closed_on",
            "rollup",
        ]
        read_only_fields = [
            "progress",
            "completed_on",
            "parent",
            "source_review",
            "reported_on",
            "report_text",
            "verified_on",
            "verification_note",
            "returned_on",
            "closed_on",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "total": {"type": "integer"},
                "done": {"type": "integer"},
                "overdue": {"type": "integer"},
            },
        }
    )
    def get_rollup(self, task):
        rollups = self.context.get("rollups")
        if rollups is None:
            rollups = services.rollups([task.pk], timezone.localdate())
        rollup = rollups.get(task.pk)
        if rollup is None:
            return None
        return {"total": rollup.total, "done": rollup.done, "overdue": rollup.overdue}

    def validate(self, attrs):
        moved = self.instance is not None and "organization" in attrs
        if moved and attrs["organization"] != self.instance.organization:
            raise serializers.ValidationError(
                {"organization": _("A task stays with its organization.")}
            )
        owner = attrs.get("owner")
        organization = attrs.get("organization") or getattr(self.instance, "organization", None)
        if (
            owner is not None
            and organization is not None
            and not services.owner_choices(organization).filter(pk=owner.pk).exists()
        ):
            raise serializers.ValidationError(
                {"owner": _("Choose a committee member or a member of the organization.")}
            )
        return attrs

    def create(self, validated_data):
        organization = validated_data.pop("organization")
        goals = validated_data.pop("goals", [])
        return services.create_task(
            user=self.context["request"].user,
            organization=organization,
            goals=goals,
            **validated_data,
        )

    def update(self, instance, validated_data):
        validated_data.pop("organization", None)
        goals = validated_data.pop("goals", None)
        return services.update_task(
            instance, user=self.context["request"].user, goals=goals, **validated_data
        )


class DeploySerializer(serializers.Serializer):
    organizations = ScopedPrimaryKeyField(
        queryset=Organization.objects.all(),
        action=CHANGE,
        many=True,
        required=False,
        help_text="Ids of organizations below the task's own; empty with all_branches.",
    )
    all_branches = serializers.BooleanField(
        default=False, help_text="Deploy to every branch below the task's organization."
    )
    deadline = serializers.DateField(required=False, allow_null=True)


class ProgressSerializer(serializers.Serializer):
    progress = serializers.IntegerField(min_value=0, max_value=100)
    text = serializers.CharField(required=False, allow_blank=True, default="")
    linked = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text='A record as evidence, "source:id", e.g. "work.task:12".',
    )
    reported_on = serializers.DateField(required=False, allow_null=True)


class CompletionSerializer(serializers.Serializer):
    text = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="The completion report."
    )
    linked = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text='A record as evidence, "source:id", e.g. "work.task:12".',
    )


class VerifySerializer(serializers.Serializer):
    passed = serializers.BooleanField(help_text="True: verified; false: sent back to implementing.")
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required when sending back."
    )


class ProgressUpdateSerializer(serializers.ModelSerializer):
    linked_type = serializers.CharField(source="linked_type.model", read_only=True, default="")
    author = serializers.CharField(source="author.username", read_only=True, default="")

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "task",
            "reported_on",
            "progress",
            "text",
            "linked_type",
            "linked_id",
            "linked_label",
            "author",
        ]
        read_only_fields = fields


class ResponsibilityItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResponsibilityItem
        fields = ["id", "order", "category", "text", "measures", "task"]
        read_only_fields = fields


@extend_schema_field(
    {
        "type": "string",
        "description": "One of leadership_group: the leadership group's primary responsibility; leader: "
        "a leader's dual duty; agency_committee: the agency committee; branch: a secretary's.",
    }
)
class ResponsibilityKindField(serializers.CharField):
    """A plain string in the schema: an enum named "kind" would collide with the organization
    kind's (drf-spectacular names enums by field name)."""


class ResponsibilityListSerializer(serializers.ModelSerializer):
    items = ResponsibilityItemSerializer(many=True, read_only=True)
    kind = ResponsibilityKindField(read_only=True)

    class Meta:
        model = ResponsibilityList
        fields = [
            "id",
            "year",
            "kind",
            "organization",
            "title",
            "holder",
            "holder_name",
            "holder_post",
            "departments",
            "issued_on",
            "items",
        ]
        read_only_fields = fields


class TemplateItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResponsibilityTemplateItem
        fields = ["id", "order", "category", "text"]
        read_only_fields = fields


class ResponsibilityTemplateSerializer(serializers.ModelSerializer):
    items = TemplateItemSerializer(many=True, read_only=True)
    kind = ResponsibilityKindField(read_only=True)

    class Meta:
        model = ResponsibilityTemplate
        fields = ["id", "kind", "name", "basis", "items"]
        read_only_fields = fields


class QuarterlyReviewSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyField(queryset=Organization.objects.all(), action=CHANGE)

    class Meta:
        model = QuarterlyReview
        fields = ["id", "organization", "year", "quarter", "held_on", "conclusion", "figures"]
        read_only_fields = ["figures"]
        validators = []  # the service says "already reviewed" in words

    def create(self, validated_data):
        return services.create_review(user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        raise serializers.ValidationError(_("A review is a record: add follow-up items instead."))


class LeaderDepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeaderDepartment
        fields = ["id", "leader", "department"]
        read_only_fields = fields


class FindingTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organization = serializers.IntegerField(source="organization_id")
    organization_name = serializers.CharField(source="organization.name")
    deadline = serializers.DateField()
    state = StateField()


class FindingGoalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    deadline = serializers.DateField()
    state = StateField()


class FusionSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization.pk")
    organization_name = serializers.CharField(source="organization.name")
    tasks = serializers.IntegerField()
    linked = serializers.IntegerField()
    ratio = serializers.IntegerField(allow_null=True)
    by_quarter = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    goals = serializers.IntegerField()
    supported = serializers.IntegerField()
    coverage = serializers.IntegerField(allow_null=True)


class DisconnectSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    unlinked_tasks = FindingTaskSerializer(many=True)
    unsupported_goals = FindingGoalSerializer(many=True)
    fusion = FusionSerializer(many=True)


class SupervisionSerializer(serializers.Serializer):
    date = serializers.DateField()
    tasks = FindingTaskSerializer(many=True)
    goals = FindingGoalSerializer(many=True)
