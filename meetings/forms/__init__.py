"""Forms of the meeting pages, split by subject; import from ``meetings.forms``."""

from meetings.forms.actions import ActionFilterForm, FollowUpForm, ReassignForm, follow_up_formset
from meetings.forms.agenda import AgendaDecisionForm, AgendaItemForm, AgendaProposalForm, agenda_places
from meetings.forms.feeds import ResetFeedForm
from meetings.forms.invitations import InviteesForm, PeopleField, RsvpForm
from meetings.forms.meetings import CancelForm, MeetingCopyForm, MeetingForm, table_people
from meetings.forms.records import (
    ActionItemForm,
    ActionItemStatusForm,
    AttendanceRowForm,
    CloseMeetingForm,
    DecisionForm,
    MinutesForm,
    action_item_formset,
    attendance_formset,
    decision_formset,
)
from meetings.forms.statistics import CountyStatisticsForm, StatisticsYearForm

__all__ = [
    "ActionFilterForm",
    "FollowUpForm",
    "ReassignForm",
    "follow_up_formset",
    "ActionItemForm",
    "ActionItemStatusForm",
    "AgendaDecisionForm",
    "AgendaItemForm",
    "AgendaProposalForm",
    "AttendanceRowForm",
    "CancelForm",
    "CloseMeetingForm",
    "DecisionForm",
    "InviteesForm",
    "MeetingCopyForm",
    "MeetingForm",
    "MinutesForm",
    "PeopleField",
    "ResetFeedForm",
    "RsvpForm",
    "CountyStatisticsForm",
    "StatisticsYearForm",
    "action_item_formset",
    "agenda_places",
    "attendance_formset",
    "decision_formset",
    "table_people",
]
