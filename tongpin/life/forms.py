"""Forms of the organizational-life pages. They parse and show errors; the rules live in
services. Every choice list is limited to the user's scope."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongpin.core import first_items
from tongpin.core.forms import BootstrapMixin, DateInput, TimeInput, TreeChoiceField
from tongpin.core.scoping import CHANGE
from tongpin.members.models import Member
from tongpin.orgs.models import Organization, OrgKind

from . import services
from .models import Meeting, MeetingKind, ReviewGrade


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def host_choices(meeting: Meeting):
    """Members who may host or record: the organization's branch (a group's branch too)."""
    organization = meeting.organization
    root = organization.path[:-4] if organization.kind == OrgKind.GROUP else organization.path
    return Member.objects.filter(branch__path__startswith=root).only("name").order_by("name")


class RecordForm(BootstrapMixin, forms.Form):
    """The record-once screen's fields; attendance and files come beside it."""

    held_on = forms.DateField(label=_("Date held"), widget=DateInput())
    starts_at = forms.TimeField(label=_("Start time"), required=False, widget=TimeInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    host = MemberChoiceField(label=_("Host"), queryset=Member.objects.none(), required=False)
    recorder = MemberChoiceField(
        label=_("Recorder"), queryset=Member.objects.none(), required=False
    )
    title = forms.CharField(label=pgettext_lazy("meeting", "Topic"), max_length=200)
    first_item_title = forms.CharField(
        label=_("First agenda item"),
        max_length=300,
        required=False,
        help_text=_("The directive or speech studied first (第一议题), if any."),
    )
    # 第一议题 as a record (e.g. a directive): offered through core's registry, stored as a
    # generic link on the meeting
    first_item = forms.ChoiceField(
        label=_("First agenda item: directive"),
        required=False,
        help_text=_("The directive studied first, if it is registered here; recent ones first."),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One item per line."),
    )
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 5}))
    decisions = forms.CharField(
        label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, meeting: Meeting, user, **kwargs):
        self.meeting = meeting
        if not kwargs.get("data"):
            kwargs.setdefault("initial", self.prefill(meeting, user))
        super().__init__(*args, **kwargs)
        choices = host_choices(meeting)
        self.fields["host"].queryset = choices
        self.fields["recorder"].queryset = choices
        self.user = user
        self.fields["first_item"].choices = [("", "—")] + first_items.choices(
            user, meeting.organization
        )

    def clean(self):
        """Turns the chosen record into the meeting's generic link (none chosen: no link); its
        name fills the first item's title when that is empty."""
        data = super().clean()
        value = data.pop("first_item", "")
        data["first_item_type"], data["first_item_id"] = None, None
        if value:
            try:
                content_type, obj = first_items.resolve(self.user, value)
            except ValidationError as error:
                self.add_error("first_item", error)
                return data
            data["first_item_type"], data["first_item_id"] = content_type, obj.pk
            if not data.get("first_item_title"):
                data["first_item_title"] = str(obj)[:300]
        return data

    @staticmethod
    def prefill(meeting: Meeting, user) -> dict:
        """What the system already knows, so nobody types it again (rules.md, 为基层减负)."""
        today = timezone.localdate()
        initial = {
            "held_on": meeting.held_on or min(meeting.planned_on, today),
            "starts_at": meeting.starts_at,
            "place": meeting.place or services.last_place(meeting.organization),
            "host": meeting.host_id or services.default_host(meeting),
            "recorder": meeting.recorder_id or services.member_id_of(user),
            "title": meeting.title,
            "first_item_title": meeting.first_item_title,
            "first_item": first_items.value_of(meeting.first_item_type_id, meeting.first_item_id),
            "agenda": meeting.agenda,
            "minutes": meeting.minutes,
            "decisions": meeting.decisions,
        }
        return initial


class MeetingForm(BootstrapMixin, forms.Form):
    """A meeting outside the plan."""

    organization = TreeChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(label=pgettext_lazy("meeting", "Kind"), choices=MeetingKind.choices)
    planned_on = forms.DateField(label=_("Date"), widget=DateInput())
    title = forms.CharField(
        label=pgettext_lazy("meeting", "Topic"),
        max_length=200,
        required=False,
        help_text=_("Left empty, the kind and month name it."),
    )

    first_item = forms.ChoiceField(
        label=_("First agenda item: directive"),
        required=False,
        help_text=_("The directive studied first, if it is registered here; recent ones first."),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"planned_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organization"].queryset = services.organizations_for(user, CHANGE)
        self.fields["first_item"].choices = [("", "—")] + first_items.choices(user, None)

    def clean_first_item(self):
        """The chosen record (checked with its own ``restrict``), or None."""
        value = self.cleaned_data.get("first_item")
        return first_items.resolve(self.user, value)[1] if value else None


class RescheduleForm(BootstrapMixin, forms.Form):
    planned_on = forms.DateField(label=_("New date"), widget=DateInput())


class CancelForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200)


class MotionForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Matter voted on"), max_length=300)
    yes = forms.IntegerField(label=pgettext_lazy("vote", "Yes"), min_value=0, max_value=100000)
    no = forms.IntegerField(
        label=pgettext_lazy("vote", "No"), min_value=0, max_value=100000, initial=0
    )
    abstain = forms.IntegerField(
        label=pgettext_lazy("vote", "Abstain"), min_value=0, max_value=100000, initial=0
    )


class PlanForm(BootstrapMixin, forms.Form):
    organization = TreeChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = services.organizations_for(user, CHANGE)


class TalkForm(BootstrapMixin, forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())
    partner = MemberChoiceField(label=_("Talked with"), queryset=Member.objects.none())
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("Optional. What was said stays between the two."),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        members = (
            Member.objects.restrict(user, CHANGE)
            .select_related("branch")
            .only("name", "branch__name")
            .order_by("branch__path", "name")
        )
        self.fields["member"].queryset = members
        self.fields["partner"].queryset = members
        self.fields["member"].label_from_instance = lambda m: f"{m.name}（{m.branch.name}）"
        self.fields["partner"].label_from_instance = lambda m: f"{m.name}（{m.branch.name}）"

    def clean(self):
        data = super().clean()
        member, partner = data.get("member"), data.get("partner")
        if member and partner and member.branch_id != partner.branch_id:
            raise ValidationError(_("Both members must belong to the same branch."))
        return data


GRADE_CHOICES = [("", "—"), *ReviewGrade.choices]


def parse_year(value, default: int | None = None) -> int:
    """A year from a query string; anything odd gives the current year."""
    default = default or timezone.localdate().year
    try:
        year = int(str(value))
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2100 else default


def parse_count(value) -> int:
    try:
        return max(0, min(100000, int(str(value).strip() or 0)))
    except (TypeError, ValueError):
        return 0
