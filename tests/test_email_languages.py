"""E-mails are written in each recipient's language: rendered in fi, sv and en, the Finnish and
Swedish messages must not carry the English sentences (an untranslated string shows up verbatim)."""

import re

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory
from meetings.models import MeetingStatus
from meetings.services.meetings import meeting_cancel, meeting_schedule
from meetings.tests.factories import MeetingFactory
from organisations.models import MembershipRole
from organisations.services import organisation_decide_eligibility
from organisations.tests.factories import MembershipFactory, OrganisationFactory
from tables.tests.factories import PartnershipTableFactory, StandingMemberFactory

LANGUAGES = ("fi", "sv", "en")
URL = re.compile(r"https?://\S+")


def _people(prefix: str) -> dict:
    return {
        language: UserFactory(email=f"{prefix}-{language}@example.org", full_name="Alex Nieminen", language=language)
        for language in LANGUAGES
    }


def _sentences(text: str, dynamic: list[str]) -> set[str]:
    """The English sentences of a message, with names, titles and addresses taken out."""
    text = URL.sub(" ", text)
    for value in dynamic:
        text = text.replace(value, " ")
    parts = re.split(r"[\n.:!?]+", text)
    return {" ".join(p.split()) for p in parts if len(re.findall(r"[A-Za-z]{2,}", p)) >= 3}


def assert_translated(messages_by_language: dict, dynamic: list[str]) -> None:
    english = messages_by_language["en"]
    english_sentences = _sentences(english.subject + "\n" + english.body, dynamic)
    assert english_sentences, "the English message should have sentences to compare"
    for language in ("fi", "sv"):
        message = messages_by_language[language]
        text = " ".join((message.subject + "\n" + message.body).split())
        leftovers = sorted(s for s in english_sentences if s in text)
        assert not leftovers, f"untranslated English in the {language} e-mail: {leftovers}"
        html = message.alternatives[0][0] if message.alternatives else ""
        assert f'lang="{language}"' in html or not html


def _by_language(people: dict) -> dict:
    by_address = {message.to[0]: message for message in mail.outbox}
    return {language: by_address[person.email] for language, person in people.items()}


@pytest.mark.django_db
def test_eligibility_decision_mail_in_each_representatives_language(
    coordinator, area, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(welfare_area=area, eligibility="pending", name="Kokkolan Kamu ry")
    people = _people("rep")
    for person in people.values():
        MembershipFactory(user=person, organisation=organisation, role=MembershipRole.REPRESENTATIVE)
    with django_capture_on_commit_callbacks(execute=True):
        organisation_decide_eligibility(
            actor=coordinator, organisation=organisation, approve=False, reason="Ei sote-toimintaa"
        )
    assert_translated(_by_language(people), dynamic=[organisation.name, area.name, "Alex", "Ei sote-toimintaa"])


@pytest.mark.django_db
def test_invitation_and_cancellation_mails_in_each_invitees_language(
    coordinator, area, django_capture_on_commit_callbacks
):
    table = PartnershipTableFactory(welfare_area=area, name="Psykososiaalinen kumppanuuspöytä")
    people = _people("invitee")
    for person in people.values():
        StandingMemberFactory(table=table, representative=person)
    meeting = MeetingFactory(table=table, status=MeetingStatus.DRAFT, title="Kevään kumppanuuspöytä")
    dynamic = [table.name, meeting.title, meeting.address, "Alex Nieminen", "Alex", coordinator.full_name,
               coordinator.email]

    with django_capture_on_commit_callbacks(execute=True):
        meeting_schedule(actor=coordinator, meeting=meeting)
    invitations = _by_language(people)
    assert_translated(invitations, dynamic)

    mail.outbox.clear()
    meeting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(actor=coordinator, meeting=meeting, reason="")
    assert_translated(_by_language(people), dynamic)


@pytest.mark.django_db
def test_table_message_chrome_in_each_recipients_language(coordinator, area, django_capture_on_commit_callbacks):
    from tables.services import table_message_send

    table = PartnershipTableFactory(welfare_area=area, name="Psykososiaalinen kumppanuuspöytä",
                                    name_fi="Psykososiaalinen kumppanuuspöytä", name_sv="Psykosociala bordet")
    people = _people("message")
    for person in people.values():
        seat = StandingMemberFactory(table=table, representative=person)
        MembershipFactory(user=person, organisation=seat.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        table_message_send(actor=coordinator, table=table, subject_fi="Kevään kokous", body_fi="Tervetuloa.")
    dynamic = [table.name_fi, table.name_sv, "Kevään kokous", "Tervetuloa", "Alex", str(coordinator)]
    assert_translated(_by_language(people), dynamic)
