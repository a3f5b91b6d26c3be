from django.apps import apps

from .registry import navigation as navigation_registry


def _section_of(key: str, entry) -> str:
    if entry.section:
        return str(entry.section)
    label = key.split(".", 1)[0]
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return ""


def navigation(request):
    """Menu entries the current user may open, from the navigation registry.

    ``nav_entries`` is the flat list (home page cards); ``nav_sections`` groups it under the
    registering module's name, sections ordered by their first entry, so the sidebar stays short
    to scan however many modules register.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": [], "nav_sections": []}
    visible = sorted(
        ((key, entry) for key, entry in navigation_registry if entry.visible(user)),
        key=lambda item: item[1].order,
    )
    sections: dict[str, list] = {}
    for key, entry in visible:
        sections.setdefault(_section_of(key, entry), []).append(entry)
    return {
        "nav_entries": [entry for _key, entry in visible],
        "nav_sections": list(sections.items()),
    }
