from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from tongpin.core.access import IsDomainUser
from tongpin.core.api import RestrictedModelViewSet, RestrictedReadOnlyViewSet
from tongpin.core.scoping import VIEW
from tongpin.orgs.models import Organization, OrgKind

from .. import services
from ..filtersets import GoalFilterSet, ResponsibilityListFilterSet, TaskFilterSet
from ..models import (
    BusinessGoal,
    GoalMeasurement,
    LeaderDepartment,
    PartyTask,
    ProgressUpdate,
    QuarterlyReview,
    ResponsibilityList,
    ResponsibilityTemplate,
    ResponsibilityTemplateItem,
)
from . import serializers as work_serializers

NO_DELETE = ["get", "post", "put", "patch", "head", "options"]


class BusinessGoalViewSet(RestrictedModelViewSet):
    """Business goals (重点工作) of departments. Committee staff and a department's head enter
    and change them; everyone reads those of their scope. ``state`` is derived."""

    queryset = BusinessGoal.objects.select_related("department")
    serializer_class = work_serializers.BusinessGoalSerializer
    filterset_class = GoalFilterSet
    http_method_names = NO_DELETE

    def get_queryset(self):
        return super().get_queryset().with_state(timezone.localdate()).order_by("year", "pk")


class GoalMeasurementViewSet(mixins.CreateModelMixin, RestrictedReadOnlyViewSet):
    """Actual values of business goals over time; POST records one (the goal keeps the latest)."""

    queryset = GoalMeasurement.objects.select_related("goal")
    serializer_class = work_serializers.GoalMeasurementSerializer
    filterset_fields = ["goal"]

    def get_queryset(self):
        # recording goes through the goal's change check in the serializer, reads by VIEW
        return GoalMeasurement.objects.restrict(self.request.user, VIEW).order_by("pk")


