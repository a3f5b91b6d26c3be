"""Who may open domain pages at all: logged-in people doing party work, not platform admins.

Three-role separation (security.md) keeps the system, security and audit administrators away
from members' data; scoping would show them empty lists, but a clear 403 says why.
"""

from rest_framework.permissions import BasePermission

from .roles import is_domain_user

__all__ = ["IsDomainUser", "domain_view", "is_domain_user"]


def domain_view(view):
    """Log-in required, then a 403 (an audited refusal) for platform administrators."""
    from .views import user_passes_or_403

    return user_passes_or_403(is_domain_user)(view)


class IsDomainUser(BasePermission):
    message = "平台管理员（系统、安全、审计管理员）不处理业务数据（三员分立）。"

    def has_permission(self, request, view):
        return is_domain_user(request.user)
