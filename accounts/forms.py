from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Language, User
from kumppanuus.addresses import normalise_email
from kumppanuus.validators import validate_person_name
from outbox.preferences import Rhythm, choosable_kinds, rhythm_for, settings_anchor
from outbox.registry import notification_kind, notification_kinds


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


REMINDER_FIELDS = ("notify_meeting_reminders", "notify_evaluation_reminders", "notify_action_items")


def _group_label(kind: str) -> str:
    """The heading a kind is listed under: the name of the app that sends it (Organisations, Tables, ...)."""
    try:
        return str(apps.get_app_config(kind.split(".", 1)[0]).verbose_name)
    except LookupError:
        return ""


class ProfileForm(forms.ModelForm):
    """Name, language and notification settings: the reminders on or off, and for each kind of
    notification a person may choose, when to hear of it (at once, daily or weekly digest, off).
    A kind's radio group missing from the data is left as it was."""

    class Meta:
        model = User
        fields = ["full_name", "language", *REMINDER_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.rhythm_fields: dict[str, str] = {}  # field name → kind
        for kind in choosable_kinds():
            name = "rhythm_" + settings_anchor(kind).removeprefix("notify-").replace("-", "_")
            self.fields[name] = forms.ChoiceField(
                label=notification_kind(kind).label or kind, choices=Rhythm.choices, widget=forms.RadioSelect,
                required=False, initial=rhythm_for(self.instance, kind),
            )
            self.rhythm_fields[name] = kind

    def rhythm_groups(self) -> list[tuple[str, list]]:
        """The radio groups under their app's heading, each bound field with its kind's anchor."""
        groups: dict[str, list] = {}
        for name, kind in self.rhythm_fields.items():
            field = self[name]
            field.anchor = settings_anchor(kind)
            groups.setdefault(_group_label(kind), []).append(field)
        return list(groups.items())

    def always_labels(self) -> list[str]:
        """What is always sent at once, for the page to say so."""
        return [str(notification_kind(kind).label or kind) for kind in notification_kinds()
                if notification_kind(kind).always]

    def clean(self):
        cleaned = super().clean()
        cleaned["notification_rhythms"] = {
            kind: cleaned[name] for name, kind in self.rhythm_fields.items() if cleaned.get(name)
        }
        return cleaned


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
