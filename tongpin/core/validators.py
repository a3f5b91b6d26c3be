"""Validators for Chinese identity data."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_birth_date(value: str) -> datetime.date | None:
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def id_gender(value: str) -> str:
    """'male' or 'female' from the 17th digit (odd: male), GB 11643."""
    return "male" if int(value[16]) % 2 else "female"


def validate_id_number(value: str) -> None:
    """18-digit citizen ID (GB 11643-1999): form, birth date and ISO 7064 MOD 11-2 check digit."""
    value = normalize_id_number(value)
    if not _ID_PATTERN.match(value):
        raise ValidationError(
            _("An ID number has 17 digits followed by a digit or X."), code="form"
        )
    if id_birth_date(value) is None:
        raise ValidationError(_("The ID number contains an impossible birth date."), code="date")
    if id_check_digit(value[:17]) != value[17]:
        raise ValidationError(_("The ID number's check digit is wrong."), code="check_digit")


def mask_id_number(value: str) -> str:
    value = normalize_id_number(value)
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


_PHONE_PATTERN = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


def validate_phone(value: str) -> None:
    if value and not _PHONE_PATTERN.match(value.strip()):
        raise ValidationError(_("Enter an 11-digit mobile number or a landline like 010-12345678."))


def mask_phone(value: str) -> str:
    value = (value or "").strip()
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
