from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """security.md practice: at least 3 of 4 classes (upper, lower, digit, symbol)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must mix at least %(n)d of: upper-case letters, lower-case "
                    "letters, digits and symbols."
                )
                % {"n": self.min_classes},
                code="password_classes",
            )

    def get_help_text(self):
        return _("Use at least %(n)d of: upper-case, lower-case, digits, symbols.") % {
            "n": self.min_classes
        }
