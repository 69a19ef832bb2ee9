"""What the meetings forms share: the date-and-time input and the submit button."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's own date and time picker; the value is Helsinki time (the current time zone)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


def with_submit(form: forms.BaseForm, label) -> None:
    form.helper = FormHelper()
    form.helper.add_input(Submit("submit", label))
