"""Where the outbox keeps personal data (the vocabulary: kumppanuus/personal_data.py)."""

from kumppanuus.personal_data import Link, OnDelete, PersonalData

PERSONAL_DATA = (
    # A one-off e-mail to the person: it goes with the account (nothing counts these).
    PersonalData(
        "outbox.Notification",
        links=(Link("user", OnDelete.DELETE, download=("kind", "email", "delivery_status", "rhythm", "created_at",
                                                       "sent_at")),),
    ),
    # A digest e-mail to the person: it goes with the account, like the notifications it lists.
    PersonalData(
        "outbox.Digest",
        links=(
            Link("user", OnDelete.DELETE, download=("rhythm", "period", "delivery_status", "created_at", "sent_at")),
        ),
    ),
)

NO_PERSONAL_DATA = ()
