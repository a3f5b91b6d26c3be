from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .audit import record_event
from .history import history_entries
from .models import AuditEvent
from .scoping import VIEW


@login_required
@require_GET
def home(request):
    """Landing page: who the user is here, and a card for each page the menu offers them."""
    user = request.user
    # the account model (accounts app) says the roles in words; core does not import it
    role_labels = user.role_labels() if hasattr(user, "role_labels") else []
    return render(request, "core/home.html", {"role_labels": role_labels})


def user_passes_or_403(test):
    """Log-in required, then 403 unless ``test(user)``; a refusal is an audited security event."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not test(request.user):
                record_event(
                    AuditEvent.Kind.DENIED,
                    request=request,
                    success=False,
                    summary=request.path[:500],
                    detail={"method": request.method},
                )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def scoped_get(model, user, pk, action=VIEW):
    """The object if ``user`` may reach it for ``action``; 404 otherwise (no hint it exists)."""
    return get_object_or_404(model.objects.restrict(user, action), pk=pk)


def render_history(request, instance, back_url=""):
    return render(
        request,
        "core/history.html",
        {"object": instance, "entries": history_entries(instance), "back_url": back_url},
    )
