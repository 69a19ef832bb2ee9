import pytest
from django.core.exceptions import ValidationError

from organisations.validators import business_id_check_digit, normalise_business_id, validate_business_id


@pytest.mark.parametrize("value", ["0112038-9", "0737546-2", "1572860-0", "2617416-4", "112038-9"])
def test_valid_business_ids_pass(value):
    validate_business_id(value)


@pytest.mark.parametrize(
    "value",
    ["0112038-8", "0737546-3", "1572860-1", "1234567", "12345678-9", "abcdefg-h", "", "0112038 9", "0112038-99"],
)
def test_invalid_business_ids_are_refused(value):
    with pytest.raises(ValidationError):
        validate_business_id(value)


def test_remainder_one_has_no_valid_check_digit():
    # 0000010: 1*2 = 2 -> remainder 2; find a body whose weighted sum leaves remainder 1.
    body = next(f"{n:07d}" for n in range(10_000_000) if business_id_check_digit(f"{n:07d}") is None)
    for digit in range(10):
        with pytest.raises(ValidationError):
            validate_business_id(f"{body}-{digit}")


def test_old_six_digit_form_gets_its_leading_zero():
    assert normalise_business_id(" 112038-9 ") == "0112038-9"
