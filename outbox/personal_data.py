"""Where the outbox keeps personal data (the vocabulary: kumppanuus/personal_data.py)."""

from kumppanuus.personal_data import Link, OnDelete, PersonalData

PERSONAL_DATA = (
    # A one-off e-mail to the person: it goes with the account (nothing counts these).
    PersonalData(
        "outbox.Notification",
        links=(Link("user", OnDelete.DELETE, download=("kind", "email", "delivery_status", "created_at", "sent_at")),),
    ),
)

NO_PERSONAL_DATA = ()
