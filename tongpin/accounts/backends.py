"""Password login with lockout after repeated failures (security.md 8.1.4.1)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import services


class AccountLocked(PermissionDenied):
    """Raised for a locked account: Django stops trying backends and reports a failed login."""


class LockoutBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        UserModel = get_user_model()
        if username is None:
            username = kwargs.get(UserModel.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            user = UserModel._default_manager.get_by_natural_key(username)
        except UserModel.DoesNotExist:
            UserModel().set_password(password)  # same time as for a real account (#20760)
            return None
        if user.is_locked():
            # refused before the password is checked, so guessing on cannot succeed
            raise AccountLocked
        if not user.check_password(password):
            services.register_login_failure(user)
            return None
        if not self.user_can_authenticate(user):
            return None
        if user.failed_logins or user.locked_until:
            services.clear_login_failures(user)
        return user
