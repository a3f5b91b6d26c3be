"""One filter set per model, shared by the API (and any list page that needs it)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from . import roster
from .models import Department, Organization, OrgKind, Term


def _organizations(request):
    if request is None:  # schema generation
        return Organization.objects.none()
    return Organization.objects.restrict(request.user)


class OrganizationFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=OrgKind.choices, label=_("Kind"))
    parent = django_filters.ModelChoiceFilter(
        queryset=_organizations, method="filter_parent", label=_("Parent organization")
    )
    within = django_filters.ModelChoiceFilter(
        queryset=_organizations, method="filter_within", label=_("Within (subtree)")
    )
    q = django_filters.CharFilter(method="filter_q", max_length=50, label=_("Name"))

    class Meta:
        model = Organization
        fields = ["kind", "parent", "within", "is_active", "q"]

    @extend_schema_field(OpenApiTypes.INT)
    def filter_parent(self, queryset, name, value):
        return queryset.filter(path__startswith=value.path, depth=value.depth + 1)

    @extend_schema_field(OpenApiTypes.INT)
    def filter_within(self, queryset, name, value):
        return queryset.filter(path__startswith=value.path)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))


class DepartmentFilterSet(django_filters.FilterSet):
    uncovered = django_filters.BooleanFilter(
        field_name="branch", lookup_expr="isnull", label=_("Without a covering branch")
    )

    class Meta:
        model = Department
        fields = ["branch", "uncovered"]


class TermFilterSet(django_filters.FilterSet):
    organization = django_filters.ModelChoiceFilter(
        queryset=_organizations, label=pgettext_lazy("orgs", "Organization")
    )

    class Meta:
        model = Term
        fields = ["organization", "body", "is_current"]


def _members(request):
    if request is None:
        return roster.member_model().objects.none()
    return roster.member_model().objects.restrict(request.user)


class CommitteePostFilterSet(django_filters.FilterSet):
    organization = django_filters.ModelChoiceFilter(
        queryset=_organizations, label=pgettext_lazy("orgs", "Organization")
    )
    member = django_filters.ModelChoiceFilter(queryset=_members, label=_("Member"))
    current = django_filters.BooleanFilter(method="filter_current", label=_("Current posts only"))

    class Meta:
        model = roster.committee_post_model()
        fields = ["organization", "post", "member", "current"]

    def filter_current(self, queryset, name, value):
        from django.utils import timezone

        current = Q(started_on__lte=timezone.localdate()) & (
            Q(ended_on__isnull=True) | Q(ended_on__gte=timezone.localdate())
        )
        return queryset.filter(current) if value else queryset.exclude(current)
