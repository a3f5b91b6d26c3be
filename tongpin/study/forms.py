from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tongpin.core import first_items
from tongpin.core.forms import BootstrapMixin, DateInput, TreeChoiceField
from tongpin.core.scoping import CHANGE
from tongpin.life.models import Meeting, MeetingStatus
from tongpin.members.models import Member
from tongpin.orgs.models import Organization

from .models import Material, StudyForm, StudyTier
from .services import extract_text


class MaterialForm(BootstrapMixin, forms.Form):
    """A material: pasted text, or a .docx / text PDF whose text is extracted."""

    organization = TreeChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    published_on = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    tags = forms.CharField(
        label=_("Tags"), max_length=300, required=False, help_text=_("Separated by commas.")
    )
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("Upload a .docx, a text PDF or a .txt file.")
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Paste the text, or leave it empty and upload a file."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.restrict(user, CHANGE).filter(
            is_active=True
        )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            try:
                data["body"] = extract_text(upload.name, upload.read())
            except ValidationError as error:
                self.add_error("file", error)
                return data
            data["file_name"] = upload.name
        elif not (data.get("body") or "").strip():
            self.add_error("body", _("Paste the text or upload a file."))
        return data


class SessionForm(BootstrapMixin, forms.Form):
    """A held study session; held in a meeting, the meeting's attendance counts."""

    organization = TreeChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    tier = forms.ChoiceField(label=_("Tier"), choices=StudyTier.choices)
    form = forms.ChoiceField(label=_("Counts as"), choices=StudyForm.choices)
    topic = forms.CharField(label=_("Topic"), max_length=300)
    held_on = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    hours = forms.DecimalField(label=_("Class hours"), max_digits=4, decimal_places=1)
    meeting = forms.ModelChoiceField(
        label=_("Held in meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("Its attendance is reused: no list to fill in again."),
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members present"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Joint study with"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    materials = forms.ModelMultipleChoiceField(
        label=_("Materials"),
        queryset=Material.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    # 第一议题, as on a meeting: a record from core's registry (e.g. a directive), stored as a
    # generic link; left empty in a meeting, the meeting's first item is taken over
    first_item = forms.ChoiceField(
        label=_("First agenda item: directive"),
        required=False,
        help_text=_("Left empty, a session held in a meeting takes the meeting's first item."),
    )
    first_item_title = forms.CharField(
        label=_("First agenda item"),
        max_length=300,
        required=False,
        help_text=_("The directive or speech studied first (第一议题), if any."),
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user=None, **kwargs):
        from .services import visible_materials

        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["first_item"].choices = [("", "—")] + first_items.choices(user, None)
        organizations = Organization.objects.restrict(user, CHANGE).filter(is_active=True)
        self.fields["organization"].queryset = organizations
        self.fields["meeting"].queryset = (
            Meeting.objects.restrict(user, CHANGE)
            .filter(status=MeetingStatus.HELD)
            .select_related("organization")
            .order_by("-held_on")
        )
        self.fields["members"].queryset = Member.objects.restrict(user, CHANGE).order_by("name")
        self.fields["partners"].queryset = Organization.objects.filter(is_active=True)
        self.fields["materials"].queryset = visible_materials(user)

    def clean(self):
        data = super().clean()
        if not data.get("meeting") and not data.get("held_on"):
            self.add_error("held_on", _("Give the date, or the meeting it was held in."))
        return data

    def clean_first_item(self):
        """The chosen record (checked with its own ``restrict``), or None."""
        value = self.cleaned_data.get("first_item")
        return first_items.resolve(self.user, value)[1] if value else None

    @staticmethod
    def prefill(meeting) -> dict:
        """A session recorded from a held meeting: its organization, date and 第一议题 are known
        already (为基层减负)."""
        return {
            "organization": meeting.organization_id,
            "meeting": meeting.pk,
            "held_on": meeting.held_on,
            "topic": meeting.first_item_title or meeting.title,
            "first_item": first_items.value_of(meeting.first_item_type_id, meeting.first_item_id),
            "first_item_title": meeting.first_item_title,
        }
