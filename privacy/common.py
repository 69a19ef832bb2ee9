"""What both the download and the deletion need: the person's addresses, invitations and audit history."""

from django.apps import apps
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalChanges

from accounts.models import User
from accounts.selectors import verified_addresses


def person_addresses(user: User) -> list[str]:
    """The addresses that are the person's: the ones they have verified (one query). An address
    merely typed into "add e-mail" is not (accounts/selectors.py)."""
    return verified_addresses(user)


def invitations_q(user: User, addresses: list[str]) -> Q:
    """The person's invitations: by account, or sent to one of their verified addresses before they
    had one (the same rule the meeting permissions use). ``addresses`` are normalised, as stored."""
    return Q(user=user) | Q(user__isnull=True, email__in=addresses)


def historical_models() -> list[type[models.Model]]:
    return sorted(
        (model for model in apps.get_models() if issubclass(model, HistoricalChanges)),
        key=lambda model: model._meta.label,
    )
