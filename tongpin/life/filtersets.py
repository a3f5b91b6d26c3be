"""One filter set per list, shared by its page, its export and the API (NetBox's filtersets.py)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from tongpin.orgs.models import Organization

from .models import Meeting, MeetingKind, MeetingStatus, Talk

YES_NO = (("1", _("Yes")), ("0", _("No")))


def _organizations(request):
    if request is None:  # schema generation
        return Organization.objects.none()
    return Organization.objects.restrict(request.user)


@extend_schema_field(OpenApiTypes.INT)
class SubtreeFilter(django_filters.ModelChoiceFilter):
    """An organization's id; keeps the rows of its whole subtree."""

    def __init__(self, *args, path_field="organization__path", **kwargs):
        self.path_field = path_field
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if value in (None, ""):
            return queryset
        return queryset.filter(**{f"{self.path_field}__startswith": value.path})


class MeetingFilterSet(django_filters.FilterSet):
    org = SubtreeFilter(
        queryset=_organizations, label=_("Organization"), empty_label=_("All organizations")
    )
    kind = django_filters.ChoiceFilter(
        choices=MeetingKind.choices,
        label=pgettext_lazy("meeting", "Kind"),
        empty_label=_("All kinds"),
    )
    status = django_filters.ChoiceFilter(
        choices=MeetingStatus.choices,
        label=pgettext_lazy("meeting", "Status"),
        empty_label=_("Any status"),
    )
    year = django_filters.NumberFilter(
        field_name="planned_on",
        lookup_expr="year",
        label=_("Year"),
        min_value=2000,
        max_value=2100,
    )
    to_record = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_to_record", label=_("To record"), empty_label="—"
    )

    class Meta:
        model = Meeting
        fields = ["org", "kind", "status", "year", "to_record"]

    def filter_to_record(self, queryset, name, value):
        """Planned meetings whose day has come: held, perhaps, but not yet recorded."""
        due = {"status": MeetingStatus.PLANNED, "planned_on__lte": timezone.localdate()}
        if value == "1":
            return queryset.filter(**due)
        if value == "0":
            return queryset.exclude(**due)
        return queryset


class TalkFilterSet(django_filters.FilterSet):
    org = SubtreeFilter(
        queryset=_organizations, label=_("Organization"), empty_label=_("All organizations")
    )
    year = django_filters.NumberFilter(
        field_name="held_on", lookup_expr="year", label=_("Year"), min_value=2000, max_value=2100
    )

    class Meta:
        model = Talk
        fields = ["org", "year"]
