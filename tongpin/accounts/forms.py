from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from tongpin.orgs.models import Department, Organization

from . import services
from .models import DEPARTMENT_ROLES, ORGANIZATION_ROLES, PlatformRole, Role, User


class BootstrapMixin:
    """Bootstrap classes on every widget, so templates can render fields as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class LoginForm(BootstrapMixin, AuthenticationForm):
    """Django's login form, saying so when the account is locked (security.md 8.1.4.1)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "This account is locked after repeated failed logins until %(until)s. Try again "
            "then, or ask the security administrator to unlock it."
        ),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            until = services.locked_until(self.cleaned_data.get("username") or "")
            if until is not None:
                raise ValidationError(
                    self.error_messages["locked"],
                    code="locked",
                    params={
                        "until": formats.date_format(
                            timezone.localtime(until), "Y-m-d H:i", use_l10n=False
                        )
                    },
                ) from None
            raise


class PasswordChangeForm(BootstrapMixin, DjangoPasswordChangeForm):
    def clean(self):
        data = super().clean()
        old, new = data.get("old_password"), data.get("new_password1")
        if old and new and old == new:
            self.add_error("new_password1", _("The new password must differ from the old one."))
        return data

    def save(self, commit=True):
        services.change_password(self.user, self.cleaned_data["new_password1"])
        return self.user


# ---- system administrator ---------------------------------------------------------------


class AccountSearchForm(BootstrapMixin, forms.Form):
    STATUS_CHOICES = [
        ("", _("All")),
        ("active", _("Active")),
        ("inactive", _("Deactivated")),
        ("locked", _("Locked")),
    ]
    q = forms.CharField(label=_("Username or name"), required=False, max_length=150)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def accounts(self):
        users = User.objects.order_by("username")
        if not self.is_valid():
            return users.none()
        q = self.cleaned_data["q"].strip()
        if q:
            users = users.filter(username__icontains=q) | users.filter(full_name__icontains=q)
        status = self.cleaned_data["status"]
        if status == "active":
            users = users.filter(is_active=True)
        elif status == "inactive":
            users = users.filter(is_active=False)
        elif status == "locked":
            users = users.filter(locked_until__gt=timezone.now())
        return users


class AccountCreateForm(BootstrapMixin, forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[User.username_validator],
        help_text=_("Letters, digits and @/./+/-/_ only."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=50, required=False)
    member_name = forms.CharField(
        label=_("Link to the member named"),
        max_length=50,
        required=False,
        help_text=_("Optional: the exact name of a member on the roster who has no account yet."),
    )
    member = forms.TypedChoiceField(
        label=_("Which member"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = []
        name = (self.data.get("member_name") or "").strip() if self.is_bound else ""
        if name:
            self.candidates = list(services.unlinked_members(name)[:20])
            self.fields["member"].choices = [
                (m.pk, " · ".join(str(part) for part in (m.name, m.branch, m.department) if part))
                for m in self.candidates
            ]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("An account with this username already exists."))
        return username

    def clean(self):
        data = super().clean()
        data["member_obj"] = None
        if not data.get("member_name"):
            if not data.get("full_name") and "full_name" not in self.errors:
                self.add_error("full_name", _("Enter the full name or link a member."))
            return data
        if not self.candidates:
            self.add_error("member_name", _("No member of this name without an account was found."))
        elif len(self.candidates) == 1:
            data["member_obj"] = self.candidates[0]
        else:
            chosen = {m.pk: m for m in self.candidates}.get(data.get("member"))
            if chosen is None:
                self.add_error(
                    "member", _("Several members have this name: choose the one to link.")
                )
            data["member_obj"] = chosen
        return data


# ---- security administrator -------------------------------------------------------------


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "　" * (obj.depth - 1) + obj.name


class RoleGrantForm(BootstrapMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    # the tree and the departments are not personal data; the security administrator needs
    # them all to grant roles, although scoping shows platform administrators no domain rows
    organization = OrganizationChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.filter(is_active=True),
        required=False,
        help_text=_("For committee staff, branch secretaries and committee members."),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        help_text=_("For department heads."),
    )

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in ORGANIZATION_ROLES and not data.get("organization"):
            self.add_error("organization", _("This role is granted on an organization."))
        if role in DEPARTMENT_ROLES and not data.get("department"):
            self.add_error("department", _("This role is granted on a department."))
        return data


class PlatformRoleForm(BootstrapMixin, forms.Form):
    platform_role = forms.ChoiceField(
        label=_("Platform role"), choices=PlatformRole.choices, required=False
    )
