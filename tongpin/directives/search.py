"""Directives as a searchable source (study's full-text search indexes every registered source).

Visibility follows the directive's own scope: the organization that registered it and those who
read its subtree, nothing wider, so a hit never points at a page its reader cannot open.
"""

from django.urls import reverse


class DirectiveSource:
    public = True
    inherited = False

    def queryset(self):
        from .models import Directive

        return Directive.objects.select_related("organization")

    def title(self, obj):
        return obj.title

    def text(self, obj):
        return "\n".join(filter(None, [obj.source, obj.text]))

    def organization(self, obj):
        return obj.organization

    def url(self, obj):
        return reverse("directives:detail", args=[obj.pk])
