"""Send users whose password is due for a change to the password page first."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .services import password_change_due


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and password_change_due(user)
            and not self._exempt(request.path)
        ):
            # the password page itself says why the user is there
            if request.path.startswith("/api/"):
                message = _("Your password must be changed before you continue.")
                return JsonResponse({"detail": message}, status=403)
            return redirect("accounts:password_change")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        allowed = (
            reverse("accounts:password_change"),
            reverse("accounts:logout"),
            reverse("accounts:login"),
        )
        return path in allowed or path.startswith(settings.STATIC_URL)
