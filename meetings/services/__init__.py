"""Every write to meetings goes through these functions (STYLE.md §2).

The package is split by subject; import from ``meetings.services``.
"""

from meetings.services.agenda import (
    agenda_item_add,
    agenda_item_decide,
    agenda_item_delete,
    agenda_item_move,
    agenda_item_propose,
    agenda_item_update,
    agenda_update_recipients,
)
from meetings.services.meetings import (
    INVITATION_REQUEST,
    INVITATION_REQUEST_DECLINED,
    invitation_request_create,
    invitation_request_decide,
    invitation_retry_failed,
    invitation_revoke_links,
    meeting_add_invitees,
    meeting_cancel,
    meeting_copy,
    meeting_create,
    meeting_delete,
    meeting_schedule,
    meeting_suggest_chair,
    meeting_update,
    parse_email_list,
    table_invitees,
    unique_invitees,
)
from meetings.services.reminders import (
    action_item_due_soon_queue,
    action_item_reminders_queue_due,
    meeting_reminders_queue_due,
)
from meetings.services.rsvp import (
    rsvp_closed_reason,
    rsvp_record,
    rsvp_record_for_user,
    seats_taken,
    waitlist_promote,
)

__all__ = [
    "action_item_due_soon_queue",
    "INVITATION_REQUEST",
    "INVITATION_REQUEST_DECLINED",
    "action_item_reminders_queue_due",
    "agenda_item_add",
    "agenda_item_decide",
    "agenda_item_delete",
    "agenda_item_move",
    "agenda_item_propose",
    "agenda_item_update",
    "agenda_update_recipients",
    "invitation_request_create",
    "invitation_request_decide",
    "invitation_retry_failed",
    "invitation_revoke_links",
    "meeting_add_invitees",
    "meeting_cancel",
    "meeting_copy",
    "meeting_create",
    "meeting_delete",
    "meeting_reminders_queue_due",
    "meeting_schedule",
    "meeting_suggest_chair",
    "meeting_update",
    "parse_email_list",
    "rsvp_closed_reason",
    "rsvp_record",
    "rsvp_record_for_user",
    "seats_taken",
    "table_invitees",
    "unique_invitees",
    "waitlist_promote",
]
