from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Language, User
from meetings.models import AgendaItem, Meeting, RsvpResponse
from meetings.services.meetings import parse_email_list
from organisations.models import Organisation
from tables.models import PartnershipTable, StandingMemberStatus

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's own date and time picker; the value is Helsinki time (the current time zone)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


def _with_submit(form: forms.BaseForm, label) -> None:
    form.helper = FormHelper()
    form.helper.add_input(Submit("submit", label))


def table_people(table: PartnershipTable):
    """People who may chair or keep the minutes: the table's representatives, substitutes, role holders
    and coordinators."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(pk__in=table.standing_members.filter(status=StandingMemberStatus.ACTIVE).values("representative"))
            | Q(pk__in=table.standing_members.filter(status=StandingMemberStatus.ACTIVE).values("substitute"))
            | Q(role_assignments__table=table)
            | Q(coordinated_tables=table)
            | Q(area_coordinator_roles__welfare_area_id=table.welfare_area_id)
        )
        .distinct()
        .order_by("full_name", "email")
    )


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "title", "description", "starts_at", "ends_at", "format", "address", "online_link", "capacity",
            "rsvp_deadline", "chair", "chair_person", "secretary",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "rsvp_deadline": DateTimeLocalInput(),
        }
        help_texts = {
            "starts_at": _("Finnish time."),
            "ends_at": _("Finnish time."),
            "chair": _("Suggested by rotation: the standing member organisation that chaired least recently."),
        }

    def __init__(self, *args, table: PartnershipTable, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at", "rsvp_deadline"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        self.fields["chair"].queryset = Organisation.objects.filter(
            standing_memberships__table=table, standing_memberships__status=StandingMemberStatus.ACTIVE
        ).order_by("name")
        people = table_people(table)
        self.fields["chair_person"].queryset = people
        self.fields["secretary"].queryset = people
        _with_submit(self, submit_label or _("Save"))

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return cleaned

    def meeting_data(self) -> dict:
        return dict(self.cleaned_data)


class PeopleField(forms.CharField):
    """E-mail addresses, one per line or separated by commas; ``Name <address>`` keeps the name."""

    widget = forms.Textarea(attrs={"rows": 4})

    def clean(self, value):
        return parse_email_list(super().clean(value))


class InviteesForm(forms.Form):
    people = PeopleField(
        label=_("Invite also (e-mail addresses)"),
        required=False,
        help_text=_("One per line or separated by commas, e.g. Maija Meikäläinen <maija@example.org>."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=Language.choices,
        initial=Language.FINNISH,
        help_text=_("For people without an account; others get it in their own language."),
    )

    def __init__(self, *args, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        _with_submit(self, submit_label)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Shown in the cancellation sent to everyone invited."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's own <form> carries the token


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "description", "presenter", "duration_minutes"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        _with_submit(self, submit_label)


class AgendaDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("decline", _("Decline"))], widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for declining"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Required when declining. The proposer sees it."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for declining; the proposer will see it."))
        return cleaned

    @property
    def accept(self) -> bool:
        return self.cleaned_data["decision"] == "accept"


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
