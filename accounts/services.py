from django.db import transaction

from accounts.models import Language, User


@transaction.atomic
def user_update_profile(*, user: User, data: dict) -> User:
    """Saves the person's name, language and notification settings."""
    for field in ("full_name", "language", "notify_meeting_reminders", "notify_evaluation_reminders",
                  "notify_action_items", "notify_table_messages",
                  "notify_agenda_updates"):
        if field in data:
            setattr(user, field, data[field])
    user.full_clean(exclude=["password"])
    user.save()
    return user


def user_set_language(*, user: User, language: str) -> None:
    """Remembers the language chosen with the switch as the person's preference."""
    if language in Language.values and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
