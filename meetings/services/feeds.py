"""The secret of a person's private calendar feed."""

from django.db import transaction

from accounts.models import User, new_calendar_token


@transaction.atomic
def user_reset_calendar_token(*, user: User) -> str:
    """Gives the person a new feed token; every copy of the old feed address stops working at once."""
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token
