"""One filter set for the member list page, its export and the API (NetBox's filtersets.py)."""

import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from tongpin.core import crypto
from tongpin.core.validators import normalize_id_number
from tongpin.orgs.models import Department, Organization, OrgKind

from .models import Education, Gender, Member, MemberStatus

_ID_LIKE = re.compile(r"^\d{17}[\dX]$")
YES_NO = (("1", _("Yes")), ("0", _("No")))


def _organizations(request):
    if request is None:  # schema generation
        return Organization.objects.none()
    return Organization.objects.restrict(request.user).exclude(kind=OrgKind.GROUP)


def _departments(request):
    if request is None:
        return Department.objects.none()
    return Department.objects.restrict(request.user)


def search_members(queryset, value: str):
    """Name contains ``value``; a full ID number matches exactly by its keyed digest.

    The ID number is never decrypted to search: its blind index is compared instead.
    """
    value = (value or "").strip()
    if not value:
        return queryset
    id_number = normalize_id_number(value)
    if _ID_LIKE.match(id_number):
        return queryset.filter(
            Q(id_number_digest=crypto.blind_index(id_number)) | Q(name__icontains=value)
        )
    return queryset.filter(name__icontains=value)


@extend_schema_field(OpenApiTypes.INT)
class SubtreeFilter(django_filters.ModelChoiceFilter):
    """An organization's id; keeps members of its whole subtree (a general branch: all its
    branches)."""

    def filter(self, queryset, value):
        if value in (None, ""):
            return queryset
        return queryset.filter(branch__path__startswith=value.path)


class MemberFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search", label=_("Name or ID number"), max_length=50
    )
    # the API's conventional name for the same search
    search = django_filters.CharFilter(
        method="filter_search", label=_("Name or ID number"), max_length=50
    )
    org = SubtreeFilter(
        queryset=_organizations,
        label=pgettext_lazy("member", "Organization"),
        empty_label=_("All organizations"),
    )
    department = django_filters.ModelChoiceFilter(
        queryset=_departments,
        label=pgettext_lazy("member", "Department"),
        empty_label=_("All departments"),
    )
    status = django_filters.ChoiceFilter(
        choices=MemberStatus.choices,
        label=pgettext_lazy("member", "Status"),
        empty_label=_("All statuses"),
    )
    is_leading_cadre = django_filters.ChoiceFilter(
        choices=YES_NO,
        method="filter_leading_cadre",
        label=_("Leading cadre"),
        empty_label=_("Leading cadre or not"),
    )
    gender = django_filters.ChoiceFilter(
        choices=Gender.choices, label=_("Gender"), empty_label=_("All genders")
    )
    education = django_filters.ChoiceFilter(
        choices=Education.choices, label=_("Education"), empty_label=_("All education levels")
    )

    class Meta:
        model = Member
        fields = ["q", "org", "department", "status", "is_leading_cadre", "gender", "education"]

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            for field in form.fields.values():
                css = "form-control" if isinstance(field, forms.CharField) else "form-select"
                field.widget.attrs.setdefault("class", css)
            form._styled = True
        return form

    def filter_search(self, queryset, name, value):
        return search_members(queryset, value)

    def filter_leading_cadre(self, queryset, name, value):
        return queryset.filter(is_leading_cadre=value == "1")
