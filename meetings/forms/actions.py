"""Forms for following action items: the open items in the minutes form, a table's action list's
filters, and giving an item whose owner has left to someone else.

Choice lists come from the selectors as plain lists, so the forms never query per row."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from meetings.models import ActionItemStatus, FollowUpOutcome
from meetings.services.actions import NO_DECISION, NOTE_LIMIT, FollowUpEntry

# --- Open items in the minutes form -------------------------------------------------

FOLLOW_UP_PREFIX = "followups"


class FollowUpForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("Decision at this meeting"),
        required=False,
        widget=forms.RadioSelect,
        choices=[(NO_DECISION, _("Not discussed")), *FollowUpOutcome.choices],
        error_messages={"invalid_choice": _("Choose what was decided from the list.")},
    )
    note = forms.CharField(
        label=_("Follow-up note"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the item carries on: what happens next."),
    )
    new_due_on = forms.DateField(
        label=_("New due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Only when the item carries on; leave empty to keep the due date."),
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD, for example 2026-03-31.")},
    )

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == FollowUpOutcome.CARRIED and not (cleaned.get("note") or "").strip() and "note" not in self.errors:
            self.add_error("note", _("Write a note on how the item carries on."))
        if outcome == NO_DECISION and (cleaned.get("note") or "").strip():
            self.add_error("outcome", _("Choose done or carried on for the note, or leave the note empty."))
        if cleaned.get("new_due_on") and outcome != FollowUpOutcome.CARRIED:
            self.add_error("new_due_on", _("A new due date is given only when the item carries on."))
        return cleaned

    def entry(self) -> FollowUpEntry:
        data = self.cleaned_data
        return FollowUpEntry(
            action_item_id=data["item"],
            outcome=data["outcome"] or NO_DECISION,
            note=data["note"],
            new_due_on=data["new_due_on"],
        )


class BaseFollowUpFormSet(forms.BaseFormSet):
    def entries(self) -> list[FollowUpEntry]:
        return [form.entry() for form in self.forms]


def follow_up_formset(*, rows, data=None):
    """One form per open item (no adding: the rows are the items); the maximum refuses a tampered count."""
    FormSet = forms.formset_factory(
        FollowUpForm,
        formset=BaseFollowUpFormSet,
        extra=0,
        max_num=len(rows),
        absolute_max=max(len(rows), 1),
        validate_max=True,
    )
    initial = [
        {
            "item": row.item.pk,
            "outcome": row.follow_up.outcome if row.follow_up else NO_DECISION,
            "note": row.follow_up.note if row.follow_up else "",
            "new_due_on": row.follow_up.new_due_on if row.follow_up else None,
        }
        for row in rows
    ]
    return FormSet(data=data, initial=initial, prefix=FOLLOW_UP_PREFIX)


# --- A table's action list -------------------------------------------------------------


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *ActionItemStatus.choices])
    owner = forms.ChoiceField(label=_("Responsible"), required=False)
    meeting = forms.TypedChoiceField(label=_("Agreed at"), required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        owners = [("", _("Anyone")), ("unassigned", _("Unassigned (the owner has left)"))]
        if choices["organisations"]:
            owners.append(
                (_("Organisations"), [(f"organisation:{pk}", name) for pk, name in choices["organisations"]])
            )
        if choices["people"]:
            owners.append((_("People"), [(f"person:{pk}", name) for pk, name in choices["people"]]))
        self.fields["owner"].choices = owners
        meetings = [
            (pk, f"{title} ({date_format(timezone.localtime(starts), 'SHORT_DATE_FORMAT')})")
            for pk, title, starts in choices["meetings"]
        ]
        self.fields["meeting"].choices = [("", _("Any meeting")), *meetings]

    def values(self) -> dict:
        """The filters as the selector takes them; an invalid value is ignored (the list is not narrowed by it)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status") or "",
            "owner": data.get("owner") or "",
            "meeting_id": data.get("meeting"),
            "overdue": bool(data.get("overdue")),
        }


# --- Reassigning ---------------------------------------------------------------------


class ReassignForm(forms.Form):
    owner_email = forms.EmailField(
        label=_("Responsible person (e-mail address)"),
        required=False,
        max_length=254,
        help_text=_("The address the person signs in with."),
    )
    owner_organisation = forms.TypedChoiceField(
        label=_("Responsible organisation"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose one of the table's standing member organisations.")},
    )

    def __init__(self, *args, organisation_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].choices = [("", "—"), *organisation_choices]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Give the action item to them")))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("owner_email") and cleaned.get("owner_organisation") is None:
            if "owner_email" not in self.errors and "owner_organisation" not in self.errors:
                self.add_error("owner_email", _("Name the new responsible person or organisation."))
        return cleaned
