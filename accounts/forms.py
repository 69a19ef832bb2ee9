from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Language, User
from kumppanuus.addresses import normalise_email
from kumppanuus.validators import validate_person_name


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form adds (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(label=_("Full name"), max_length=200, validators=[validate_person_name])
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
            "notify_table_messages",
            "notify_agenda_updates",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))


class AccountDeleteForm(forms.Form):
    """Confirms deleting one's own account: the password, or the e-mail address for an account without one."""

    confirmation = forms.CharField(max_length=254, strip=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["confirmation"]
        if user.has_usable_password():
            field.label = _("Your password")
            field.help_text = _("Type your password to confirm that you want to delete your account.")
            field.widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})
        else:
            field.label = _("Your e-mail address")
            field.help_text = _("Type your e-mail address to confirm that you want to delete your account.")
            field.widget = forms.EmailInput(attrs={"autocomplete": "off"})
        self.helper = FormHelper()
        delete = Submit("submit", _("Delete my account permanently"))
        delete.field_classes = "btn btn-danger"  # instead of the primary colour: this cannot be undone
        self.helper.add_input(delete)

    def clean_confirmation(self):
        value = self.cleaned_data["confirmation"]
        if self.user.has_usable_password():
            if not self.user.check_password(value):
                raise forms.ValidationError(_("The password is not correct. Nothing was deleted."))
        elif normalise_email(value) != normalise_email(self.user.email):
            raise forms.ValidationError(_("This is not the e-mail address of your account. Nothing was deleted."))
        return value
