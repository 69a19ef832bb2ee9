"""The one list of where personal data lives: the declarations of the apps below (each app's
``personal_data.py``, beside its models), and of the libraries' models that privacy looks after.

Both the download (``selectors.personal_data_export``) and the deletion (``services.account_delete``)
follow it; ``tests/test_catalogue.py`` fails when a model with a person field is in neither list.
"""

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, Subquery
from django.db.models.functions import Cast
from simple_history.models import HistoricalChanges

import accounts.personal_data
import meetings.personal_data
import organisations.personal_data
import outbox.personal_data
import tables.personal_data
from accounts.models import User
from kumppanuus.personal_data import Link, NoPersonalData, OnDelete, PersonalData
from meetings.models import Invitation, Rsvp
from privacy.common import invitations_q

# The apps whose every model must be in one of the lists.
DECLARING_APPS = (accounts, organisations, tables, meetings, outbox)

# Libraries' models, looked after here:
LIBRARIES = (
    PersonalData(
        "account.EmailAddress",
        links=(Link("user", OnDelete.DELETE, download=("email", "verified", "primary")),),
    ),
    # The entries the person made go with the account (Django's LogEntry.user cascades); the
    # entries *about* the person (their account, their own rows) are found by key in
    # ``admin_log_about`` below, never by name.
    PersonalData("admin.LogEntry", links=(Link("user", OnDelete.DELETE),)),
)


def personal_data() -> tuple[PersonalData, ...]:
    found = [*LIBRARIES]
    for app in DECLARING_APPS:
        found.extend(app.personal_data.PERSONAL_DATA)
    return tuple(found)


def no_personal_data() -> tuple[NoPersonalData, ...]:
    return tuple(entry for app in DECLARING_APPS for entry in app.personal_data.NO_PERSONAL_DATA)


def model_of(entry: PersonalData | NoPersonalData) -> type[models.Model]:
    return apps.get_model(entry.model)


def rows_q(link: Link, user: User) -> Q:
    return Q(**{link.path: user.pk})


def history_of(model: type[models.Model]) -> type[models.Model] | None:
    """The model's django-simple-history table, if it is audited."""
    for candidate in apps.get_models():
        if issubclass(candidate, HistoricalChanges) and candidate.instance_type is model:
            return candidate
    return None


def own_rows() -> list[tuple[type[models.Model], Link]]:
    """The links that reach rows that are the person's own (deleted or anonymised with the account):
    what is said about those rows is said about the person."""
    return [
        (model_of(entry), link)
        for entry in personal_data()
        if entry.model != LogEntry._meta.label
        for link in entry.links
        if link.on_delete in (OnDelete.DELETE, OnDelete.ANONYMISE)
    ]


def _by_address(user: User, addresses: list[str]) -> dict[type[models.Model], Q]:
    """The person's rows that a link cannot find: invitations sent to one of their addresses
    before they had an account, and the RSVPs to them."""
    mine = invitations_q(user, addresses)
    return {Invitation: mine, Rsvp: Q(invitation__in=Invitation.objects.filter(mine))}


def admin_log_about(user: User, addresses: list[str]) -> Q:
    """The admin log's entries about the person, by key: about the account, or about one of the
    person's own rows (a membership, a coordinator role, an invitation, ...), never by name.
    Evaluated when the query runs: run it before the rows are deleted."""
    about = Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
    conditions: dict[type[models.Model], Q] = {}
    for model, link in own_rows():
        if model is User:
            continue
        conditions[model] = conditions.get(model, Q()) | rows_q(link, user)
    for model, condition in _by_address(user, addresses).items():
        conditions[model] = conditions.get(model, Q()) | condition
    for model, condition in conditions.items():
        keys = model._default_manager.filter(condition).annotate(key=Cast("pk", models.CharField())).values("key")
        about |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=Subquery(keys))
    return about
