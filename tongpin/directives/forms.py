from django import forms
from django.utils.translation import gettext_lazy as _

from tongpin.core.forms import BootstrapMixin, DateInput, TreeChoiceField
from tongpin.core.scoping import CHANGE
from tongpin.orgs.models import Organization, OrgKind
from tongpin.work import services as work_services
from tongpin.work.models import BusinessGoal

from . import services
from .models import Directive

DOCUMENT_HELP = _("Upload a .docx, a text PDF or a .txt file.")


class TreeMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return "\u3000" * (obj.depth - 1) + obj.name


class DirectiveForm(BootstrapMixin, forms.ModelForm):
    organization = TreeChoiceField(label=_("registered by"), queryset=Organization.objects.none())
    targets = TreeMultipleChoiceField(
        label=_("organizations implementing it"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    document = forms.FileField(label=_("document"), required=False, help_text=DOCUMENT_HELP)

    class Meta:
        model = Directive
        fields = ["organization", "title", "source", "level", "issued_on", "text", "targets"]
        widgets = {"issued_on": DateInput(), "text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = services.directive_organizations(user).order_by(
            "path"
        )
        self.fields["targets"].queryset = (
            Organization.objects.restrict(user, CHANGE)
            .exclude(kind=OrgKind.GROUP)
            .filter(depth__gt=1)
            .order_by("path")
        )
        self.fields["targets"].widget.attrs["class"] = "form-check-input"
        self.fields["text"].help_text = _("Paste the text, or leave it empty and upload a file.")


class DirectiveEditForm(DirectiveForm):
    """The directive's own fields; the registering organization stays (its tasks hang on it)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["organization"]
        self.fields["document"].help_text = _(
            "Upload a new version to replace the text; the file is kept beside the earlier ones."
        )


class IngestForm(BootstrapMixin, forms.Form):
    """Paste text or upload a document: the page proposes action items from it."""

    text = forms.CharField(
        label=_("full text"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    document = forms.FileField(label=_("document"), required=False, help_text=DOCUMENT_HELP)


class AcceptForm(BootstrapMixin, forms.Form):
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())
    deploy = forms.BooleanField(
        label=_("Deploy to the organizations implementing it"), required=False, initial=True
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Business goals served"),
        queryset=BusinessGoal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The tasks created serve these goals (党建业务融合)."),
    )

    def __init__(self, *args, user=None, directive=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and directive is not None:
            self.fields["goals"].queryset = work_services.allowed_goals(
                user, directive.organization
            ).order_by("-year", "deadline", "pk")
        self.fields["goals"].widget.attrs["class"] = "form-check-input"
