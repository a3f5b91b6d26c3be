import datetime

import pytest
from django.core.exceptions import ValidationError

from tongpin.core.validators import (
    id_birth_date,
    id_check_digit,
    id_gender,
    mask_id_number,
    mask_phone,
    validate_id_number,
    validate_phone,
)

# GB 11643-1999's worked example: 11010519491231002X
VALID = "11010519491231002X"


def test_check_digit_of_the_standard_example():
    assert id_check_digit(VALID[:17]) == "X"
    validate_id_number(VALID)
    validate_id_number(VALID.lower())  # a lower-case x is accepted and normalized


@pytest.mark.parametrize(
    "value",
    [
        "110105194912310021",  # wrong check digit
        "11010519491331002X",  # month 13
        "1101051949123100",  # too short
        "11010519491231002Y",  # not a digit or X
        "",
    ],
)
def test_invalid_id_numbers(value):
    with pytest.raises(ValidationError):
        validate_id_number(value)


def test_birth_date_and_gender_from_id():
    assert id_birth_date(VALID) == datetime.date(1949, 12, 31)
    assert id_gender(VALID) == "female"  # 17th digit 2 is even


def test_masks():
    assert mask_id_number(VALID) == "1101**********002X"
    assert mask_phone("13812345678") == "138****5678"


def test_phone_validation():
    validate_phone("13812345678")
    validate_phone("010-12345678")
    with pytest.raises(ValidationError):
        validate_phone("12345")
