"""The editable agenda (edit, delete, accept at a place) and the coalesced "agenda updated" e-mail."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.models import (
    AgendaChange,
    AgendaChangeKind,
    AgendaItem,
    AgendaItemStatus,
    AgendaUpdate,
    InvitationKind,
    MeetingStatus,
    OutboxStatus,
)
from meetings.services import (
    agenda_item_add,
    agenda_item_decide,
    agenda_item_delete,
    agenda_item_move,
    agenda_item_propose,
    agenda_item_update,
    meeting_cancel,
)
from meetings.services.agenda import AGENDA_UPDATE
from meetings.tests.factories import AgendaItemFactory, InvitationFactory, MeetingFactory
from outbox.engine import deliver, outbox_release_due, outbox_sweep

pytestmark = pytest.mark.django_db


def _titles(meeting) -> list[str]:
    return list(
        AgendaItem.objects.filter(meeting=meeting, status=AgendaItemStatus.ACCEPTED)
        .order_by("position")
        .values_list("title", flat=True)
    )


def _positions(meeting) -> list[int]:
    return list(
        AgendaItem.objects.filter(meeting=meeting, status=AgendaItemStatus.ACCEPTED)
        .order_by("position")
        .values_list("position", flat=True)
    )


@pytest.fixture
def agenda(meeting, coordinator):
    """Three items on the agenda of the (scheduled) meeting, which has nobody invited yet."""
    return [agenda_item_add(actor=coordinator, meeting=meeting, title=title) for title in ("Avaus", "Talous", "Muut")]


# --- Editing and deleting ---------------------------------------------------------------------


def test_the_coordinator_edits_an_item(meeting, coordinator, agenda):
    item = agenda_item_update(
        actor=coordinator, item=agenda[1], title="Talousarvio 2026", description="Luonnos liitteenä",
        presenter="Maija Meikäläinen", duration_minutes=30,
    )
    item.refresh_from_db()
    assert (item.title, item.description, item.presenter, item.duration_minutes) == (
        "Talousarvio 2026", "Luonnos liitteenä", "Maija Meikäläinen", 30,
    )
    assert _titles(meeting) == ["Avaus", "Talousarvio 2026", "Muut"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "Rivi\nkaksi"}, "title"),
        ({"presenter": "Maija\x00"}, "presenter"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 601}, "duration_minutes"),
        ({"description": "x" * 4001}, "description"),
    ],
)
def test_a_bad_edit_names_the_field_and_saves_nothing(meeting, coordinator, agenda, fields, field):
    data = {"title": "Talous", "description": "", "presenter": "", "duration_minutes": None, **fields}
    with pytest.raises(ValidationError) as error:
        agenda_item_update(actor=coordinator, item=agenda[1], **data)
    assert field in error.value.message_dict
    agenda[1].refresh_from_db()
    assert (agenda[1].title, agenda[1].presenter, agenda[1].duration_minutes) == ("Talous", "", None)


def test_only_the_chair_and_coordinators_edit_and_delete(meeting, agenda, member, outsider, representative):
    for person in (member, outsider, representative):  # the representative's organisation does not chair
        with pytest.raises(PermissionDenied):
            agenda_item_update(actor=person, item=agenda[0], title="Toinen")
        with pytest.raises(PermissionDenied):
            agenda_item_delete(actor=person, item=agenda[0])
    meeting.chair_person = member
    meeting.save()
    agenda_item_update(actor=member, item=agenda[0], title="Avaus ja läsnäolijat")
    agenda_item_delete(actor=member, item=agenda[2])
    assert _titles(meeting) == ["Avaus ja läsnäolijat", "Talous"]


def test_deleting_renumbers_the_rest_and_a_held_meeting_cannot_be_changed(meeting, coordinator, agenda):
    agenda_item_delete(actor=coordinator, item=agenda[0])
    assert _titles(meeting) == ["Talous", "Muut"]
    assert _positions(meeting) == [1, 2]
    with pytest.raises(ValidationError):
        agenda_item_delete(actor=coordinator, item=agenda[0])  # gone already

    meeting.status = MeetingStatus.HELD
    meeting.save()
    with pytest.raises(PermissionDenied):
        agenda_item_delete(actor=coordinator, item=agenda[1])
    with pytest.raises(PermissionDenied):
        agenda_item_update(actor=coordinator, item=agenda[1], title="Myöhässä")


def test_a_proposal_is_accepted_where_the_chair_puts_it(meeting, coordinator, representative, agenda):
    first = agenda_item_propose(actor=representative, meeting=meeting, title="Vertaistuki")
    second = agenda_item_propose(actor=representative, meeting=meeting, title="Rahoitus")
    third = agenda_item_propose(actor=representative, meeting=meeting, title="Tilat")

    agenda_item_decide(actor=coordinator, item=first, accept=True, position=1)
    agenda_item_decide(actor=coordinator, item=second, accept=True, position=3)  # after "Avaus"
    agenda_item_decide(actor=coordinator, item=third, accept=True)  # last
    assert _titles(meeting) == ["Vertaistuki", "Avaus", "Rahoitus", "Talous", "Muut", "Tilat"]
    assert _positions(meeting) == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("position", [0, 6, -1, "2", True])
def test_a_place_off_the_agenda_is_refused(meeting, coordinator, representative, agenda, position):
    proposal = agenda_item_propose(actor=representative, meeting=meeting, title="Vertaistuki")
    with pytest.raises(ValidationError) as error:
        agenda_item_decide(actor=coordinator, item=proposal, accept=True, position=position)
    assert "position" in error.value.message_dict
    proposal.refresh_from_db()
    assert proposal.status == AgendaItemStatus.PROPOSED


def test_a_topic_is_decided_once(meeting, coordinator, representative):
    proposal = agenda_item_propose(actor=representative, meeting=meeting, title="Vertaistuki")
    agenda_item_decide(actor=coordinator, item=proposal, accept=False, reason="Ei tällä kertaa")
    with pytest.raises(ValidationError):
        agenda_item_decide(actor=coordinator, item=proposal, accept=True)


# --- The "agenda updated" e-mail ------------------------------------------------------------


@pytest.fixture
def invitees(meeting):
    """Who is invited to the meeting: a Finnish member, a Swedish guest without an account, one who
    turned agenda updates off, one who deleted their account and one whose invitation is not sent yet."""
    finn = InvitationFactory(
        meeting=meeting, user=UserFactory(email="maija@example.org", full_name="Maija Meikäläinen")
    )
    swede = InvitationFactory(meeting=meeting, user=None, email="sven@example.org", name="Sven Svensson", language="sv")
    quiet = UserFactory(email="quiet@example.org", notification_rhythms={AGENDA_UPDATE: "off"})
    InvitationFactory(meeting=meeting, user=quiet)
    InvitationFactory(meeting=meeting, user=None, email="deleted-1@invalid", anonymised_at=timezone.now())
    unsent = InvitationFactory(
        meeting=meeting, user=None, email="late@example.org", delivery_status=OutboxStatus.QUEUED, sent_at=None,
        sent_sequence=None,
    )
    return {"fi": finn, "sv": swede, "unsent": unsent}


def _changes(body: str) -> list[str]:
    """The lines of the "what changed" list."""
    return [line for line in body.splitlines() if line.startswith("- ")]


def _make_due():
    AgendaUpdate.objects.update(send_after=timezone.now() - datetime.timedelta(seconds=1))


def _release(django_capture_on_commit_callbacks) -> dict:
    with django_capture_on_commit_callbacks(execute=True):
        return outbox_release_due()


def _backdate_invitations(meeting):
    """The invitations went out a while ago, before the changes below."""
    meeting.invitations.exclude(sent_at=None).update(sent_at=timezone.now() - datetime.timedelta(hours=1))


def test_changes_within_the_window_make_one_message_per_invitee_in_their_language(
    meeting, coordinator, representative, invitees, django_capture_on_commit_callbacks, settings
):
    settings.AGENDA_UPDATE_WINDOW_SECONDS = 600
    _backdate_invitations(meeting)
    avaus = agenda_item_add(actor=coordinator, meeting=meeting, title="Avaus")
    talous = agenda_item_add(actor=coordinator, meeting=meeting, title="Talous")
    muut = agenda_item_add(actor=coordinator, meeting=meeting, title="Muut asiat")
    agenda_item_update(actor=coordinator, item=talous, title="Talousarvio", duration_minutes=20)
    agenda_item_move(actor=coordinator, item=talous, up=True)
    agenda_item_delete(actor=coordinator, item=muut)
    proposal = agenda_item_propose(actor=representative, meeting=meeting, title="Vertaistuki")
    agenda_item_decide(actor=coordinator, item=proposal, accept=True, position=2)
    del avaus

    # One waiting message per person told (not the one who opted out, nor the deleted account).
    assert AgendaChange.objects.filter(meeting=meeting).count() == 7
    waiting = AgendaUpdate.objects.filter(meeting=meeting)
    assert waiting.count() == 3
    assert set(waiting.values_list("invitation__email", flat=True)) == {
        "maija@example.org", "sven@example.org", "late@example.org",
    }
    assert set(waiting.values_list("queued_at", flat=True)) == {None}
    # Not before the window closes: neither the minute run nor a send task for the rows sends them.
    assert _release(django_capture_on_commit_callbacks) == {"AgendaUpdate": 0}
    assert deliver("meetings.agendaupdate", list(waiting.values_list("pk", flat=True))).sent == 0
    assert set(waiting.values_list("delivery_status", flat=True)) == {OutboxStatus.QUEUED}
    assert mail.outbox == []

    _make_due()
    assert _release(django_capture_on_commit_callbacks) == {"AgendaUpdate": 3}
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "maija@example.org", "sven@example.org",
    ]
    # The person whose invitation has not gone yet gets the agenda with the invitation instead.
    assert AgendaUpdate.objects.get(invitation=invitees["unsent"]).delivery_status == OutboxStatus.SKIPPED

    finnish, swedish = sorted(mail.outbox, key=lambda message: message.to[0])
    assert "Esityslista päivitetty: " in finnish.subject
    for line in (
        "- Lisätty kohdaksi 1: Avaus",
        "- Muutettu: Talous → Talousarvio",
        "- Siirretty kohdaksi 1: Talousarvio",
        "- Poistettu: Muut asiat",
        "- Lisätty kohdaksi 2: Vertaistuki",
        "1. Talousarvio, 20 minuuttia",
        "2. Vertaistuki",
        "3. Avaus",
    ):
        assert line in finnish.body, line
    assert "Föredragningslistan uppdaterad: " in swedish.subject
    for line in ("- Tillagd som punkt 1: Avaus", "- Ändrad: Talous → Talousarvio", "- Struken: Muut asiat",
                 "- Flyttad till punkt 1: Talousarvio"):
        assert line in swedish.body, line
    html = dict((alternative[1], alternative[0]) for alternative in finnish.alternatives)["text/html"]
    assert "Talous → Talousarvio" in html and 'lang="fi"' in html

    # Sent once: another run, a sweep and the same task again send nothing.
    assert _release(django_capture_on_commit_callbacks) == {"AgendaUpdate": 0}
    assert deliver("meetings.agendaupdate", list(waiting.values_list("pk", flat=True))).sent == 0
    assert len(mail.outbox) == 2

    # A later change is a new message, telling only what is new.
    agenda_item_update(actor=coordinator, item=proposal, title="Vertaistuen rahoitus")
    assert AgendaUpdate.objects.filter(meeting=meeting, delivery_status=OutboxStatus.QUEUED).count() == 3
    _make_due()
    mail.outbox.clear()
    _release(django_capture_on_commit_callbacks)
    later = {message.to[0]: message for message in mail.outbox}
    assert set(later) == {"maija@example.org", "sven@example.org"}
    assert _changes(later["maija@example.org"].body) == ["- Muutettu: Vertaistuki → Vertaistuen rahoitus"]


def test_a_second_message_to_one_person_tells_nothing_twice(meeting, coordinator, invitees, settings):
    """A row retried after the next one was written: whichever goes second tells only what the first did not."""
    settings.AGENDA_UPDATE_WINDOW_SECONDS = 600
    _backdate_invitations(meeting)
    agenda_item_add(actor=coordinator, meeting=meeting, title="Avaus")
    first = AgendaUpdate.objects.get(invitation=invitees["fi"])
    # The first row is being sent (claimed) when the next change comes: the change gets a row of its own.
    AgendaUpdate.objects.filter(pk=first.pk).update(delivery_status=OutboxStatus.SENDING, claim_token="old")
    agenda_item_add(actor=coordinator, meeting=meeting, title="Talous")
    second = AgendaUpdate.objects.get(invitation=invitees["fi"], delivery_status=OutboxStatus.QUEUED)
    # The first send failed and went back to the queue; both are due.
    AgendaUpdate.objects.filter(pk=first.pk).update(delivery_status=OutboxStatus.QUEUED, claim_token="")
    _make_due()

    assert deliver("meetings.agendaupdate", [first.pk]).sent == 1
    assert deliver("meetings.agendaupdate", [second.pk]).skipped == 1  # the first told both changes
    assert [message.to for message in mail.outbox] == [["maija@example.org"]]
    assert "Avaus" in mail.outbox[0].body and "Talous" in mail.outbox[0].body
    first.refresh_from_db()
    assert first.through_change == AgendaChange.objects.latest("pk").pk


def test_a_draft_or_a_cancelled_meeting_tells_nobody(table, standing, coordinator, django_capture_on_commit_callbacks):
    draft = MeetingFactory(table=table, status=MeetingStatus.DRAFT)
    InvitationFactory(meeting=draft)
    agenda_item_add(actor=coordinator, meeting=draft, title="Avaus")
    assert not AgendaChange.objects.exists() and not AgendaUpdate.objects.exists()

    scheduled = MeetingFactory(table=table)
    InvitationFactory(meeting=scheduled, sent_at=timezone.now() - datetime.timedelta(hours=1))
    agenda_item_add(actor=coordinator, meeting=scheduled, title="Avaus")
    meeting_cancel(actor=coordinator, meeting=scheduled)
    _make_due()
    mail.outbox.clear()
    AgendaUpdate.objects.update(queued_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        outbox_release_due()
    assert AgendaUpdate.objects.get().delivery_status == OutboxStatus.SKIPPED
    assert not [message for message in mail.outbox if "Avaus" in message.subject]


def test_turning_agenda_updates_off_stops_a_waiting_message(meeting, coordinator, invitees, settings):
    _backdate_invitations(meeting)
    agenda_item_add(actor=coordinator, meeting=meeting, title="Avaus")
    user = invitees["fi"].user
    user.notification_rhythms = {AGENDA_UPDATE: "off"}
    user.save()
    _make_due()
    row = AgendaUpdate.objects.get(invitation=invitees["fi"])
    assert deliver("meetings.agendaupdate", [row.pk]).skipped == 1


def test_the_sweeper_sends_due_messages_and_leaves_waiting_ones(meeting, coordinator, invitees,
                                                                  django_capture_on_commit_callbacks, settings):
    settings.AGENDA_UPDATE_WINDOW_SECONDS = 600
    _backdate_invitations(meeting)
    agenda_item_add(actor=coordinator, meeting=meeting, title="Avaus")
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep()["AgendaUpdate"] == 0
    _make_due()
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep()["AgendaUpdate"] == 3
    assert sorted(message.to[0] for message in mail.outbox) == ["maija@example.org", "sven@example.org"]


def test_a_window_of_zero_sends_at_once(meeting, coordinator, invitees, django_capture_on_commit_callbacks, settings):
    settings.AGENDA_UPDATE_WINDOW_SECONDS = 0
    _backdate_invitations(meeting)
    with django_capture_on_commit_callbacks(execute=True):
        agenda_item_add(actor=coordinator, meeting=meeting, title="Avaus")
    assert sorted(message.to[0] for message in mail.outbox) == ["maija@example.org", "sven@example.org"]


def test_a_changed_meeting_time_tells_the_agenda_with_the_update_instead(meeting, coordinator, invitees):
    """Changes made before the invitation's update went out are shown in that update."""
    _backdate_invitations(meeting)
    agenda_item_add(actor=coordinator, meeting=meeting, title="Avaus")
    meeting.invitations.update(sent_at=timezone.now(), kind=InvitationKind.UPDATE)
    _make_due()
    rows = list(AgendaUpdate.objects.values_list("pk", flat=True))
    assert deliver("meetings.agendaupdate", rows).sent == 0
    assert mail.outbox == []


