"""Forms of the work pages. They parse and show errors; the rules live in services."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongpin.core.forms import BootstrapMixin as CoreBootstrapMixin
from tongpin.core.forms import DateInput, TreeChoiceField
from tongpin.members.models import Member
from tongpin.orgs.models import Department, Organization

from . import evidence, services
from .models import BusinessGoal, PartyTask, QuarterlyReview, TaskCategory


class BootstrapMixin(CoreBootstrapMixin):
    """Core's Bootstrap classes, plus check boxes for multiple choices and a taller list."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.SelectMultiple):
                widget.attrs.setdefault("size", "8")


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.department.name}｜{obj.title}"


def year_choices(today=None):
    year = (today or timezone.localdate()).year
    return [(y, str(y)) for y in range(year - 2, year + 2)]


class TaskForm(BootstrapMixin, forms.ModelForm):
    """A party task: organization (on creation), what, who, when, and the goals it serves."""

    organization = TreeChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=True
    )
    goals = GoalChoiceField(
        label=_("Business goals served"),
        queryset=BusinessGoal.objects.none(),
        required=False,
        help_text=_("Party work serves business work: link the goals this task advances."),
    )
    owner = MemberChoiceField(
        label=_("Responsible person"), queryset=Member.objects.none(), required=False
    )

    class Meta:
        model = PartyTask
        fields = ["organization", "year", "title", "category", "owner", "deadline", "description"]
        widgets = {
            "deadline": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "year": forms.Select(),
        }

    def __init__(self, *args, user, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["year"].widget.choices = year_choices()
        if self.instance.pk:
            del self.fields["organization"]
            organization = self.instance.organization
            self.initial.setdefault("goals", list(self.instance.goals.values_list("pk", flat=True)))
        else:
            self.fields["organization"].queryset = services.task_organizations(user)
            if organization is not None:
                self.initial.setdefault("organization", organization.pk)
            # the chosen organization decides the goals and owners on offer
            chosen = self.data.get("organization") if self.is_bound else None
            if chosen and str(chosen).isdigit():
                organization = (
                    services.task_organizations(user).filter(pk=int(chosen)).first() or organization
                )
        self.organization = organization
        if organization is not None:
            self.fields["goals"].queryset = services.allowed_goals(
                user, organization
            ).select_related("department")
            self.fields["owner"].queryset = services.owner_choices(organization)
        self.initial.setdefault("year", services.working_year(timezone.localdate()))


class GoalForm(BootstrapMixin, forms.ModelForm):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    owner = MemberChoiceField(
        label=_("Responsible person"), queryset=Member.objects.none(), required=False
    )

    class Meta:
        model = BusinessGoal
        fields = [
            "department",
            "year",
            "title",
            "target_value",
            "unit",
            "deadline",
            "owner",
            "description",
        ]
        widgets = {
            "deadline": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "year": forms.Select(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.choices = year_choices()
        self.fields["department"].queryset = services.goal_departments(user)
        department = self.instance.department if self.instance.department_id else None
        chosen = self.data.get("department") if self.is_bound else None
        if chosen and str(chosen).isdigit():
            department = services.goal_departments(user).filter(pk=int(chosen)).first()
        self.fields["owner"].queryset = services.goal_owner_choices(department)
        self.initial.setdefault("year", services.working_year(timezone.localdate()))
        self.fields["deadline"].required = False
        self.fields["deadline"].help_text = _("Empty: the end of the year.")


class MeasurementForm(BootstrapMixin, forms.Form):
    value = forms.DecimalField(label=_("Actual value"), max_digits=14, decimal_places=2)
    measured_on = forms.DateField(label=_("As of"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CompleteGoalForm(BootstrapMixin, forms.Form):
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput(), required=False)


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class DeployForm(BootstrapMixin, forms.Form):
    MODE_BRANCHES = "branches"
    MODE_CHILDREN = "children"
    MODE_CHOSEN = "chosen"

    mode = forms.ChoiceField(
        label=_("Deploy to"),
        widget=forms.RadioSelect,
        choices=[
            (MODE_BRANCHES, _("Every branch below")),
            (MODE_CHILDREN, _("Every organization directly below")),
            (MODE_CHOSEN, _("The organizations chosen below")),
        ],
        initial=MODE_BRANCHES,
    )
    organizations = TreeChoiceField(
        label=_("Organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: the task's own deadline."),
    )

    def __init__(self, *args, user, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        targets = services.deploy_targets(user, task)
        self.fields["organizations"] = forms.ModelMultipleChoiceField(
            label=_("Organizations"),
            queryset=targets,
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        )
        self.fields["organizations"].label_from_instance = lambda obj: (
            "\u3000" * (obj.depth - task.organization.depth - 1) + obj.name
        )
        self.targets = targets

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        if mode == self.MODE_BRANCHES:
            data["targets"] = list(self.targets.filter(kind="branch"))
        elif mode == self.MODE_CHILDREN:
            data["targets"] = list(self.targets.filter(depth=self.task.organization.depth + 1))
        else:
            data["targets"] = list(data.get("organizations") or [])
        if mode and not data["targets"]:
            raise ValidationError(_("Choose at least one organization."))
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


class ProgressForm(BootstrapMixin, forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    text = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    linked = forms.ChoiceField(
        label=_("Record already in the system"),
        required=False,
        help_text=_("Link a meeting, study session or other record instead of uploading again."),
    )
    files = MultipleFileField(label=_("Attachments"), required=False)
    reported_on = forms.DateField(label=_("As of"), widget=DateInput(), required=False)

    def __init__(self, *args, user, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["linked"].choices = [("", "—")] + evidence.choices(
            user, task.organization, exclude=task
        )
        self.initial.setdefault("progress", task.progress)
        self.initial.setdefault("reported_on", timezone.localdate())

    def clean_reported_on(self):
        value = self.cleaned_data.get("reported_on") or timezone.localdate()
        if value > timezone.localdate():
            raise ValidationError(_("Progress cannot be reported for a future date."))
        return value


class CompletionForm(BootstrapMixin, forms.Form):
    """报告完成: the completion report with its evidence (text, files, a record on file)."""

    text = forms.CharField(
        label=_("Completion report"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("What was done and to what effect; attach files or link a record as evidence."),
    )
    linked = forms.ChoiceField(label=_("Record already in the system"), required=False)
    files = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, user, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["linked"].choices = [("", "—")] + evidence.choices(
            user, task.organization, exclude=task
        )
        if task.returned_on and task.report_text:
            self.initial.setdefault("text", task.report_text)


class VerifyForm(forms.Form):
    """核验: pass, or send back with a note saying what is missing."""

    PASS, RETURN = "pass", "return"
    decision = forms.ChoiceField(choices=[(PASS, PASS), (RETURN, RETURN)])
    note = forms.CharField(required=False, max_length=2000)


class ReviewForm(BootstrapMixin, forms.ModelForm):
    organization = TreeChoiceField(label=_("Organization"), queryset=Organization.objects.none())

    class Meta:
        model = QuarterlyReview
        fields = ["organization", "year", "quarter", "held_on", "conclusion"]
        widgets = {
            "held_on": DateInput(),
            "conclusion": forms.Textarea(attrs={"rows": 5}),
            "year": forms.Select(),
            "quarter": forms.Select(choices=[(q, f"Q{q}") for q in range(1, 5)]),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = services.task_organizations(user)
        self.fields["year"].widget.choices = year_choices()
        today = timezone.localdate()
        self.initial.setdefault("year", services.working_year(today))
        self.initial.setdefault("quarter", services.quarter_of(today))
        self.initial.setdefault("held_on", today)

    def validate_unique(self):
        # the service says "already reviewed" in words; skip the model's generic message
        pass


class FollowUpForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Follow-up item"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=TaskCategory.choices)
    owner = MemberChoiceField(
        label=_("Responsible person"), queryset=Member.objects.none(), required=False
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())
    goals = GoalChoiceField(
        label=_("Business goals served"), queryset=BusinessGoal.objects.none(), required=False
    )

    def __init__(self, *args, user, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = services.owner_choices(review.organization)
        self.fields["goals"].queryset = services.allowed_goals(
            user, review.organization
        ).select_related("department")
        self.initial.setdefault("deadline", timezone.localdate() + datetime.timedelta(days=30))


class GenerateListsForm(BootstrapMixin, forms.Form):
    WHAT_BRANCHES = "branches"
    WHAT_LEADERS = "leaders"
    WHAT_COMMITTEE = "committee"

    what = forms.ChoiceField(label=_("Generate"), widget=forms.RadioSelect)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(self.WHAT_BRANCHES, _("The secretary's list of every organization I lead"))]
        if services.is_agency_wide(user, "change"):
            choices += [
                (
                    self.WHAT_LEADERS,
                    _("The leadership group's list and each leader's dual-duty list"),
                ),
                (self.WHAT_COMMITTEE, _("The agency party committee's list")),
            ]
        self.fields["what"].choices = choices
        self.fields["year"].choices = year_choices()
        self.initial.setdefault("year", services.working_year(timezone.localdate()))
        self.initial.setdefault("what", self.WHAT_BRANCHES)


class ItemForm(BootstrapMixin, forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "—"), *TaskCategory.choices], required=False
    )
    text = forms.CharField(label=_("Duty"), widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(
        label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class FollowItemForm(BootstrapMixin, forms.Form):
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())


class TemplateForm(BootstrapMixin, forms.Form):
    """A template's items as text, one duty per line, optionally starting with 【category】."""

    items = forms.CharField(
        label=_("Duties"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "One duty per line. Start a line with the category in 【】 to classify it; "
            "{organization}, {departments} and {year} are filled in when a list is generated."
        ),
    )

    def clean_items(self):
        # categories by their label as shown (Chinese) or their code
        by_label = {str(label): value for value, label in TaskCategory.choices}
        by_label.update({value: value for value in TaskCategory.values})
        lines = []
        for raw in self.cleaned_data["items"].splitlines():
            text = raw.strip()
            if not text:
                continue
            category = ""
            if text.startswith("【") and "】" in text:
                label, _sep, rest = text[1:].partition("】")
                if label.strip() not in by_label:
                    raise ValidationError(
                        _("Unknown category: %(label)s") % {"label": label.strip()}
                    )
                category = by_label[label.strip()]
                text = rest.strip()
            if text:
                lines.append((category, text[:2000]))
        if not lines:
            raise ValidationError(_("A template needs at least one duty."))
        return lines


class LeaderDepartmentsForm(BootstrapMixin, forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments in charge"),
        queryset=Department.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
