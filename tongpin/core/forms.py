"""Form pieces every app's forms share: Bootstrap widgets, dates, tree choices."""

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """The browser's date picker (also on phones), ISO format both ways."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class BootstrapMixin:
    """Bootstrap classes on every widget, so templates render fields in one loop."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def add_errors(self, error: ValidationError, default_field: str | None = None):
        """Attach a service's ValidationError to the fields it names (or to one field)."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else default_field, messages)
        else:
            self.add_error(default_field, error.messages)


class TreeChoiceField(forms.ModelChoiceField):
    """Organizations indented by depth, so a long select still reads as a tree."""

    def label_from_instance(self, obj):
        return "\u3000" * (obj.depth - 1) + obj.name
