"""Where accounts keeps personal data (the vocabulary: kumppanuus/personal_data.py)."""

from kumppanuus.personal_data import Link, OnDelete, PersonalData

PERSONAL_DATA = (
    # The account itself; privacy deletes it last, after everything that points at it.
    PersonalData(
        "accounts.User",
        links=(
            Link(
                "pk",
                OnDelete.DELETE,
                download=(
                    "email", "full_name", "language", "notify_meeting_reminders", "notify_evaluation_reminders",
                    "notify_action_items", "notification_rhythms",
                    "calendar_token", "is_active", "is_staff",
                    "is_superuser", "date_joined", "last_login",
                ),
            ),
        ),
        why="The password hash is left out of the download: it is a credential, not information about the person.",
    ),
)

NO_PERSONAL_DATA = ()