def test_only_a_changed_item_is_told(meeting, coordinator, invitees, agenda):
    before = AgendaChange.objects.count()
    agenda_item_update(actor=coordinator, item=agenda[0], title="Avaus")  # nothing changed
    agenda_item_move(actor=coordinator, item=agenda[0], up=True)  # first already
    assert AgendaChange.objects.count() == before
    agenda_item_update(actor=coordinator, item=agenda[0], title="Avaus", presenter="Puheenjohtaja")
    change = AgendaChange.objects.latest("pk")
    assert (change.kind, change.title, change.old_title, change.position) == (AgendaChangeKind.CHANGED, "Avaus", "", 1)


# --- The pages ----------------------------------------------------------------------------------


def _url(name: str, pk: int) -> str:
    return reverse(f"meetings:{name}", args=[pk])


def test_the_coordinator_edits_and_deletes_on_the_pages(client, meeting, coordinator, agenda):
    client.force_login(coordinator)
    page = client.get(_url("detail", meeting.pk)).content.decode()
    assert _url("agenda_edit", agenda[1].pk) in page and _url("agenda_delete", agenda[1].pk) in page

    response = client.get(_url("agenda_edit", agenda[1].pk))
    assert response.status_code == 200 and 'value="Talous"' in response.content.decode()
    response = client.post(_url("agenda_edit", agenda[1].pk), {"title_fi": "", "duration_minutes": "0"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = client.post(_url("agenda_edit", agenda[1].pk), {"title_fi": "Talousarvio", "duration_minutes": "15"})
    assert response.status_code == 302
    agenda[1].refresh_from_db()
    assert (agenda[1].title, agenda[1].duration_minutes) == ("Talousarvio", 15)

    # Deleting asks first; the GET changes nothing.
    response = client.get(_url("agenda_delete", agenda[0].pk))
    assert response.status_code == 200
    assert "Delete “Avaus” from the agenda?" in response.content.decode()
    assert AgendaItem.objects.filter(pk=agenda[0].pk).exists()
    assert client.post(_url("agenda_delete", agenda[0].pk)).status_code == 302
    assert _titles(meeting) == ["Talousarvio", "Muut"]


def test_accepting_on_the_page_takes_the_chosen_place(client, meeting, coordinator, agenda):
    proposal = AgendaItemFactory(meeting=meeting, status=AgendaItemStatus.PROPOSED, title="Vertaistuki")
    client.force_login(coordinator)
    page = client.get(_url("detail", meeting.pk)).content.decode()
    assert f'id="position-{proposal.pk}"' in page and "After “Avaus”" in page
    response = client.post(_url("agenda_decide", proposal.pk), {"decision": "accept", "position": "2"})
    assert response.status_code == 302
    assert _titles(meeting) == ["Avaus", "Vertaistuki", "Talous", "Muut"]

    other = AgendaItemFactory(meeting=meeting, status=AgendaItemStatus.PROPOSED, title="Tilat")
    response = client.post(_url("agenda_decide", other.pk), {"decision": "accept", "position": "9"})
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.status == AgendaItemStatus.PROPOSED


def test_members_get_403_and_outsiders_404(client, meeting, agenda, member, outsider):
    client.force_login(member)  # a standing member sees the meeting but does not decide
    assert client.get(_url("agenda_edit", agenda[0].pk)).status_code == 403
    assert client.post(_url("agenda_delete", agenda[0].pk)).status_code == 403
    client.force_login(outsider)  # the table is not public
    assert client.get(_url("agenda_edit", agenda[0].pk)).status_code == 404
    assert client.get(_url("agenda_delete", agenda[0].pk)).status_code == 404
    assert AgendaItem.objects.filter(pk=agenda[0].pk).exists()


def test_the_notification_settings_offer_agenda_updates(client, member):
    client.force_login(member)
    assert 'name="rhythm_meetings_agenda_update"' in client.get(reverse("accounts:profile")).content.decode()
    client.post(reverse("accounts:profile"), {"full_name": "Maija", "language": "fi",
                                              "rhythm_meetings_agenda_update": "off"})
    member.refresh_from_db()
    assert member.notification_rhythms == {AGENDA_UPDATE: "off"}
