"""Forms of the organization pages. They parse and show errors; the rules live in services."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongpin.core.forms import BootstrapMixin, DateInput, TreeChoiceField

from . import roster, services
from .models import ALLOWED_PARENTS, Department, Organization, OrgKind, Term

ORG_WIDGETS = {
    "established_on": DateInput(),
    "note": forms.Textarea(attrs={"rows": 3}),
}


class OrganizationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "name",
            "short_name",
            "established_on",
            "is_joint",
            "is_temporary",
            "is_active",
            "note",
        ]
        widgets = ORG_WIDGETS

    def clean(self):
        data = super().clean()
        for field, message in services.flag_errors(
            self.instance.kind, data.get("is_joint"), data.get("is_temporary")
        ).items():
            self.add_error(field, message)
        return data


class ChildForm(BootstrapMixin, forms.ModelForm):
    """A new organization under ``parent``; its kind is judged by ``validate_parent``."""

    class Meta:
        model = Organization
        fields = [
            "kind",
            "name",
            "short_name",
            "established_on",
            "is_joint",
            "is_temporary",
            "note",
        ]
        widgets = ORG_WIDGETS

    def __init__(self, *args, parent: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        allowed = [k for k, parents in ALLOWED_PARENTS.items() if parent.kind in parents]
        if allowed and not self.is_bound:
            self.initial.setdefault("kind", allowed[0].value)
        self.fields["kind"].help_text = _("Under %(parent)s you can set up: %(kinds)s.") % {
            "parent": parent,
            "kinds": "、".join(str(k.label) for k in allowed) or "—",
        }

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind:
            try:
                Organization(kind=kind).validate_parent(self.parent)
            except ValidationError as error:
                self.add_error("kind", error.messages)
            for field, message in services.flag_errors(
                kind, data.get("is_joint"), data.get("is_temporary")
            ).items():
                self.add_error(field, message)
        return data


class MoveForm(BootstrapMixin, forms.Form):
    new_parent = TreeChoiceField(
        queryset=Organization.objects.none(),
        label=_("New parent organization"),
        empty_label=None,
    )
    reason = forms.CharField(
        label=pgettext_lazy("move", "Reason"),
        max_length=200,
        help_text=_("E.g. the approval that sets the new relationship (理顺隶属关系)."),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = choices

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give a reason for the move."))
        return reason


class TermForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Term
        fields = [
            "body",
            "elected_on",
            "ends_on",
            "postponed_to",
            "postponement_approval",
            "is_current",
        ]
        widgets = {
            "elected_on": DateInput(),
            "ends_on": DateInput(),
            "postponed_to": DateInput(),
        }

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        ends_on = self.fields["ends_on"]
        ends_on.required = False
        ends_on.help_text = _("Leave empty for the usual %(years)s years (rule ORG-05).") % {
            "years": organization.term_years or 3
        }
        self.fields["postponement_approval"].help_text = _(
            "Document number of the upper level's approval (rule ORG-05)."
        )
        if organization.kind != OrgKind.AGENCY_COMMITTEE:
            self.fields["body"].choices = [
                c for c in self.fields["body"].choices if c[0] == Term.Body.COMMITTEE
            ]

    def clean(self):
        data = super().clean()
        if not data.get("ends_on") and data.get("elected_on"):
            data["ends_on"] = services.default_term_end(
                self.instance.organization, data["elected_on"]
            )
        return data


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        label = f"{obj.name}（{obj.branch.name}）"
        if obj.status == roster.PROBATIONARY_STATUS:
            label += "　" + str(_("probationary member"))
        return label


class CommitteePostForm(BootstrapMixin, forms.Form):
    post = forms.ChoiceField(label=_("Post"))
    member = MemberChoiceField(queryset=None, label=_("Member"))
    term = forms.ModelChoiceField(
        queryset=Term.objects.none(), label=_("Term"), required=False, empty_label="—"
    )
    started_on = forms.DateField(label=pgettext_lazy("post", "From"), widget=DateInput())

    def __init__(self, *args, organization: Organization, user, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        post_model = roster.committee_post_model()
        self.fields["post"].choices = post_model.Post.choices
        self.fields["member"].queryset = roster.subtree_members(organization, user)
        terms = Term.objects.restrict(user).filter(
            organization=organization, body=Term.Body.COMMITTEE
        )
        self.fields["term"].queryset = terms
        current = next((t for t in terms if t.is_current), None)
        if not self.is_bound:
            self.initial.setdefault("started_on", today)
            if current is not None:
                self.initial.setdefault("term", current.pk)


class EndPostForm(BootstrapMixin, forms.Form):
    ended_on = forms.DateField(label=pgettext_lazy("post", "Until"), widget=DateInput())


class DepartmentForm(BootstrapMixin, forms.ModelForm):
    branch = TreeChoiceField(
        queryset=Organization.objects.none(),
        label=_("Covering branch"),
        required=False,
        empty_label=_("— none —"),
    )

    class Meta:
        model = Department
        fields = ["branch"]

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class HealthFilterForm(forms.Form):
    org = TreeChoiceField(
        queryset=Organization.objects.none(),
        label=pgettext_lazy("orgs", "Organization"),
        required=False,
        empty_label=_("All I can see"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = organizations
