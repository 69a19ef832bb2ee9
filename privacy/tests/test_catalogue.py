"""The one list of where personal data lives (privacy/catalogue.py, each app's personal_data.py):
every model of our apps that could hold a person's data is in it, and what it says can be followed."""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from simple_history.models import HistoricalChanges

from kumppanuus.personal_data import OnDelete
from privacy.catalogue import DECLARING_APPS, model_of, no_personal_data, personal_data
from privacy.services import _BY_PROCEDURE

# Field names that usually hold something about a person.
PERSONAL_NAME = re.compile(r"name|email|note|presenter")


def person_fields(model: type[models.Model]) -> list[str]:
    """The fields of ``model`` that point at a person or look like they hold a person's data."""
    found = []
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # reverse relations are the other model's fields
        to_user = field.is_relation and field.related_model is not None
        if to_user and field.related_model._meta.label == settings.AUTH_USER_MODEL:
            found.append(field.name)
        elif isinstance(field, models.EmailField) or PERSONAL_NAME.search(field.name):
            found.append(field.name)
    return found


def our_models() -> list[type[models.Model]]:
    labels = {app.__name__ for app in DECLARING_APPS}
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in labels and not issubclass(model, HistoricalChanges)
    ]


def test_the_check_sees_person_fields():
    from meetings.models import AgendaItem, Decision, Rsvp

    assert person_fields(Rsvp) == ["note"]
    assert set(person_fields(AgendaItem)) == {"presenter", "presenter_user", "proposed_by", "decided_by"}
    assert person_fields(Decision) == []


def test_every_model_with_a_person_field_is_in_one_list():
    holds = {entry.model for entry in personal_data()}
    holds_none = {entry.model for entry in no_personal_data()}
    assert not holds & holds_none, "a model is in both lists"
    missing = [
        f"{model._meta.label} ({', '.join(person_fields(model))})"
        for model in our_models()
        if person_fields(model) and model._meta.label not in holds | holds_none
    ]
    assert missing == [], (
        "Say in the app's personal_data.py where these keep personal data (PERSONAL_DATA), or why "
        "they hold none (NO_PERSONAL_DATA)"
    )


def test_every_declaration_names_real_models_and_fields():
    for entry in no_personal_data():
        assert entry.why, f"{entry.model}: say why it holds no personal data"
        model_of(entry)
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for entry in personal_data():
        model = model_of(entry)
        assert entry.links, entry.model
        for link in entry.links:
            # The lookup reaches the user (or is the user's own key).
            model._default_manager.filter(**{link.path: 0}).query  # noqa: B018 (raises on a bad lookup)
            if link.direct and link.path != "pk":
                assert model._meta.get_field(link.path).related_model is user_model, f"{entry.model}.{link.path}"
            for name in (*link.download, *link.erase):
                model._meta.get_field(name)
            for name in link.erase if entry.model not in _BY_PROCEDURE else ():
                # Emptied by the generic deletion, so they must allow "".
                field = model._meta.get_field(name)
                assert isinstance(field, models.CharField | models.TextField) and field.blank, f"{entry.model}.{name}"


def test_what_the_list_says_deletion_does_is_what_the_database_does():
    """The deletion empties the ``erase`` texts and deletes the DELETE rows itself; clearing a
    person from a kept row is the foreign key's SET_NULL (or the many-to-many link going)."""
    for entry in personal_data():
        if entry.model in _BY_PROCEDURE:
            continue
        model = model_of(entry)
        for link in entry.links:
            if not link.direct or link.on_delete is OnDelete.DELETE:
                continue
            field = model._meta.get_field(link.path)
            if field.many_to_many:
                continue
            on_delete = field.remote_field.on_delete
            if entry.model == "tables.PartnershipTable" and link.path == "owner":
                assert on_delete is models.PROTECT  # an owner's account cannot be deleted (the service says why)
                continue
            assert on_delete is models.SET_NULL, f"{entry.model}.{link.path} keeps the row: it must be SET_NULL"


@pytest.mark.parametrize("label", sorted(_BY_PROCEDURE))
def test_the_models_the_service_looks_after_itself_are_in_the_list(label):
    assert label in {entry.model for entry in personal_data()}
