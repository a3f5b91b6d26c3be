"""Login, the user's own profile, and the pages of the three platform roles (三员分立).

Views parse the request and call :mod:`.services`; every change is audited there.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tongpin.core.views import user_passes_or_403

from . import services
from .forms import (
    AccountCreateForm,
    AccountSearchForm,
    LoginForm,
    PasswordChangeForm,
    PlatformRoleForm,
    RoleGrantForm,
)
from .models import PlatformRole, RoleAssignment, User

PAGE_SIZE = 50

system_admin_only = user_passes_or_403(lambda user: user.acts_as(PlatformRole.SYSTEM_ADMIN))
security_admin_only = user_passes_or_403(lambda user: user.acts_as(PlatformRole.SECURITY_ADMIN))


def _error_text(error: ValidationError) -> str:
    return "；".join(error.messages)


def _no_store(response):
    """One-time secrets (passwords, tokens) must not stay in any cache."""
    response["Cache-Control"] = "no-store"
    return response


# ---- login, logout, own password ---------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only; Django's logout flushes the server-side session (security.md)."""


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["change_due"] = services.password_change_due(self.request.user)
        context["must_change"] = self.request.user.must_change_password
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


# ---- profile and API token ----------------------------------------------------------------


def _render_profile(request, new_token=None):
    from rest_framework.authtoken.models import Token

    user = request.user
    response = render(
        request,
        "accounts/profile.html",
        {
            "role_labels": user.role_labels(),
            "token": Token.objects.filter(user=user).first(),
            "new_token": new_token,
        },
    )
    return _no_store(response) if new_token else response


@login_required
@require_GET
def profile(request):
    return _render_profile(request)


@login_required
@require_POST
def api_token(request):
    if request.POST.get("action") == "revoke":
        services.revoke_api_token(request.user)
        messages.success(request, _("Your API token has been revoked."))
        return redirect("accounts:profile")
    # shown in this response only: never stored in the session or shown again
    return _render_profile(request, new_token=services.issue_api_token(request.user))


# ---- system administrator: accounts ------------------------------------------------------


@system_admin_only
@require_GET
def user_list(request):
    form = AccountSearchForm(request.GET)
    page = Paginator(form.accounts(), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/user_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@never_cache
@system_admin_only
def user_create(request):
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.create_account(
                request.user,
                username=data["username"],
                full_name=data["full_name"],
                member=data["member_obj"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            return _no_store(
                render(
                    request,
                    "accounts/password_issued.html",
                    {"account": user, "password": password, "created": True},
                )
            )
    return render(request, "accounts/user_form.html", {"form": form})


@system_admin_only
@require_GET
def user_detail(request, pk):
    account = get_object_or_404(User, pk=pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            # roles only: the holder's party membership is domain data, not the sysadmin's
            "role_labels": account.role_labels(include_member=False),
            "protected": (account.is_superuser or account.platform_role)
            and not request.user.is_superuser,
        },
    )


@system_admin_only
@require_POST
def user_set_active(request, pk):
    account = get_object_or_404(User, pk=pk)
    if request.POST.get("active") not in ("0", "1"):
        messages.error(request, _("Invalid request."))
        return redirect("accounts:user_detail", pk=pk)
    active = request.POST["active"] == "1"
    try:
        services.set_active(request.user, account, active)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("The account has been reactivated.") if active else _("The account is deactivated."),
        )
    return redirect("accounts:user_detail", pk=pk)


@system_admin_only
@require_POST
@never_cache
def user_reset_password(request, pk):
    account = get_object_or_404(User, pk=pk)
    try:
        password = services.reset_password(request.user, account)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("accounts:user_detail", pk=pk)
    return _no_store(
        render(
            request,
            "accounts/password_issued.html",
            {"account": account, "password": password, "created": False},
        )
    )


# ---- security administrator: roles, platform roles, unlocking ----------------------------


@security_admin_only
@require_GET
def role_list(request):
    form = AccountSearchForm(request.GET)
    accounts = form.accounts().prefetch_related(
        "role_assignments__organization", "role_assignments__department"
    )
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/role_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _render_role_user(request, account, grant_form=None, platform_form=None, status=200):
    return render(
        request,
        "accounts/role_user.html",
        {
            "account": account,
            "assignments": account.role_assignments.select_related(
                "organization", "department", "granted_by"
            ).order_by("granted_at"),
            "grant_form": grant_form or RoleGrantForm(),
            "platform_form": platform_form
            or PlatformRoleForm(initial={"platform_role": account.platform_role}),
        },
        status=status,
    )


@security_admin_only
@require_GET
def role_user(request, pk):
    return _render_role_user(request, get_object_or_404(User, pk=pk))


@security_admin_only
@require_POST
def role_grant(request, pk):
    account = get_object_or_404(User, pk=pk)
    form = RoleGrantForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_role(
                request.user, account, data["role"], data["organization"], data["department"]
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The role has been granted."))
            return redirect("accounts:role_user", pk=pk)
    return _render_role_user(request, account, grant_form=form, status=400)


@security_admin_only
@require_POST
def role_revoke(request, pk):
    assignment = get_object_or_404(RoleAssignment.objects.select_related("user"), pk=pk)
    services.revoke_role(request.user, assignment)
    messages.success(request, _("The role has been revoked."))
    return redirect("accounts:role_user", pk=assignment.user_id)


@security_admin_only
@require_POST
def platform_role(request, pk):
    account = get_object_or_404(User, pk=pk)
    form = PlatformRoleForm(request.POST)
    if form.is_valid():
        try:
            services.set_platform_role(request.user, account, form.cleaned_data["platform_role"])
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The platform role has been saved."))
            return redirect("accounts:role_user", pk=pk)
    return _render_role_user(request, account, platform_form=form, status=400)


@security_admin_only
@require_POST
def unlock(request, pk):
    account = get_object_or_404(User, pk=pk)
    services.unlock_account(request.user, account)
    messages.success(request, _("The account is unlocked."))
    return redirect("accounts:role_user", pk=pk)
