"""Forms for creating, editing and cancelling a meeting."""

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from kumppanuus.forms import finnish_as_plain, mark_languages
from meetings.forms._common import DATETIME_FORMAT, DateTimeLocalInput, with_submit
from meetings.models import Meeting
from organisations.models import Organisation
from tables.models import PartnershipTable, StandingMemberStatus


def table_people(table: PartnershipTable):
    """People who may chair or keep the minutes: the table's representatives, substitutes, role holders
    and coordinators."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(pk__in=table.standing_members.filter(status=StandingMemberStatus.ACTIVE).values("representative"))
            | Q(pk__in=table.standing_members.filter(status=StandingMemberStatus.ACTIVE).values("substitute"))
            | Q(role_assignments__table=table, role_assignments__accepted_at__isnull=False)
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
            "title_fi", "title_sv", "description_fi", "description_sv", "starts_at", "ends_at", "format",
            "address", "online_link", "capacity", "rsvp_deadline", "chair", "chair_person", "secretary",
        ]
        labels = {
            "title_fi": _("Title in Finnish"),
            "title_sv": _("Title in Swedish"),
            "description_fi": _("Description in Finnish"),
            "description_sv": _("Description in Swedish"),
        }
        widgets = {
            "description_fi": forms.Textarea(attrs={"rows": 3}),
            "description_sv": forms.Textarea(attrs={"rows": 3}),
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "rsvp_deadline": DateTimeLocalInput(),
        }
        help_texts = {
            "title_sv": _("Optional. People who use the service in Swedish see it; the others the Finnish text."),
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
        self.fields["title_fi"].required = True
        mark_languages(self, "title_fi", "title_sv", "description_fi", "description_sv")
        people = table_people(table)
        self.fields["chair_person"].queryset = people
        self.fields["secretary"].queryset = people
        with_submit(self, submit_label or _("Save"))

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return cleaned

    def meeting_data(self) -> dict:
        """The service's arguments: the Finnish texts as title and description, the Swedish as *_sv."""
        return finnish_as_plain(self.cleaned_data)


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


class MeetingCopyForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=DateTimeLocalInput(), input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        help_text=_("Finnish time. The new meeting lasts as long as this one."),
    )

    def __init__(self, *args, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        with_submit(self, submit_label)
