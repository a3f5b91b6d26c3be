from .registry import navigation as navigation_registry


def navigation(request):
    """Menu entries the current user may open, from the navigation registry."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": []}
    entries = [entry for _key, entry in navigation_registry if entry.visible(user)]
    return {"nav_entries": sorted(entries, key=lambda e: e.order)}
