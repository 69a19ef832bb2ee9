"""Both languages of a bilingual county: what coordinators write for a table's meetings, agenda and
process steps can be given in Finnish and Swedish; each reader sees their language (the other where
theirs is missing), and each recipient's e-mail and calendar file are in theirs."""

import importlib

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import translation

from accounts.models import Language
from meetings.models import AgendaChange, AgendaItem, Meeting, MeetingFormat, MeetingStatus
from meetings.services import (
    agenda_item_add,
    agenda_item_propose,
    agenda_item_update,
    meeting_copy,
    meeting_create,
    meeting_schedule,
    meeting_update,
)
from meetings.tests.factories import MeetingFactory, in_days
from tables.models import ProcessStep
from tables.services import process_step_create, process_steps_copy
from tables.tests.factories import PartnershipTableFactory, role

pytestmark = pytest.mark.django_db


def _page(client, user, url: str, language: str) -> str:
    client.force_login(user)
    client.cookies["kumppanuus_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def bilingual(table, standing, coordinator):
    """A draft with a Finnish and a Swedish title and description, and an item in both languages."""
    meeting = meeting_create(
        actor=coordinator, table=table, title="Kevään kokous", title_sv="Vårens möte",
        description="Tervetuloa kahville.", description_sv="Välkommen på kaffe.",
        starts_at=in_days(20), ends_at=in_days(20, 15), format=MeetingFormat.IN_PERSON,
        address="Raastuvankatu 2, Vaasa",
    )
    agenda_item_add(actor=coordinator, meeting=meeting, title="Talousarvio", title_sv="Budget")
    agenda_item_add(actor=coordinator, meeting=meeting, title="Muut asiat")  # Finnish only
    return meeting


def test_the_services_keep_each_language_in_its_column(bilingual):
    meeting = Meeting.objects.get(pk=bilingual.pk)
    assert (meeting.title_fi, meeting.title_sv, meeting.description_fi, meeting.description_sv) == (
        "Kevään kokous", "Vårens möte", "Tervetuloa kahville.", "Välkommen på kaffe."
    )
    items = list(meeting.agenda_items.order_by("position"))
    assert [(item.title_fi, item.title_sv) for item in items] == [("Talousarvio", "Budget"), ("Muut asiat", None)]


@pytest.mark.parametrize(
    ("language", "title", "item", "fallback"),
    [("fi", "Kevään kokous", "Talousarvio", "Muut asiat"), ("sv", "Vårens möte", "Budget", "Muut asiat"),
     ("en", "Kevään kokous", "Talousarvio", "Muut asiat")],
)
def test_each_reader_sees_their_language_and_the_other_where_theirs_is_missing(
    client, bilingual, coordinator, language, title, item, fallback
):
    page = _page(client, coordinator, reverse("meetings:detail", args=[bilingual.pk]), language)
    assert title in page and item in page and fallback in page
    other = {"fi": "Vårens möte", "sv": "Kevään kokous", "en": "Vårens möte"}[language]
    assert other not in page


def test_a_swedish_only_text_shows_to_a_finnish_reader(client, table, standing, coordinator):
    meeting = MeetingFactory(table=table, created_by=coordinator, title_fi="Kokous", title_sv="Möte")
    Meeting.objects.rewrite(False).filter(pk=meeting.pk).update(title_fi="")
    page = _page(client, coordinator, reverse("meetings:detail", args=[meeting.pk]), "fi")
    assert "Möte" in page


def test_a_swedish_invitee_gets_the_swedish_title_in_the_mail_and_the_calendar(
    bilingual, coordinator, representative, django_capture_on_commit_callbacks
):
    representative.language = Language.SWEDISH
    representative.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        meeting_schedule(
            actor=coordinator, meeting=bilingual, extra_people=[("Fanni Suomi", "fanni@example.org")],
            language=Language.FINNISH,
        )
    by_address = {message.to[0]: message for message in mail.outbox}
    swedish, finnish = by_address[representative.email], by_address["fanni@example.org"]

    assert "Vårens möte" in swedish.subject and "Vårens möte" in swedish.body
    assert "Budget" in swedish.body and "Muut asiat" in swedish.body  # no Swedish text: the Finnish one
    assert "Välkommen på kaffe." in swedish.body
    assert "Kevään kokous" in finnish.subject and "Talousarvio" in finnish.body

    def summary(message) -> str:
        [part] = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
        [event] = icalendar.Calendar.from_ical(part.get_payload(decode=True)).events
        return str(event["SUMMARY"])

    assert summary(swedish) == "Vårens möte"
    assert summary(finnish) == "Kevään kokous"


def test_an_update_tells_a_swedish_invitee_the_old_and_new_swedish_title(
    bilingual, coordinator, representative, django_capture_on_commit_callbacks
):
    representative.language = Language.SWEDISH
    representative.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        meeting_schedule(actor=coordinator, meeting=bilingual)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(actor=coordinator, meeting=bilingual, data={"title_sv": "Vårmöte"})
    [message] = mail.outbox
    assert "Vårens möte" in message.body and "Vårmöte" in message.body
    assert "Kevään kokous" not in message.body  # the Finnish title did not change, nor is it shown


def test_a_renamed_agenda_item_is_told_in_each_language(bilingual, coordinator):
    meeting = bilingual
    meeting.status = MeetingStatus.SCHEDULED
    meeting.save(update_fields=["status"])
    item = meeting.agenda_items.get(title_fi="Talousarvio")
    agenda_item_update(actor=coordinator, item=item, title="Talousarvio 2027", title_sv="Budget 2027")
    change = AgendaChange.objects.get(meeting=meeting)
    with translation.override("sv"):
        assert (change.title, change.renamed_from) == ("Budget 2027", "Budget")
    with translation.override("fi"):
        assert (change.title, change.renamed_from) == ("Talousarvio 2027", "Talousarvio")
    agenda_item_update(actor=coordinator, item=item, title="Talousarvio 2027", title_sv="Budget 2027",
                       presenter="Pekka")
    latest = AgendaChange.objects.filter(meeting=meeting).latest("pk")
    for language in ("fi", "sv"):
        with translation.override(language):
            assert latest.renamed_from == ""  # the titles did not change: no "was …"


def test_copying_a_meeting_copies_both_languages(bilingual, coordinator):
    copy = meeting_copy(actor=coordinator, meeting=bilingual, starts_at=in_days(50))
    assert (copy.title_fi, copy.title_sv, copy.description_sv) == (
        "Kevään kokous", "Vårens möte", "Välkommen på kaffe."
    )
    assert [(i.title_fi, i.title_sv) for i in copy.agenda_items.order_by("position")] == [
        ("Talousarvio", "Budget"), ("Muut asiat", None)
    ]


def test_a_member_proposes_in_their_own_language(meeting, representative):
    proposal = agenda_item_propose(actor=representative, meeting=meeting, title="Kamratstöd", language="sv")
    proposal.refresh_from_db()
    assert (proposal.title_fi or "", proposal.title_sv) == ("", "Kamratstöd")
    with translation.override("fi"):
        assert proposal.title == "Kamratstöd"  # the only text there is


def test_the_forms_save_both_languages(client, table, standing, coordinator):
    client.force_login(coordinator)
    response = client.post(f"{reverse('meetings:create')}?table={table.pk}", {
        "title_fi": "Syyskokous", "title_sv": "Höstmöte", "description_fi": "Kuvaus", "description_sv": "Beskrivning",
        "starts_at": in_days(20).strftime("%Y-%m-%dT%H:%M"), "ends_at": in_days(20, 15).strftime("%Y-%m-%dT%H:%M"),
        "format": MeetingFormat.IN_PERSON, "address": "Raastuvankatu 2, Vaasa",
    })
    assert response.status_code == 302
    meeting = Meeting.objects.get(table=table)
    assert (meeting.title_fi, meeting.title_sv, meeting.description_sv) == ("Syyskokous", "Höstmöte", "Beskrivning")

    response = client.post(
        reverse("meetings:agenda_add", args=[meeting.pk]), {"title_fi": "Avaus", "title_sv": "Öppning"}
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    assert (item.title_fi, item.title_sv) == ("Avaus", "Öppning")
    response = client.post(reverse("meetings:agenda_edit", args=[item.pk]), {"title_fi": "Avaus", "title_sv": ""})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title_sv is None  # emptied: the Finnish shows in its place

    response = client.post(reverse("tables:steps", args=[table.pk]), {
        "role": role("chair").pk, "what_fi": "Avaa kokouksen", "what_sv": "Öppnar mötet", "when_fi": "Alussa",
    })
    assert response.status_code == 302
    step = ProcessStep.objects.get(table=table)
    assert (step.what_fi, step.what_sv, step.when_fi, step.when_sv) == (
        "Avaa kokouksen", "Öppnar mötet", "Alussa", None
    )


def test_the_forms_mark_the_languages_and_want_the_finnish_title(client, table, standing, coordinator):
    client.force_login(coordinator)
    client.cookies["kumppanuus_language"] = "fi"
    url = f"{reverse('meetings:create')}?table={table.pk}"
    page = client.get(url).content.decode()
    assert 'name="title_fi"' in page and 'name="title_sv"' in page
    assert 'lang="sv"' in page and 'lang="fi"' in page
    assert "Otsikko suomeksi" in page and "Otsikko ruotsiksi" in page
    response = client.post(url, {"title_fi": "", "title_sv": "Höstmöte", "format": MeetingFormat.IN_PERSON})
    assert response.status_code == 400 and "title_fi" in response.context["form"].errors

    page = client.get(reverse("tables:steps", args=[table.pk])).content.decode()
    assert 'name="what_fi"' in page and 'name="what_sv"' in page and 'lang="sv"' in page


def test_process_steps_are_shown_and_copied_in_both_languages(client, table, coordinator):
    step = process_step_create(actor=coordinator, table=table, role=role("chair"), what="Avaa kokouksen",
                               what_sv="Öppnar mötet", how="Toivottaa tervetulleeksi")
    assert step.history.count() == 1 and step.history.first().what_sv == "Öppnar mötet"  # history in every language
    page = _page(client, coordinator, reverse("tables:process", args=[table.pk]), "sv")
    assert "Öppnar mötet" in page and "Toivottaa tervetulleeksi" in page  # no Swedish "how": the Finnish
    page = _page(client, coordinator, reverse("tables:process", args=[table.pk]), "fi")
    assert "Avaa kokouksen" in page and "Öppnar mötet" not in page

    target = PartnershipTableFactory(sector=table.sector)
    process_steps_copy(actor=coordinator, table=target, source_table=table)
    copied = ProcessStep.objects.get(table=target)
    assert (copied.what_fi, copied.what_sv, copied.how_fi) == (
        "Avaa kokouksen", "Öppnar mötet", "Toivottaa tervetulleeksi"
    )


def test_values_across_a_relation_read_the_readers_language(bilingual, coordinator):
    """The personal-data download lists meetings by title through .values() of other models."""
    from kumppanuus.translated import in_active_language
    from meetings.models import Invitation

    Invitation.objects.create(meeting=bilingual, email="x@example.org", added_by=coordinator)
    for language, title in (("sv", "Vårens möte"), ("fi", "Kevään kokous"), ("en", "Kevään kokous")):
        with translation.override(language):
            rows = Invitation.objects.filter(meeting=bilingual).values(title=in_active_language("meeting__title"))
            assert [row["title"] for row in rows] == [title]
    Meeting.objects.rewrite(False).filter(pk=bilingual.pk).update(title_sv="")
    with translation.override("sv"):
        rows = Invitation.objects.filter(meeting=bilingual).values(title=in_active_language("meeting__title"))
        assert [row["title"] for row in rows] == ["Kevään kokous"]  # no Swedish: the Finnish


@pytest.mark.parametrize(
    ("app", "migration", "rows"),
    [
        ("meetings", "0013_meeting_agenda_translations", ("Meeting", "AgendaItem")),
        ("tables", "0009_process_step_translations", ("ProcessStep",)),
    ],
)
def test_the_migration_copies_the_existing_texts_into_the_finnish_column(
    table, coordinator, app, migration, rows
):
    """Rows written before the texts were translated have only the untranslated column; the
    migration's copy, run with the migration's own (historical) models, fills the Finnish one."""
    meeting = MeetingFactory(table=table, created_by=coordinator, title="Vanha kokous", description="Vanha kuvaus")
    AgendaItem.objects.create(meeting=meeting, title_fi="Vanha asia")
    process_step_create(actor=coordinator, table=table, role=role("chair"), what="Vanha vaihe", how="Näin")
    state = MigrationLoader(connection).project_state((app, migration))
    for name in rows:
        model = state.apps.get_model(app, name)
        texts = [f.name for f in model._meta.fields if f.name.endswith("_fi")]
        # As before the migration: the untranslated column only.
        model.objects.update(**{f"{text[:-3]}": f"old {text[:-3]}" for text in texts}, **dict.fromkeys(texts))
    module = importlib.import_module(f"{app}.migrations.{migration}")
    module.copy_into_finnish(state.apps, None)
    for name in rows:
        model = state.apps.get_model(app, name)
        for row in model.objects.all():
            for text in (f.name for f in model._meta.fields if f.name.endswith("_fi")):
                assert getattr(row, text) == f"old {text[:-3]}", (name, text)


def test_an_agenda_item_needs_its_finnish_title(meeting, coordinator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        agenda_item_add(actor=coordinator, meeting=meeting, title="", title_sv="Budget")


def test_closing_a_meeting_gives_the_next_one_its_title_in_both_languages(past_meeting, secretary):
    from meetings.services.records import meeting_close

    Meeting.objects.rewrite(False).filter(pk=past_meeting.pk).update(title_fi="Kokous", title_sv="Möte")
    past_meeting.refresh_from_db()
    with translation.override("sv"):  # whoever closes it uses the service in Swedish
        next_meeting = meeting_close(actor=secretary, meeting=past_meeting, next_starts_at=in_days(60, hour=10))
    next_meeting.refresh_from_db()
    assert (next_meeting.title_fi, next_meeting.title_sv) == ("Kokous", "Möte")
