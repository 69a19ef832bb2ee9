import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BUSINESS_ID_RE = re.compile(r"^(\d{7})-(\d)$")
# Weights of the Finnish business ID (Y-tunnus) check digit, modulo 11.
BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id_check_digit(digits: str) -> int | None:
    """The check digit for seven digits, or None where no valid ID can exist (remainder 1)."""
    remainder = sum(int(d) * w for d, w in zip(digits, BUSINESS_ID_WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def normalise_business_id(value: str) -> str:
    """Accept '1234567-8' and the older six-digit form '123456-7' (a leading zero was dropped)."""
    value = (value or "").strip()
    if re.fullmatch(r"\d{6}-\d", value):
        value = "0" + value
    return value


def validate_business_id(value: str) -> None:
    match = BUSINESS_ID_RE.fullmatch(normalise_business_id(value))
    if not match:
        raise ValidationError(
            _("Enter the business ID as seven digits, a hyphen and a check digit, e.g. 0737546-2."),
            code="business_id_format",
        )
    digits, check = match.groups()
    if business_id_check_digit(digits) != int(check):
        raise ValidationError(
            _("The check digit of this business ID is wrong. Please check the number."),
            code="business_id_check_digit",
        )
