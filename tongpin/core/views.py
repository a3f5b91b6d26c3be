from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .history import history_entries
from .scoping import VIEW


@login_required
def home(request):
    return render(request, "core/home.html")


def scoped_get(model, user, pk, action=VIEW):
    """The object if ``user`` may reach it for ``action``; 404 otherwise (no hint it exists)."""
    return get_object_or_404(model.objects.restrict(user, action), pk=pk)


def render_history(request, instance, back_url=""):
    return render(
        request,
        "core/history.html",
        {"object": instance, "entries": history_entries(instance), "back_url": back_url},
    )
