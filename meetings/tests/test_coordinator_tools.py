"""Meetings as coordinators expect them: deleting a draft, copying a meeting, a truthful cancel
page, each invitee once on the schedule page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, AgendaItemStatus, Meeting, MeetingFormat, MeetingStatus
from meetings.services import agenda_item_add, meeting_copy, meeting_delete
from meetings.tests.factories import AgendaItemFactory, InvitationFactory, MeetingFactory, in_days
from tables.tests.factories import RoleAssignmentFactory, StandingMemberFactory

pytestmark = pytest.mark.django_db


def _url(name: str, pk: int) -> str:
    return reverse(f"meetings:{name}", args=[pk])


@pytest.fixture
def draft(table, standing, coordinator):
    meeting = MeetingFactory(table=table, status=MeetingStatus.DRAFT, created_by=coordinator, title="Syksyn kokous")
    agenda_item_add(actor=coordinator, meeting=meeting, title="Avaus")
    return meeting


# --- Deleting a draft ---------------------------------------------------------------------------


def test_a_draft_nobody_was_invited_to_is_deleted_with_its_agenda(draft, coordinator):
    meeting_delete(actor=coordinator, meeting=draft)
    assert not Meeting.objects.filter(pk=draft.pk).exists()
    assert not AgendaItem.objects.filter(meeting_id=draft.pk).exists()


def test_a_scheduled_meeting_or_a_draft_with_invitations_is_not_deleted(draft, meeting, coordinator, representative):
    with pytest.raises(ValidationError, match="cancel a scheduled meeting instead"):
        meeting_delete(actor=coordinator, meeting=meeting)
    InvitationFactory(meeting=draft)
    with pytest.raises(ValidationError, match="cancel it instead"):
        meeting_delete(actor=coordinator, meeting=draft)
    with pytest.raises(PermissionDenied):
        meeting_delete(actor=representative, meeting=draft)
    assert Meeting.objects.filter(pk__in=[draft.pk, meeting.pk]).count() == 2


def test_deleting_asks_first_on_the_page(client, draft, coordinator, representative, outsider):
    client.force_login(coordinator)
    page = client.get(_url("detail", draft.pk)).content.decode()
    assert _url("delete", draft.pk) in page
    confirm = client.get(_url("delete", draft.pk))
    assert confirm.status_code == 200
    assert "Delete the draft “Syksyn kokous”?" in confirm.content.decode()
    assert Meeting.objects.filter(pk=draft.pk).exists()
    response = client.post(_url("delete", draft.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:table_meetings", args=[draft.table_id])
    assert not Meeting.objects.filter(pk=draft.pk).exists()


def test_others_cannot_delete(client, draft, meeting, coordinator, member, outsider):
    client.force_login(member)  # a draft is only for the coordinators: not found
    assert client.post(_url("delete", draft.pk)).status_code == 404
    client.force_login(outsider)
    assert client.post(_url("delete", draft.pk)).status_code == 404
    client.force_login(coordinator)  # a scheduled meeting: back to its page, not deleted
    response = client.post(_url("delete", meeting.pk))
    assert response.status_code == 302 and response["Location"] == _url("detail", meeting.pk)
    assert Meeting.objects.filter(pk__in=[draft.pk, meeting.pk]).count() == 2


# --- Copying a meeting ---------------------------------------------------------------------------


def test_a_copy_is_a_draft_with_the_same_details_and_agenda_on_the_new_date(meeting, coordinator, organisation):
    meeting.format = MeetingFormat.HYBRID
    meeting.address = "Hovioikeudenpuistikko 16, Vaasa"
    meeting.capacity = 20
    meeting.ends_at = meeting.starts_at + datetime.timedelta(hours=3)
    meeting.save()
    AgendaItemFactory(meeting=meeting, title="Avaus", position=1, presenter="Puheenjohtaja", duration_minutes=5)
    AgendaItemFactory(meeting=meeting, title="Talous", position=2, description="Luonnos")
    AgendaItemFactory(meeting=meeting, title="Ehdotus", status=AgendaItemStatus.PROPOSED)
    InvitationFactory(meeting=meeting)
    starts = in_days(40, 10)

    copy = meeting_copy(actor=coordinator, meeting=meeting, starts_at=starts)

    assert copy.pk != meeting.pk and copy.status == MeetingStatus.DRAFT
    assert (copy.title, copy.format, copy.address, copy.online_link, copy.capacity) == (
        meeting.title, MeetingFormat.HYBRID, "Hovioikeudenpuistikko 16, Vaasa", meeting.online_link, 20,
    )
    assert (copy.starts_at, copy.ends_at) == (starts, starts + datetime.timedelta(hours=3))
    assert copy.chair == organisation  # by rotation, the one standing member
    assert copy.created_by == coordinator and not copy.invitations.exists()
    items = list(copy.agenda_items.order_by("position"))
    assert [(i.title, i.position, i.presenter, i.duration_minutes, i.description, i.status) for i in items] == [
        ("Avaus", 1, "Puheenjohtaja", 5, "", AgendaItemStatus.ACCEPTED),
        ("Talous", 2, "", None, "Luonnos", AgendaItemStatus.ACCEPTED),
    ]


def test_a_copy_in_the_past_or_by_others_is_refused(meeting, coordinator, representative):
    before = Meeting.objects.count()
    with pytest.raises(ValidationError) as error:
        meeting_copy(actor=coordinator, meeting=meeting, starts_at=timezone.now() - datetime.timedelta(days=1))
    assert "starts_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        meeting_copy(actor=coordinator, meeting=meeting, starts_at=datetime.datetime(2031, 1, 1, 12))  # naive
    assert "starts_at" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        meeting_copy(actor=representative, meeting=meeting, starts_at=in_days(40))
    assert Meeting.objects.count() == before


def test_copying_on_the_page(client, meeting, coordinator, member):
    AgendaItemFactory(meeting=meeting, title="Avaus")
    client.force_login(member)
    assert client.get(_url("copy", meeting.pk)).status_code == 403
    client.force_login(coordinator)
    assert _url("copy", meeting.pk) in client.get(_url("detail", meeting.pk)).content.decode()
    assert client.get(_url("copy", meeting.pk)).status_code == 200
    response = client.post(_url("copy", meeting.pk), {"starts_at": "2001-01-01T10:00"})
    assert response.status_code == 400
    assert "The meeting cannot start in the past." in response.content.decode()
    day = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(_url("copy", meeting.pk), {"starts_at": f"{day.isoformat()}T10:00"})
    assert response.status_code == 302
    copy = Meeting.objects.exclude(pk=meeting.pk).get()
    assert response["Location"] == _url("detail", copy.pk)
    assert timezone.localtime(copy.starts_at).time() == datetime.time(10)
    assert list(copy.agenda_items.values_list("title", flat=True)) == ["Avaus"]


# --- The cancel page says who is told --------------------------------------------------------


def test_the_cancel_page_of_a_draft_says_nobody_is_told(client, draft, coordinator):
    client.force_login(coordinator)
    page = client.get(_url("cancel", draft.pk)).content.decode()
    assert "The draft has not been sent to anyone, so nobody is told." in page
    response = client.post(_url("cancel", draft.pk), {"reason": ""}, follow=True)
    assert "Nobody had been invited, so nobody is told." in response.content.decode()


def test_the_cancel_page_lists_who_is_told(client, meeting, coordinator):
    InvitationFactory(meeting=meeting, user=None, email="anna@example.org", name="Anna Aalto")
    InvitationFactory(meeting=meeting, user=None, email="bertta@example.org", name="")
    InvitationFactory(meeting=meeting, user=None, email="deleted-9@invalid", anonymised_at=timezone.now())
    client.force_login(coordinator)
    page = client.get(_url("cancel", meeting.pk)).content.decode()
    assert "2 people invited get a cancellation that also removes the meeting from their calendar:" in page
    assert "Anna Aalto &lt;anna@example.org&gt;" in page and "bertta@example.org" in page
    assert "deleted-9" not in page
    response = client.post(_url("cancel", meeting.pk), {"reason": ""}, follow=True)
    assert "The meeting was cancelled. 2 people invited are being told." in response.content.decode()


def test_the_cancel_page_of_a_meeting_nobody_was_invited_to(client, meeting, coordinator):
    client.force_login(coordinator)
    assert "Nobody has been invited, so nobody is told." in client.get(_url("cancel", meeting.pk)).content.decode()


# --- The schedule page lists each person once ------------------------------------------------


def test_the_schedule_page_lists_each_person_once(client, draft, table, coordinator, representative, organisation):
    # The representative also holds a role and represents a second standing member.
    RoleAssignmentFactory(table=table, user=representative)
    StandingMemberFactory(table=table, representative=representative)
    draft.chair_person = representative
    draft.save()
    client.force_login(coordinator)
    response = client.get(_url("schedule", draft.pk))
    assert [invitee.email for invitee in response.context["invitees"]] == [representative.email]
    assert "The invitation goes to 1 person from the table:" in response.content.decode()


# --- An update says what changed ---------------------------------------------------------------


def test_an_update_says_what_changed_since_the_version_each_person_received(
    table, standing, coordinator, representative, django_capture_on_commit_callbacks
):
    from django.core import mail

    from meetings.services import meeting_schedule, meeting_update

    representative.language = "sv"
    representative.save()
    meeting = MeetingFactory(
        table=table, status=MeetingStatus.DRAFT, format=MeetingFormat.HYBRID, address="Kirkkokatu 1, Vaasa",
        online_link="https://meet.example.org/a", starts_at=in_days(20, 13), ends_at=in_days(20, 15),
    )
    with django_capture_on_commit_callbacks(execute=True):
        meeting_schedule(actor=coordinator, meeting=meeting, extra_people=[("Anna Aalto", "anna@example.org")])
    mail.outbox.clear()

    new_start = in_days(21, 10)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(
            actor=coordinator, meeting=meeting,
            data={"starts_at": new_start, "ends_at": new_start + datetime.timedelta(hours=2),
                  "address": "Raastuvankatu 2, Vaasa", "online_link": "https://meet.example.org/b"},
        )
    messages = {message.to[0]: message for message in mail.outbox}
    finnish = messages["anna@example.org"].body
    assert "Mitä muuttui:" in finnish
    assert "- Missä: Kirkkokatu 1, Vaasa → Raastuvankatu 2, Vaasa" in finnish
    assert "- Etäkokouksen linkki: https://meet.example.org/a → https://meet.example.org/b" in finnish
    when = next(line for line in finnish.splitlines() if line.startswith("- Milloin: "))
    assert " 13.00–15.00 → " in when and when.endswith(" 10.00–12.00")
    swedish = messages[representative.email].body
    assert "Vad som ändrades:" in swedish and "- Var: Kirkkokatu 1, Vaasa → Raastuvankatu 2, Vaasa" in swedish

    # A second change: those who received the first update are told what changed since it.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(actor=coordinator, meeting=meeting, data={"address": "Raastuvankatu 4, Vaasa"})
    body = {message.to[0]: message for message in mail.outbox}["anna@example.org"].body
    changed = [line for line in body.splitlines() if line.startswith("- ") and "→" in line]
    assert changed == ["- Missä: Raastuvankatu 2, Vaasa → Raastuvankatu 4, Vaasa"]


# --- A hybrid meeting full in person offers joining online -------------------------------------


def test_a_full_room_offers_joining_online_instead_of_only_the_waiting_list(client, meeting, member, representative):
    from meetings.models import RsvpResponse
    from meetings.tests.factories import invite

    meeting.format = MeetingFormat.HYBRID
    meeting.capacity = 1
    meeting.save()
    invite(meeting, representative, response=RsvpResponse.ATTENDING_IN_PERSON)  # the one seat
    invitation = invite(meeting, member)
    client.force_login(member)
    page = client.get(_url("detail", meeting.pk)).content.decode()
    assert "The room is full: you can join online" in page

    response = client.post(_url("rsvp", meeting.pk), {"response": "in_person", "note": "Pyörätuoli"}, follow=True)
    page = response.content.decode()
    assert "You can join online instead" in page
    assert "Join online instead" in page
    invitation.rsvp.refresh_from_db()
    assert invitation.rsvp.waitlisted

    client.post(_url("rsvp", meeting.pk), {"response": "online", "note": "Pyörätuoli"})
    invitation.rsvp.refresh_from_db()
    assert (invitation.rsvp.response, invitation.rsvp.waitlisted) == (RsvpResponse.ATTENDING_ONLINE, False)


def test_the_answer_link_says_the_room_is_full(client, meeting, representative):
    from meetings.models import RsvpResponse
    from meetings.tests.factories import invite
    from meetings.tokens import rsvp_token

    meeting.format = MeetingFormat.HYBRID
    meeting.online_link = "https://meet.example.org/x"
    meeting.capacity = 1
    meeting.save()
    invite(meeting, representative, response=RsvpResponse.ATTENDING_IN_PERSON)
    guest = invite(meeting, None)
    url = reverse("meetings:rsvp_link", args=[rsvp_token(guest, answer="in_person")])
    assert "The room is full: you can join online" in client.get(url).content.decode()


# --- A table may invite all members of its standing organisations --------------------------------


def test_a_table_that_invites_all_members_invites_each_approved_member_once(
    table, standing, coordinator, representative, member, organisation, django_capture_on_commit_callbacks
):
    from meetings.services import meeting_schedule, table_invitees, unique_invitees
    from organisations.models import MembershipStatus
    from organisations.tests.factories import MembershipFactory

    MembershipFactory(organisation=organisation, status=MembershipStatus.PENDING, user__email="pending@example.org")
    draft = MeetingFactory(table=table, status=MeetingStatus.DRAFT)
    assert [invitee.email for invitee in unique_invitees(table_invitees(draft))] == [representative.email]

    table.invite_all_members = True
    table.save()
    draft = Meeting.objects.get(pk=draft.pk)
    with django_capture_on_commit_callbacks(execute=True):
        invitations = meeting_schedule(actor=coordinator, meeting=draft)
    assert sorted(invitation.email for invitation in invitations) == sorted([representative.email, member.email])
    assert {invitation.organisation for invitation in invitations} == {organisation}


def test_the_table_form_offers_inviting_all_members(client, table, coordinator):
    client.force_login(coordinator)
    assert 'name="invite_all_members"' in client.get(reverse("tables:edit", args=[table.pk])).content.decode()
