"""One filter set per list, shared by its page, its Excel export and the API (NetBox style).

Querysets arrive already restricted and annotated with ``state_value`` (``with_state``), so the
state filter is a plain comparison.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from tongpin.core.loops import LoopStage
from tongpin.orgs.models import Department, Organization, OrgKind

from .models import BusinessGoal, PartyTask, ResponsibilityList, TaskCategory, WorkState
from .services import linked_condition, subtree_goals

YES_NO = (("1", _("Yes")), ("0", _("No")))


def _organizations(request):
    if request is None:  # schema generation
        return Organization.objects.none()
    return Organization.objects.restrict(request.user).exclude(kind=OrgKind.GROUP)


def _departments(request):
    if request is None:
        return Department.objects.none()
    return Department.objects.restrict(request.user)


@extend_schema_field(OpenApiTypes.INT)
class SubtreeFilter(django_filters.ModelChoiceFilter):
    """An organization's id: keeps the rows of its whole subtree."""

    def __init__(self, *args, lookup="organization__path", **kwargs):
        self.path_lookup = lookup
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if value in (None, ""):
            return queryset
        return queryset.filter(**{f"{self.path_lookup}__startswith": value.path})


@extend_schema_field(OpenApiTypes.INT)
class GoalSubtreeFilter(django_filters.ModelChoiceFilter):
    """An organization's id: goals of the departments its subtree covers."""

    def filter(self, queryset, value):
        if value in (None, ""):
            return queryset
        return queryset.filter(pk__in=subtree_goals(value).values("pk"))


class BootstrapFilterSet(django_filters.FilterSet):
    """Bootstrap classes on the filter form's widgets, so the page renders them in one loop."""

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            css = "form-select" if hasattr(field, "choices") else "form-control"
            field.widget.attrs.setdefault("class", css)
        return form


class TaskFilterSet(BootstrapFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    org = SubtreeFilter(label=_("Organization"), queryset=_organizations)
    year = django_filters.NumberFilter(label=_("Year"))
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=WorkState.choices, field_name="state_value"
    )
    loop_stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=LoopStage.choices, method="filter_loop_stage"
    )
    category = django_filters.ChoiceFilter(label=_("Category"), choices=TaskCategory.choices)
    linked = django_filters.ChoiceFilter(
        label=_("Serves a business goal"), choices=YES_NO, method="filter_linked"
    )
    deployed = django_filters.ChoiceFilter(
        label=_("Deployed from above"), choices=YES_NO, method="filter_deployed"
    )
    parent = django_filters.NumberFilter(label=_("Deployed from task"), field_name="parent_id")

    class Meta:
        model = PartyTask
        fields = [
            "q", "org", "year", "state", "loop_stage", "category", "linked", "deployed", "parent"
        ]  # fmt: skip

    def filter_loop_stage(self, queryset, name, value):
        # an alias of its own: the queryset may already carry the loop_stage_value annotation
        return queryset.alias(loop_stage_filter=PartyTask.loop_stage_case()).filter(
            loop_stage_filter=value
        )

    def search(self, queryset, name, value):
        value = (value or "").strip()[:50]
        return queryset.filter(title__icontains=value) if value else queryset

    def filter_linked(self, queryset, name, value):
        if value == "1":
            return queryset.filter(linked_condition())
        if value == "0":
            return queryset.exclude(linked_condition())
        return queryset

    def filter_deployed(self, queryset, name, value):
        if value in ("0", "1"):
            return queryset.filter(parent__isnull=value == "0")
        return queryset


class GoalFilterSet(BootstrapFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    org = GoalSubtreeFilter(label=_("Organization"), queryset=_organizations)
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=_departments)
    year = django_filters.NumberFilter(label=_("Year"))
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=WorkState.choices, field_name="state_value"
    )
    supported = django_filters.ChoiceFilter(
        label=_("Party work behind it"), choices=YES_NO, method="filter_supported"
    )

    class Meta:
        model = BusinessGoal
        fields = ["q", "org", "department", "year", "state", "supported"]

    def search(self, queryset, name, value):
        value = (value or "").strip()[:50]
        return queryset.filter(Q(title__icontains=value)) if value else queryset

    def filter_supported(self, queryset, name, value):
        if value == "1":
            return queryset.filter(task_links__isnull=False).distinct()
        if value == "0":
            return queryset.filter(task_links__isnull=True)
        return queryset


class ResponsibilityListFilterSet(django_filters.FilterSet):
    # a plain string (not an enum) in the schema: "kind" is also the organization kind's name
    kind = django_filters.CharFilter(
        label=pgettext_lazy("responsibility", "Kind"),
        help_text="leadership_group, leader, agency_committee or branch",
    )

    class Meta:
        model = ResponsibilityList
        fields = ["year", "kind", "organization"]
