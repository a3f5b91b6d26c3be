from django import forms
from django.utils.translation import gettext_lazy as _

from tongpin.core.forms import BootstrapMixin, DateInput, TreeChoiceField
from tongpin.core.scoping import CHANGE
from tongpin.orgs.models import Organization

from .models import Grade, IndicatorSystem, ItemKind, Scale

# the years a run's period may lie in (as a party task's year)
FIRST_YEAR, LAST_YEAR = 2000, 2100


class RunForm(BootstrapMixin, forms.Form):
    system = forms.ModelChoiceField(IndicatorSystem.objects.all(), label=_("Indicator system"))
    organization = TreeChoiceField(Organization.objects.none(), label=_("Organization"))
    period_start = forms.DateField(label=_("Period start"), widget=DateInput)
    period_end = forms.DateField(label=_("Period end"), widget=DateInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            Organization.objects.restrict(user, CHANGE).filter(is_active=True).order_by("path")
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        # the indicators work year by year over the period: keep it to plausible years
        for name in ("period_start", "period_end"):
            day = data.get(name)
            if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(
                    name,
                    _("Choose a date between %(first)d and %(last)d.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR},
                )
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (type and size are checked on attach)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ManualScoreForm(BootstrapMixin, forms.Form):
    points = forms.DecimalField(label=_("Score"), required=False, decimal_places=1)
    grade = forms.ChoiceField(label=_("Grade"), required=False, choices=[("", "—"), *Grade.choices])
    note = forms.CharField(
        label=_("Evidence summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    files = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        if item.scale == Scale.GRADE:
            del self.fields["points"]
        else:
            del self.fields["grade"]
            self.fields["points"].help_text = _("From 0 to %(max)s.") % {"max": item.max_score}


class SecretaryReportForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 8}))


def _members_of(organization):
    from tongpin.members.models import Member

    return Member.objects.filter(branch=organization).order_by("name", "pk")


class RectificationForm(BootstrapMixin, forms.Form):
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(queryset=None, label=_("Responsible person"), required=False)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput)
    measures = forms.CharField(
        label=_("Measures"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _members_of(organization)


class MeasuresForm(BootstrapMixin, forms.Form):
    owner = forms.ModelChoiceField(queryset=None, label=_("Responsible person"), required=False)
    measures = forms.CharField(label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _members_of(organization)


class LoopReportForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Attachments"), required=False)


class VerifyForm(BootstrapMixin, forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Passed")), ("0", _("Returned for more work"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(
        label=_("Verification note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SystemForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)


class ItemForm(BootstrapMixin, forms.Form):
    parent = forms.ModelChoiceField(queryset=None, label=_("Parent"), required=False)
    label = forms.CharField(label=_("Label"), max_length=200)
    weight = forms.DecimalField(label=_("Weight"), min_value=0, max_digits=6, decimal_places=2)
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    scale = forms.ChoiceField(label=_("Scale"), choices=Scale.choices)
    max_score = forms.DecimalField(
        label=_("Maximum score"), min_value=1, max_digits=5, decimal_places=1, initial=100
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=0)

    def __init__(self, *args, system, item=None, **kwargs):
        from tongpin.core.registry import indicators

        super().__init__(*args, **kwargs)
        parents = system.items.filter(parent=None)
        if item is not None:
            parents = parents.exclude(pk=item.pk)
        self.fields["parent"].queryset = parents
        self.fields["indicator"].choices = [("", "—")] + [
            (key, f"{indicator.label} ({key})") for key, indicator in indicators
        ]
