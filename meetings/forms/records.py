"""Forms for the pages after the meeting: attendance, minutes, closing, action items.

Choice lists are given as plain lists, computed once per page by the selectors, so a formset of
many rows does not query the database once per row."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.ical import HELSINKI
from meetings.models import ActionItemStatus
from meetings.services.records import MAX_ACTION_ITEMS, MAX_DECISIONS, ActionItemEntry, AttendanceEntry, DecisionEntry

# --- Attendance -----------------------------------------------------------------


class AttendanceRowForm(forms.Form):
    invitation = forms.IntegerField(widget=forms.HiddenInput)
    attended = forms.BooleanField(label=_("Attended"), required=False)
    online = forms.BooleanField(label=_("Online"), required=False)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose the organisation from the list.")},
    )

    def __init__(self, *args, organisation_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("(no organisation)")), *organisation_choices]

    def entry(self) -> AttendanceEntry:
        data = self.cleaned_data
        return AttendanceEntry(
            invitation_id=data["invitation"],
            attended=data["attended"],
            online=data["online"],
            organisation_id=data["organisation"],
        )


class BaseAttendanceFormSet(forms.BaseFormSet):
    def entries(self) -> list[AttendanceEntry]:
        return [form.entry() for form in self.forms]


def attendance_formset(*, rows, organisation_choices, data=None):
    # No extra rows and no adding: the rows are the invitees; the maximum refuses a tampered count.
    FormSet = forms.formset_factory(
        AttendanceRowForm,
        formset=BaseAttendanceFormSet,
        extra=0,
        max_num=len(rows),
        absolute_max=max(len(rows), 1),
        validate_max=True,
    )
    initial = [
        {
            "invitation": row.invitation.pk,
            "attended": row.attended,
            "online": row.online,
            "organisation": row.organisation_id,
        }
        for row in rows
    ]
    return FormSet(
        data=data, initial=initial, prefix="attendance", form_kwargs={"organisation_choices": organisation_choices}
    )


# --- Minutes --------------------------------------------------------------------


class MinutesForm(forms.Form):
    body_markdown = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=100000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Markdown: # heading, *emphasis*, **bold**, - list items, 1. numbered items, "
            "[link text](https://…) and tables. Other HTML is removed."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The page's own <form> holds the formsets too, and its CSRF token.
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def entry(self) -> DecisionEntry:
        return DecisionEntry(text=self.cleaned_data["text"])


class ActionItemForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput, required=False)
    what = forms.CharField(label=_("What"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    owner_user = forms.TypedChoiceField(
        label=_("Responsible person"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose the person from the list.")},
    )
    owner_organisation = forms.TypedChoiceField(
        label=_("Responsible organisation"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose the organisation from the list.")},
    )
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD, for example 2026-03-31.")},
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionItemStatus.choices, initial=ActionItemStatus.OPEN)

    def __init__(self, *args, people_choices=(), organisation_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].choices = [("", "—"), *people_choices]
        self.fields["owner_organisation"].choices = [("", "—"), *organisation_choices]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("owner_user") and not cleaned.get("owner_organisation"):
            if "owner_user" not in self.errors and "owner_organisation" not in self.errors:
                self.add_error("owner_user", _("Name the responsible person or organisation."))
        return cleaned

    def entry(self) -> ActionItemEntry:
        data = self.cleaned_data
        return ActionItemEntry(
            pk=data.get("item"),
            what=data["what"],
            owner_user_id=data["owner_user"],
            owner_organisation_id=data["owner_organisation"],
            due_on=data["due_on"],
            status=data["status"],
        )


class BaseEntriesFormSet(forms.BaseFormSet):
    def entries(self) -> list:
        """The rows kept (not ticked for removal, extra rows only when filled in), in the order given."""
        if self.can_order:
            return [form.entry() for form in self.ordered_forms]
        initial = self.initial_form_count()
        return [
            form.entry()
            for index, form in enumerate(self.forms)
            if not self._should_delete_form(form) and (index < initial or form.has_changed())
        ]


class BaseDecisionFormSet(BaseEntriesFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = _("Order")
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this decision")


class BaseActionItemFormSet(BaseEntriesFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this action item")


EXTRA_ROWS = 2


def decision_formset(*, decisions, data=None):
    FormSet = forms.formset_factory(
        DecisionForm,
        formset=BaseDecisionFormSet,
        extra=EXTRA_ROWS,
        can_order=True,
        can_delete=True,
        max_num=MAX_DECISIONS,
        absolute_max=MAX_DECISIONS + EXTRA_ROWS,
        validate_max=True,
    )
    initial = [{"text": decision.text, "ORDER": position} for position, decision in enumerate(decisions, start=1)]
    return FormSet(data=data, initial=initial, prefix="decisions")


def action_item_formset(*, action_items, people_choices, organisation_choices, data=None):
    FormSet = forms.formset_factory(
        ActionItemForm,
        formset=BaseActionItemFormSet,
        extra=EXTRA_ROWS,
        can_delete=True,
        max_num=MAX_ACTION_ITEMS,
        absolute_max=MAX_ACTION_ITEMS + EXTRA_ROWS,
        validate_max=True,
    )
    initial = [
        {
            "item": item.pk,
            "what": item.what,
            "owner_user": item.owner_user_id,
            "owner_organisation": item.owner_organisation_id,
            "due_on": item.due_on,
            "status": item.status,
        }
        for item in action_items
    ]
    return FormSet(
        data=data,
        initial=initial,
        prefix="actions",
        form_kwargs={"people_choices": people_choices, "organisation_choices": organisation_choices},
    )


# --- Closing --------------------------------------------------------------------


class CloseMeetingForm(forms.Form):
    next_date = forms.DateField(
        label=_("Date of the next meeting"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD, for example 2026-03-31.")},
    )
    next_time = forms.TimeField(
        label=_("Starting time (Finnish time)"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Enter the time as HH:MM, for example 13:00.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Close the meeting and set the next one")))

    def next_starts_at(self) -> datetime.datetime:
        """The start on the Helsinki wall clock, as an aware datetime."""
        return datetime.datetime.combine(self.cleaned_data["next_date"], self.cleaned_data["next_time"]).replace(
            tzinfo=HELSINKI
        )


# --- Action items ---------------------------------------------------------------


class ActionItemStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionItemStatus.choices)