class PartyTaskViewSet(RestrictedModelViewSet):
    """Party tasks of organizations in the caller's scope, with the goals they serve and the
    roll-up of their deployment. ``deploy`` cascades a task down the tree; ``progress``
    reports progress with evidence."""

    queryset = PartyTask.objects.select_related("organization")
    serializer_class = work_serializers.PartyTaskSerializer
    filterset_class = TaskFilterSet
    http_method_names = NO_DELETE

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .with_state(timezone.localdate())
            .prefetch_related(Prefetch("goals", queryset=BusinessGoal.objects.only("pk")))
            .order_by("deadline", "pk")
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        items = page if page is not None else list(queryset)
        context = self.get_serializer_context()
        context["rollups"] = services.rollups([t.pk for t in items], timezone.localdate())
        data = self.get_serializer_class()(items, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def get_object(self):
        # reads and actions find the task by VIEW; changing it checks CHANGE in the service
        queryset = PartyTask.objects.restrict(self.request.user, VIEW).with_state(
            timezone.localdate()
        )
        task = (
            queryset.filter(pk=self.kwargs.get("pk")).first()
            if str(self.kwargs.get("pk", "")).isdigit()
            else None
        )
        if task is None:
            raise NotFound
        self.check_object_permissions(self.request, task)
        return task

    def update(self, request, *args, **kwargs):
        task = self.get_object()
        if not services.can_change_task(request.user, task):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied
        return super().update(request, *args, **kwargs)

    @extend_schema(
        request=work_serializers.DeploySerializer,
        responses={201: work_serializers.PartyTaskSerializer(many=True)},
    )
    @action(detail=True, methods=["post"])
    def deploy(self, request, pk=None):
        task = self.get_object()
        payload = work_serializers.DeploySerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        targets = list(payload.validated_data.get("organizations") or [])
        if payload.validated_data["all_branches"]:
            targets += list(services.deploy_targets(request.user, task).filter(kind=OrgKind.BRANCH))
        if not targets:
            raise serializers.ValidationError(
                {"organizations": [_("Choose at least one organization.")]}
            )
        children = services.deploy_task(
            task,
            user=request.user,
            targets={t.pk: t for t in targets}.values(),
            deadline=payload.validated_data.get("deadline"),
        )
        data = self.get_serializer_class()(
            children, many=True, context={**self.get_serializer_context(), "rollups": {}}
        ).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=work_serializers.ProgressSerializer,
        responses={201: work_serializers.ProgressUpdateSerializer},
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        task = self.get_object()
        payload = work_serializers.ProgressSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        update = services.report_progress(
            task,
            user=request.user,
            files=request.FILES.getlist("files"),
            **payload.validated_data,
        )
        return Response(
            work_serializers.ProgressUpdateSerializer(update).data, status=status.HTTP_201_CREATED
        )

    # ---- the closed loop -------------------------------------------------------------------

    def _task_data(self, task):
        task = PartyTask.objects.with_state(timezone.localdate()).get(pk=task.pk)
        return self.get_serializer_class()(task, context=self.get_serializer_context()).data

    @extend_schema(
        request=work_serializers.CompletionSerializer,
        responses={200: work_serializers.PartyTaskSerializer},
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        """报告完成 with evidence (multipart ``files`` too): a deployed task then awaits the
        deploying level's verification; a task of the organization's own is closed."""
        task = self.get_object()
        payload = work_serializers.CompletionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.report_completion(
            task, user=request.user, files=request.FILES.getlist("files"), **payload.validated_data
        )
        return Response(self._task_data(task))

    @extend_schema(
        request=work_serializers.VerifySerializer,
        responses={200: work_serializers.PartyTaskSerializer},
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """核验 by the deploying level: passed, or sent back with a note."""
        task = self.get_object()
        payload = work_serializers.VerifySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.verify_task(task, user=request.user, **payload.validated_data)
        return Response(self._task_data(task))

    @extend_schema(request=None, responses={200: work_serializers.PartyTaskSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """销号 of a verified task by the deploying level."""
        task = self.get_object()
        services.close_task(task, user=request.user)
        return Response(self._task_data(task))


class ProgressUpdateViewSet(RestrictedReadOnlyViewSet):
    """Progress updates with their evidence (text, linked record)."""

    queryset = ProgressUpdate.objects.select_related("linked_type", "author")
    serializer_class = work_serializers.ProgressUpdateSerializer
    filterset_fields = ["task"]


class ResponsibilityListViewSet(RestrictedReadOnlyViewSet):
    """Responsibility lists (rule JG-12) with their duties."""

    queryset = ResponsibilityList.objects.prefetch_related("items", "departments")
    serializer_class = work_serializers.ResponsibilityListSerializer
    filterset_class = ResponsibilityListFilterSet


class ResponsibilityTemplateViewSet(RestrictedReadOnlyViewSet):
    """The templates lists are generated from (agency-wide readers only)."""

    queryset = ResponsibilityTemplate.objects.prefetch_related(
        Prefetch("items", queryset=ResponsibilityTemplateItem.objects.order_by("order"))
    )
    serializer_class = work_serializers.ResponsibilityTemplateSerializer


class QuarterlyReviewViewSet(mixins.CreateModelMixin, RestrictedReadOnlyViewSet):
    """Quarterly reviews of business targets and party tasks together; POST records one."""

    queryset = QuarterlyReview.objects.select_related("organization")
    serializer_class = work_serializers.QuarterlyReviewSerializer
    filterset_fields = ["organization", "year", "quarter"]

    def get_queryset(self):
        return QuarterlyReview.objects.restrict(self.request.user, VIEW)


class LeaderDepartmentViewSet(RestrictedReadOnlyViewSet):
    """Departments each agency leader is in charge of (their dual duty)."""

    queryset = LeaderDepartment.objects.all()
    serializer_class = work_serializers.LeaderDepartmentSerializer


class YearOrgQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    org = serializers.IntegerField(required=False, min_value=1)


def _organization(request, value):
    if value is None:
        return None
    organization = (
        Organization.objects.restrict(request.user, VIEW)
        .exclude(kind=OrgKind.GROUP)
        .filter(pk=value)
        .first()
    )
    if organization is None:
        raise NotFound
    return organization


@extend_schema(
    parameters=[
        OpenApiParameter("year", int, description="Plan year (default: this year)."),
        OpenApiParameter("org", int, description="Limit to this organization's subtree."),
    ],
    responses=work_serializers.DisconnectSerializer,
)
class DisconnectViewSet(viewsets.ViewSet):
    """The disconnect (两张皮) check: party tasks serving no business goal, goals no party work
    serves, and the fusion ratio of each organization directly below ``org``."""

    permission_classes = [IsDomainUser]

    def list(self, request):
        query = YearOrgQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year", timezone.localdate().year)
        organization = _organization(request, query.validated_data.get("org"))
        tasks = PartyTask.objects.restrict(request.user).filter(year=year)
        goals = BusinessGoal.objects.restrict(request.user).filter(year=year)
        if organization is not None:
            tasks = tasks.filter(organization__path__startswith=organization.path)
            goals = goals.filter(pk__in=services.subtree_goals(organization).values("pk"))
            rows_for = (
                Organization.objects.restrict(request.user)
                .filter(path__startswith=organization.path, depth__lte=organization.depth + 1)
                .exclude(kind=OrgKind.GROUP)
            )
        else:
            rows_for = (
                Organization.objects.restrict(request.user).exclude(kind=OrgKind.GROUP)
            ).order_by("depth", "path")[:1]
        today = timezone.localdate()
        report = {
            "year": year,
            "unlinked_tasks": services.unlinked_tasks(tasks)
            .with_state(today)
            .select_related("organization")
            .order_by("organization__path", "pk"),
            "unsupported_goals": services.unsupported_goals(goals)
            .with_state(today)
            .select_related("department")
            .order_by("department__sort_order", "pk"),
            "fusion": services.fusion_rows(request.user, year, rows_for),
        }
        return Response(work_serializers.DisconnectSerializer(report).data)


@extend_schema(
    parameters=[OpenApiParameter("org", int, description="Limit to this organization's subtree.")],
    responses=work_serializers.SupervisionSerializer,
)
class SupervisionViewSet(viewsets.ViewSet):
    """Supervision (督办): open tasks and goals that are overdue or due soon, in scope."""

    permission_classes = [IsDomainUser]

    def list(self, request):
        query = YearOrgQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        organization = _organization(request, query.validated_data.get("org"))
        today = timezone.localdate()
        tasks = services.supervised_tasks(request.user, today)
        goals = services.supervised_goals(request.user, today)
        if organization is not None:
            tasks = tasks.filter(organization__path__startswith=organization.path)
            goals = goals.filter(pk__in=services.subtree_goals(organization).values("pk"))
        report = {"date": today, "tasks": tasks, "goals": goals}
        return Response(work_serializers.SupervisionSerializer(report).data)
