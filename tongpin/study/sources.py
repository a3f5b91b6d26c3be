"""The search sources the study app registers: its own materials, and meeting minutes (``life``
lies below ``study``, so study indexes them without ``life`` knowing)."""

from django.urls import reverse


class MaterialSource:
    """Library materials; one of an organization is read by the organizations below it."""

    public = True
    inherited = True

    def queryset(self):
        from .models import Material

        return Material.objects.select_related("organization")

    def title(self, obj):
        return obj.title

    def text(self, obj):
        return "\n".join(filter(None, [obj.source, obj.tags, obj.body]))

    def organization(self, obj):
        return obj.organization

    def url(self, obj):
        return reverse("study:material", args=[obj.pk])


class MinutesSource:
    """Minutes of held meetings: for those who look after the organization (the minutes as a
    document are not shown to ordinary members, so neither is a search hit in them)."""

    public = False
    inherited = False

    def queryset(self):
        from tongpin.life.models import Meeting, MeetingStatus

        return (
            Meeting.objects.filter(status=MeetingStatus.HELD)
            .exclude(minutes="")
            .select_related("organization")
        )

    def title(self, obj):
        return f"{obj.title or obj.get_kind_display()} ({obj.held_on:%Y-%m-%d})"

    def text(self, obj):
        return "\n".join(filter(None, [obj.agenda, obj.minutes, obj.decisions]))

    def organization(self, obj):
        return obj.organization

    def url(self, obj):
        return reverse("life:detail", args=[obj.pk])
