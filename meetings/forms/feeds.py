"""The form that replaces a person's private calendar feed address."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class ResetFeedForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that the old address stops working and calendars using it must be given the new one."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Make a new address")))
