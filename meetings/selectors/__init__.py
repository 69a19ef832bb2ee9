"""Reads for the meeting pages (STYLE.md §1): each returns what one page shows in a fixed number of queries.

The package is split by subject; import from ``meetings.selectors``.
"""

from meetings.selectors.actions import (
    ActionFilters,
    FollowUpRow,
    action_item_get_for_reassign,
    action_items_to_reassign,
    meeting_follow_ups,
    minutes_follow_up_rows,
    open_action_items_for_agenda,
    open_action_items_for_meeting,
    open_actions_context,
    table_action_filter_choices,
    table_action_items,
)
from meetings.selectors.agenda import agenda_accepted, agenda_for_user, agenda_item_get_for_user
from meetings.selectors.dashboard import member_dashboard_context
from meetings.selectors.feeds import personal_feed_meetings, personal_feed_user, public_table_get, table_feed_meetings
from meetings.selectors.invitations import (
    OrganisationRepresentation,
    Registrations,
    attendee_export_rows,
    invitation_request_of,
    invitation_requests_waiting,
    invitations_of,
    label_answers,
    meeting_registrations,
    rsvp_of,
    seats_left,
)
from meetings.selectors.meetings import meeting_cancel_recipients, meeting_get_for_user, meeting_list_for_table
from meetings.selectors.records import (
    AttendanceRow,
    action_item_get_for_user,
    attendance_rows,
    can_see_people,
    meeting_records_context,
    minutes_detail_context,
    minutes_form_context,
    minutes_of,
    table_published_minutes,
)
from meetings.selectors.table_page import table_minutes_context

__all__ = [
    "ActionFilters",
    "FollowUpRow",
    "action_item_get_for_reassign",
    "action_items_to_reassign",
    "meeting_follow_ups",
    "minutes_follow_up_rows",
    "open_action_items_for_agenda",
    "open_action_items_for_meeting",
    "open_actions_context",
    "table_action_filter_choices",
    "table_action_items",
    "AttendanceRow",
    "OrganisationRepresentation",
    "Registrations",
    "action_item_get_for_user",
    "agenda_accepted",
    "agenda_for_user",
    "agenda_item_get_for_user",
    "attendance_rows",
    "attendee_export_rows",
    "invitation_request_of",
    "invitation_requests_waiting",
    "can_see_people",
    "invitations_of",
    "label_answers",
    "meeting_cancel_recipients",
    "meeting_get_for_user",
    "meeting_list_for_table",
    "meeting_records_context",
    "meeting_registrations",
    "member_dashboard_context",
    "minutes_detail_context",
    "minutes_form_context",
    "minutes_of",
    "personal_feed_meetings",
    "personal_feed_user",
    "public_table_get",
    "rsvp_of",
    "seats_left",
    "table_feed_meetings",
    "table_minutes_context",
    "table_published_minutes",
]
