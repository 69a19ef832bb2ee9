from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Language, User
from outbox.preferences import DIGEST_KIND_PREFIX, Rhythm, choosable_kinds, may_choose, rhythm_for

PROFILE_FIELDS = ("full_name", "language", "notify_meeting_reminders", "notify_evaluation_reminders",
                  "notify_action_items")


def _merged_rhythms(current: dict, chosen: dict) -> dict:
    """The person's choices with ``chosen`` applied: only kinds they may choose, only valid rhythms;
    "at once" (the default) is not stored."""
    for kind, rhythm in chosen.items():
        if not may_choose(kind) or rhythm not in Rhythm.values:
            raise ValidationError({"notification_rhythms": f"Not a choice: {kind!r} = {rhythm!r}"})
    merged = {**(current or {}), **chosen}
    return {kind: rhythm for kind, rhythm in sorted(merged.items()) if rhythm != Rhythm.NOW}


@transaction.atomic
def user_update_profile(*, user: User, data: dict) -> User:
    """Saves the person's name, language and notification settings (``notification_rhythms``: the
    kinds whose rhythm changes; the others are kept)."""
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(user, field, data[field])
    if "notification_rhythms" in data:
        user.notification_rhythms = _merged_rhythms(user.notification_rhythms, data["notification_rhythms"])
    user.full_clean(exclude=["password"])
    user.save()
    return user


def unsubscribe_kinds(user: User, kind: str) -> list[str]:
    """The kinds an unsubscribe link for ``kind`` turns off now: the kind itself unless it is off
    already, or for a digest's link every kind the person gets in that digest."""
    if kind.startswith(DIGEST_KIND_PREFIX):
        rhythm = kind.removeprefix(DIGEST_KIND_PREFIX)
        return [each for each in choosable_kinds() if rhythm_for(user, each) == rhythm]
    return [kind] if may_choose(kind) and rhythm_for(user, kind) != Rhythm.OFF else []


@transaction.atomic
def user_unsubscribe(*, user: User, kind: str) -> list[str]:
    """Turns off what an unsubscribe link names (List-Unsubscribe); returns the kinds turned off.
    Idempotent: a second click finds them off already."""
    user = User.objects.select_for_update().get(pk=user.pk)
    kinds = unsubscribe_kinds(user, kind)
    if kinds:
        user.notification_rhythms = _merged_rhythms(user.notification_rhythms, dict.fromkeys(kinds, Rhythm.OFF))
        user.save(update_fields=["notification_rhythms"])
    return kinds


def user_set_language(*, user: User, language: str) -> None:
    """Remembers the language chosen with the switch as the person's preference."""
    if language in Language.values and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
