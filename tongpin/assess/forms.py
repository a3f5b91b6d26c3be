from django import forms
from django.utils.translation import gettext_lazy as _

from tongpin.core.forms import BootstrapMixin, DateInput, TreeChoiceField
from tongpin.core.scoping import CHANGE
from tongpin.orgs.models import Organization

from .models import IndicatorSystem


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
        return data
