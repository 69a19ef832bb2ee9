"""Where meetings keeps personal data (the vocabulary: kumppanuus/personal_data.py).

Invitations, RSVPs, attendance and meeting reminders are anonymised by privacy's own procedure
(an invitation by address names no account; a kept attendance row needs a random person key).
"""

from kumppanuus.personal_data import Link, OnDelete, PersonalData

PERSONAL_DATA = (
    PersonalData(
        "meetings.Meeting",
        links=tuple(
            Link(path, OnDelete.CLEAR, download=("title", "status", "starts_at"))
            for path in ("chair_person", "secretary", "created_by")
        ),
    ),
    PersonalData(
        "meetings.InvitationRequest",
        links=(
            Link("user", OnDelete.DELETE, download=("meeting", "status", "created_at", "decided_at")),
            Link("decided_by", OnDelete.CLEAR, download=("meeting", "status", "decided_at")),
        ),
    ),
    PersonalData(
        "meetings.AgendaItem",
        links=(
            # The presenter is typed as text: the proposer usually names themselves, so the text
            # goes with the proposer's account as with the presenter's.
            Link(
                "proposed_by",
                OnDelete.CLEAR,
                download=("title", "description", "presenter", "status", "created_at"),
                erase=("presenter",),
            ),
            Link("presenter_user", OnDelete.CLEAR, download=("title", "presenter"), erase=("presenter",)),
            Link("decided_by", OnDelete.CLEAR, download=("title", "status", "decided_at")),
        ),
    ),
    PersonalData(
        "meetings.AgendaChange",
        links=(Link("changed_by", OnDelete.CLEAR, download=("meeting", "kind", "title", "created_at")),),
    ),
    PersonalData(
        "meetings.AgendaUpdate",
        links=(Link("invitation__user", OnDelete.DELETE, download=("meeting", "delivery_status", "sent_at")),),
    ),
    PersonalData(
        "meetings.Invitation",
        links=(
            # Also the invitations sent to one of the person's addresses before they had an account.
            Link(
                "user",
                OnDelete.ANONYMISE,
                download=("meeting", "email", "name", "language", "source", "delivery_status", "sent_kind", "sent_at"),
                erase=("name", "email", "last_error"),
            ),
            Link("added_by", OnDelete.CLEAR, download=("meeting",)),
        ),
    ),
    PersonalData(
        "meetings.Rsvp",
        links=(
            Link(
                "invitation__user",
                OnDelete.ANONYMISE,
                download=("response", "waitlisted", "note", "responded_at"),
                erase=("note",),
            ),
        ),
    ),
    PersonalData(
        "meetings.MeetingReminder",
        links=(Link("invitation__user", OnDelete.DELETE, download=("kind", "delivery_status", "sent_at")),),
    ),
    PersonalData(
        "meetings.Attendance",
        links=(
            Link("user", OnDelete.ANONYMISE, download=("meeting", "organisation", "attended", "online", "recorded_at")),
            Link("recorded_by", OnDelete.CLEAR, download=("meeting",)),
        ),
    ),
    PersonalData(
        "meetings.Minutes",
        links=(
            Link("published_by", OnDelete.CLEAR, download=("meeting", "published_at")),
            Link("updated_by", OnDelete.CLEAR, download=("meeting", "updated_at")),
        ),
    ),
    PersonalData(
        "meetings.ActionItem",
        links=(
            # The item stays with its organisation, or unassigned.
            Link("owner_user", OnDelete.CLEAR, download=("what", "owner_organisation", "due_on", "status")),
            Link("created_by", OnDelete.CLEAR, download=("what",)),
        ),
    ),
    PersonalData(
        "meetings.ActionItemFollowUp",
        links=(Link("recorded_by", OnDelete.CLEAR, download=("action_item", "outcome", "note", "recorded_at")),),
    ),
    PersonalData(
        "meetings.ActionItemReminder",
        links=(Link("user", OnDelete.DELETE, download=("action_item", "week", "delivery_status", "sent_at")),),
    ),
)

NO_PERSONAL_DATA = ()
