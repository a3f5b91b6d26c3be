"""Forms of the grassroots survey: the owner's (survey, question, links) and the public one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tongpin.core.forms import BootstrapMixin, DateInput, TreeChoiceField
from tongpin.core.scoping import CHANGE
from tongpin.orgs.models import Department, Organization

from .models import QuestionKind, SurveyQuestion
from .surveys import MAX_LINKS, RATING_LABELS


class SurveyForm(BootstrapMixin, forms.Form):
    organization = TreeChoiceField(Organization.objects.none(), label=_("Organization"))
    title = forms.CharField(label=_("Title"), max_length=200)
    intro = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    period_start = forms.DateField(label=_("Period start"), widget=DateInput)
    period_end = forms.DateField(label=_("Period end"), widget=DateInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            Organization.objects.restrict(user, CHANGE).filter(is_active=True).order_by("path")
        )


class QuestionForm(BootstrapMixin, forms.ModelForm):
    target_organization = TreeChoiceField(
        Organization.objects.none(), label=_("Rated organization"), required=False
    )

    class Meta:
        model = SurveyQuestion
        fields = ["text", "kind", "options", "required", "target_department", "target_organization"]
        widgets = {"options": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"options": _("Single choice only: one option a line.")}

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_department"].queryset = Department.objects.order_by(
            "sort_order", "name"
        )
        self.fields["target_organization"].queryset = Organization.objects.filter(
            path__startswith=survey.organization.path, is_active=True
        ).order_by("path")


class LinkForm(BootstrapMixin, forms.Form):
    count = forms.IntegerField(
        label=_("Number of links"), min_value=1, max_value=MAX_LINKS, initial=10
    )
    group = forms.CharField(
        label=_("Issued to"),
        max_length=100,
        required=False,
        help_text=_("Optional, e.g. grassroots units; the same for every link of this batch."),
    )


class AnswerForm(forms.Form):
    """One field per question, named ``q<id>``."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.RATING:
                field = forms.TypedChoiceField(
                    choices=[
                        (v, label) for v, label in sorted(RATING_LABELS.items(), reverse=True)
                    ],
                    coerce=int,
                    widget=forms.RadioSelect,
                )
            elif question.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(
                    choices=[(o, o) for o in question.option_list()], widget=forms.RadioSelect
                )
            else:
                field = forms.CharField(
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                )
            field.label = question.text
            field.required = question.required
            self.fields[name] = field

    def answers(self) -> dict:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    def rows(self):
        return [(question, self[f"q{question.pk}"]) for question in self.questions]
