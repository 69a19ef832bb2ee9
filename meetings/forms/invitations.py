"""Forms for inviting people and answering an invitation."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from accounts.models import Language
from meetings.forms._common import with_submit
from meetings.models import Meeting, RsvpResponse
from meetings.services.meetings import parse_email_list


class PeopleField(forms.CharField):
    """E-mail addresses, one per line or separated by commas; ``Name <address>`` keeps the name."""

    widget = forms.Textarea(attrs={"rows": 4})

    def clean(self, value):
        return parse_email_list(super().clean(value))


class InviteesForm(forms.Form):
    people = PeopleField(
        label=_("Invite also (e-mail addresses)"),
        required=False,
        # Crispy (like Django) shows help texts as HTML: escaped, the <address> is shown, not read as a tag.
        help_text=escape(_("One per line or separated by commas, e.g. Maija Meikäläinen <maija@example.org>.")),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=Language.choices,
        initial=Language.FINNISH,
        help_text=_("For people without an account; others get it in their own language."),
    )

    def __init__(self, *args, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        with_submit(self, submit_label)


class RsvpForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Will you attend?"), widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose your answer."), "invalid_choice": _("Choose one of the answers offered."),
        },
    )
    note = forms.CharField(
        label=_("Note for the organisers"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example accessibility or dietary needs. Only the coordinators see this."),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["response"].choices = [
            (value, RsvpResponse(value).label) for value in meeting.allowed_responses()
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's own <form> carries the token
