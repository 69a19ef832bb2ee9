"""What both the download and the deletion need: the person's addresses, invitations and audit history."""

from allauth.account.models import EmailAddress
from django.apps import apps
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalChanges

from accounts.models import User


def person_addresses(user: User) -> list[str]:
    """Every address of the person: the account's and the ones allauth keeps (one query)."""
    found = {user.email.lower()}
    found.update(email.lower() for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    return sorted(found)


def invitations_q(user: User, addresses: list[str]) -> Q:
    """The person's invitations: by account, or sent to one of their addresses before they had one
    (the same rule the meeting permissions use)."""
    by_address = Q()
    for address in addresses:
        by_address |= Q(email__iexact=address)
    return Q(user=user) | (Q(user__isnull=True) & by_address)


def historical_models() -> list[type[models.Model]]:
    return sorted(
        (model for model in apps.get_models() if issubclass(model, HistoricalChanges)),
        key=lambda model: model._meta.label,
    )
