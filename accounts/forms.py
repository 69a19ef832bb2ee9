from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Language, User


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form adds (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = translation.get_language() or settings.LANGUAGE_CODE
        self.fields["language"].initial = current if current in Language.values else settings.LANGUAGE_CODE

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.language = self.cleaned_data["language"]
        user.save(update_fields=["full_name", "language"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "full_name", "language", "notify_meeting_reminders", "notify_evaluation_reminders", "notify_action_items",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))
