"""Forms parse input; the rules themselves live in services (shared with the API and imports)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongpin.core.forms import DateInput
from tongpin.orgs.models import Organization

from . import services
from .models import ETHNIC_GROUPS, Member, Transfer


def _field(name, **kwargs):
    """The model field's form field (label, choices, length), with overrides."""
    return Member._meta.get_field(name).formfield(**kwargs)


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (unknown fields: the whole form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


class MemberForm(forms.Form):
    """The national system's basic fields. Birth date and gender may stay empty: the ID number
    holds them."""

    name = _field("name")
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        help_text=_("18 characters; the last may be X."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    gender = _field("gender", required=False)
    birth_date = _field("birth_date", required=False, widget=DateInput)
    ethnicity = forms.ChoiceField(
        label=Member._meta.get_field("ethnicity").verbose_name,
        choices=[(e, e) for e in ETHNIC_GROUPS],
        initial=ETHNIC_GROUPS[0],
    )
    education = _field("education", required=False)
    applied_on = _field("applied_on", widget=DateInput)
    joined_on = _field("joined_on", widget=DateInput)
    full_member_on = _field(
        "full_member_on",
        widget=DateInput,
        help_text=_("Empty for a probationary member."),
    )
    status = _field("status")
    branch = OrgChoiceField(label=_("Branch"), queryset=Organization.objects.none())
    group = OrgChoiceField(
        label=_("Party group"), queryset=Organization.objects.none(), required=False
    )
    department = forms.ModelChoiceField(
        label=pgettext_lazy("member", "Department"),
        queryset=Organization.objects.none(),
        required=False,
    )
    post = _field("post")
    job_level = _field("job_level", required=False)
    is_leading_cadre = _field("is_leading_cadre")
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    def __init__(self, *args, user, instance: Member | None = None, **kwargs):
        self.user = user
        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {name: getattr(instance, name) for name in services.MEMBER_FIELDS},
            )
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = services.member_branches(user)
        self.fields["group"].queryset = services.member_groups(user)
        self.fields["department"].queryset = services.member_departments(user)
        for name in ("birth_date", "gender"):
            self.fields[name].help_text = _("May be left empty: taken from the ID number.")
        if instance is not None:
            # the sealed numbers are never put into the page; empty keeps them
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": instance.id_number_masked
            }
            self.fields["phone"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": instance.phone_masked or "—"
            }
            # moving a member to another branch is a transfer, recorded as such
            self.fields["branch"].disabled = True
            self.fields["branch"].queryset = Organization.objects.filter(pk=instance.branch_id)
            self.fields["branch"].help_text = _("To move the member, record a transfer.")
            self.fields["group"].queryset = self.fields["group"].queryset.filter(
                path__startswith=instance.branch.path
            )
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def clean_id_number(self):
        return (self.cleaned_data.get("id_number") or "").strip().upper()

    def clean_phone(self):
        return (self.cleaned_data.get("phone") or "").strip()

    def member_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in services.MEMBER_FIELDS}
        for name in ("gender", "education", "job_level", "post"):
            data[name] = data[name] or ""
        return data

    def save(self) -> Member:
        """Create or update through the services; their errors land on the form's fields."""
        fields = self.member_fields()
        try:
            if self.instance is None:
                return services.create_member(
                    user=self.user,
                    id_number=self.cleaned_data["id_number"],
                    phone=self.cleaned_data["phone"],
                    **fields,
                )
            return services.update_member(
                self.instance,
                user=self.user,
                id_number=self.cleaned_data["id_number"] or None,
                phone=self.cleaned_data["phone"] or None,
                **fields,
            )
        except ValidationError as error:
            add_service_errors(self, error)
            raise


class TransferForm(forms.Form):
    to_branch = OrgChoiceField(label=_("Receiving branch"), queryset=Organization.objects.none())
    transferred_on = forms.DateField(
        label=Transfer._meta.get_field("transferred_on").verbose_name,
        widget=DateInput,
    )
    reason = forms.CharField(
        label=pgettext_lazy("transfer", "Reason"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. moved to another department")}),
    )

    def __init__(self, *args, member: Member, user, **kwargs):
        self.member = member
        self.user = user
        kwargs.setdefault("initial", {"transferred_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].queryset = services.transfer_targets().exclude(pk=member.branch_id)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def save(self):
        try:
            return services.transfer_member(
                self.member,
                self.cleaned_data["to_branch"],
                self.cleaned_data["transferred_on"],
                self.cleaned_data["reason"],
                self.user,
            )
        except ValidationError as error:
            add_service_errors(self, error)
            raise


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, save nothing"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
