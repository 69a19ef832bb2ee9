"""The meeting pages through the test client: flows, permissions, bad input and query bounds."""

import csv
import datetime
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.models import (
    AgendaItem,
    AgendaItemStatus,
    Invitation,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    OutboxStatus,
    Rsvp,
    RsvpResponse,
)
from meetings.tests.factories import AgendaItemFactory, InvitationFactory, MeetingFactory, RsvpFactory, in_days
from meetings.tokens import rsvp_token
from tables.models import TableAccess
from tables.tests.factories import StandingMemberFactory

pytestmark = pytest.mark.django_db

SECRET = "secret-room"


def _url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _meeting_form(**overrides):
    data = {
        "title_fi": "Syyskokous",
        "description_fi": "",
        "starts_at": _local(in_days(20, 13)),
        "ends_at": _local(in_days(20, 15)),
        "format": MeetingFormat.HYBRID,
        "address": "Raastuvankatu 2, Vaasa",
        "online_link": "https://meet.example.org/syys",
        "capacity": "",
        "rsvp_deadline": "",
        "chair": "",
        "chair_person": "",
        "secretary": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def invited(meeting, representative):
    return InvitationFactory(meeting=meeting, user=representative)


# --- the coordinator's flow ----------------------------------------------------------------


def test_coordinator_creates_schedules_and_follows_a_meeting(
    client, table, standing, organisation, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    form_page = client.get(_url("create") + f"?table={table.pk}")
    assert form_page.status_code == 200
    # The chair is suggested by rotation.
    assert form_page.context["form"].initial["chair"] == organisation

    response = client.post(_url("create") + f"?table={table.pk}", _meeting_form(chair=organisation.pk))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("detail", meeting.pk)
    assert meeting.status == MeetingStatus.DRAFT
    assert meeting.chair == organisation
    assert meeting.starts_at == in_days(20, 13)

    schedule_page = client.get(_url("schedule", meeting.pk))
    assert schedule_page.status_code == 200
    assert [invitee.email for invitee in schedule_page.context["invitees"]] == ["representative@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("schedule", meeting.pk), {"people": "Vieras <guest@example.org>", "language": "sv"}
        )
    assert response.status_code == 302
    assert sorted(message.to[0] for message in mail.outbox) == ["guest@example.org", "representative@example.org"]

    page = client.get(_url("detail", meeting.pk))
    content = page.content.decode()
    assert page.context["registrations"].delivery[OutboxStatus.SENT] == 2
    assert "guest@example.org" in content
    assert "https://meet.example.org/syys" in content


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        # Dates are made when the test runs (lambdas), not when pytest collects it: a run that
        # crosses midnight would otherwise compare "today" of two different days.
        (lambda: {"ends_at": _local(in_days(20, 12))}, "ends_at", "The meeting must end after it starts."),
        (lambda: {"starts_at": _local(in_days(-3, 13)), "ends_at": _local(in_days(-3, 15))}, "starts_at",
         "The meeting cannot start in the past."),
        (lambda: {"starts_at": "31.2.2030"}, "starts_at", "Enter a valid date/time."),
        (lambda: {"capacity": "-4"}, "capacity", None),
        (lambda: {"online_link": "javascript:alert(1)"}, "online_link", None),
        (lambda: {"rsvp_deadline": _local(in_days(21, 9))}, "rsvp_deadline",
         "The registration deadline must be before the meeting starts."),
    ],
)
def test_bad_meeting_input_is_refused_on_the_field(client, table, coordinator, overrides, field, message):
    client.force_login(coordinator)
    response = client.post(_url("create") + f"?table={table.pk}", _meeting_form(**overrides()))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert errors[field] == [message]
    assert not Meeting.objects.exists()


def test_schedule_refuses_bad_addresses_and_sends_nothing(client, meeting, coordinator):
    meeting.status = MeetingStatus.DRAFT
    meeting.save()
    client.force_login(coordinator)
    response = client.post(_url("schedule", meeting.pk), {"people": "ok@example.org, nope", "language": "fi"})
    assert response.status_code == 400
    assert response.context["form"].errors["people"] == ["This is not an e-mail address: nope"]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT
    assert not Invitation.objects.exists()


def test_editing_the_time_sends_an_update(client, meeting, invited, coordinator, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    assert client.get(_url("edit", meeting.pk)).status_code == 200
    data = _meeting_form(
        title=meeting.title, format=MeetingFormat.IN_PERSON, address=meeting.address, online_link="",
        starts_at=_local(in_days(15, 9)), ends_at=_local(in_days(15, 11)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("edit", meeting.pk), data, follow=True)
    assert "everyone invited is being sent an update" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert [message.to for message in mail.outbox] == [[invited.email]]


def test_capacity_below_those_attending_is_refused(client, meeting, coordinator):
    for _ in range(3):
        RsvpFactory(invitation=InvitationFactory(meeting=meeting), response=RsvpResponse.ATTENDING_IN_PERSON)
    client.force_login(coordinator)
    data = _meeting_form(
        title=meeting.title, format=MeetingFormat.IN_PERSON, address=meeting.address, online_link="",
        starts_at=_local(meeting.starts_at), ends_at=_local(meeting.ends_at), capacity="2",
    )
    response = client.post(_url("edit", meeting.pk), data)
    assert response.status_code == 400
    assert response.context["form"].errors["capacity"] == [
        "3 people have already registered; the capacity cannot be smaller than that."
    ]
    meeting.refresh_from_db()
    assert meeting.capacity is None


def test_cancelling_asks_first_then_tells_everyone(
    client, meeting, invited, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    confirm = client.get(_url("cancel", meeting.pk))
    assert confirm.status_code == 200
    assert "This cannot be undone" in confirm.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("cancel", meeting.pk), {"reason": "Liian vähän osallistujia"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert [message.to for message in mail.outbox] == [[invited.email]]


def test_adding_invitees_later(client, meeting, invited, coordinator, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("add_invitees", meeting.pk), {"people": "late@example.org", "language": "en"})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["late@example.org"]]


def test_failed_invitations_are_retried_from_the_page(client, meeting, coordinator, django_capture_on_commit_callbacks):
    failed = InvitationFactory(meeting=meeting, delivery_status=OutboxStatus.FAILED, last_error="SMTPRecipientsRefused")
    client.force_login(coordinator)
    assert "SMTPRecipientsRefused" in client.get(_url("detail", meeting.pk)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("retry_failed", meeting.pk))
    failed.refresh_from_db()
    assert failed.delivery_status == OutboxStatus.SENT


def test_registrations_csv(client, meeting, invited, coordinator, representative):
    RsvpFactory(invitation=invited, response=RsvpResponse.ATTENDING_IN_PERSON, note="Pyörätuoli")
    InvitationFactory(meeting=meeting, user=None, email="noanswer@example.org")
    client.force_login(coordinator)
    response = client.get(_url("attendees_csv", meeting.pk))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["Name", "E-mail", "Organisation", "Answer"]
    by_email = {row[1]: row for row in rows[1:]}
    assert by_email[representative.email][3:6] == ["Attending in person", "", "Pyörätuoli"]
    assert by_email["noanswer@example.org"][3] == "No answer"

    client.force_login(representative)
    assert client.get(_url("attendees_csv", meeting.pk)).status_code == 403


def test_registrations_csv_writes_formulas_as_text(client, meeting, coordinator):
    """A name or note typed by an invitee must not run as a formula in the coordinator's spreadsheet."""
    invitation = InvitationFactory(meeting=meeting, user=None, email="evil@example.org", name="=cmd|' /C calc'!A0")
    RsvpFactory(invitation=invitation, response=RsvpResponse.ATTENDING_IN_PERSON, note='@SUM(1+1)*cmd|"/C calc"!A0')
    client.force_login(coordinator)
    response = client.get(_url("attendees_csv", meeting.pk))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    [row] = [row for row in rows if row[1] == "evil@example.org"]
    assert row[0] == "'=cmd|' /C calc'!A0"
    assert row[5] == "'@SUM(1+1)*cmd|\"/C calc\"!A0"


def test_registrations_csv_guards_a_formula_behind_a_semicolon(client, meeting, coordinator):
    """Excel with the Finnish or Swedish separator splits on ";": the note's second half must not be a formula."""
    invitation = InvitationFactory(meeting=meeting, user=None, email="evil@example.org")
    RsvpFactory(invitation=invitation, response=RsvpResponse.ATTENDING_IN_PERSON, note="Tulen;=cmd|' /C calc'!A0")
    client.force_login(coordinator)
    text = b"".join(client.get(_url("attendees_csv", meeting.pk)).streaming_content).decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=";"):
        assert not any(field.lstrip(' "').startswith(("=", "+", "-", "@")) for field in row), row


def test_organisation_view_shows_who_will_be_represented(client, meeting, table, standing, coordinator, representative):
    missing = StandingMemberFactory(table=table, representative=UserFactory())
    RsvpFactory(invitation=InvitationFactory(meeting=meeting, user=representative), response="in_person")
    InvitationFactory(meeting=meeting, user=missing.representative)
    client.force_login(coordinator)
    registrations = client.get(_url("detail", meeting.pk)).context["registrations"]
    represented = {row.standing_member.organisation: row.represented for row in registrations.organisations}
    assert represented == {standing.organisation: True, missing.organisation: False}
    assert [row.standing_member for row in registrations.missing_organisations] == [missing]


def test_a_substitute_attending_represents_the_organisation(client, meeting, standing, coordinator):
    standing.substitute = UserFactory()
    standing.save()
    RsvpFactory(invitation=InvitationFactory(meeting=meeting, user=standing.substitute), response="in_person")
    RsvpFactory(invitation=InvitationFactory(meeting=meeting, user=standing.representative), response="no")
    client.force_login(coordinator)
    [row] = client.get(_url("detail", meeting.pk)).context["registrations"].organisations
    assert row.represented


def test_a_large_meeting_lists_its_invitations_a_page_at_a_time_but_counts_them_all(
    client, meeting, invited, coordinator, settings
):
    settings.LIST_PAGE_SIZE = 2
    answers = ["in_person", "online", "maybe", "no", None, None]
    for index, answer in enumerate(answers):
        invitation = InvitationFactory(
            meeting=meeting, user=None, email=f"p{index}@example.org", name=f"Person {index}",
            delivery_status=OutboxStatus.FAILED if index == 5 else OutboxStatus.SENT,
        )
        if answer:
            RsvpFactory(invitation=invitation, response=answer, note="Kasvis" if index == 2 else "")
    RsvpFactory(
        invitation=InvitationFactory(meeting=meeting, user=None, email="wait@example.org", name="Waiting"),
        response="in_person", waitlisted=True, waitlisted_at=timezone.now(),
    )
    client.force_login(coordinator)
    url = _url("detail", meeting.pk)
    registrations = client.get(url).context["registrations"]
    # Eight invitations in all: the fixture's, six people, one waitlisted; two rows on each page.
    assert registrations.invitations.paginator.count == 8
    assert len(registrations.invitations.object_list) == 2
    assert dict(registrations.counts) == {"in_person": 1, "online": 1, "maybe": 1, "no": 1, "none": 3}
    assert dict(registrations.delivery) == {OutboxStatus.SENT: 7, OutboxStatus.FAILED: 1}
    assert [invitation.email for invitation in registrations.waitlist] == ["wait@example.org"]
    assert [invitation.email for invitation in registrations.notes] == ["p2@example.org"]
    seen = []
    for number in range(1, 5):
        page = client.get(url, {"page": number})
        seen += [invitation.email for invitation in page.context["registrations"].invitations]
        if number < 4:
            assert f'href="?page={number + 1}#invitations-heading"' in page.content.decode()
    assert sorted(seen) == sorted(Invitation.objects.filter(meeting=meeting).values_list("email", flat=True))


# --- agenda ------------------------------------------------------------------------------------


def test_a_standing_member_proposes_and_the_coordinator_decides(client, meeting, representative, coordinator):
    client.force_login(representative)
    response = client.post(_url("agenda_propose", meeting.pk), {"title": "Vertaistuki", "description": "Rahoitus"})
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert item.status == AgendaItemStatus.PROPOSED
    # The proposer cannot decide.
    assert client.post(_url("agenda_decide", item.pk), {"decision": "accept"}).status_code == 403

    client.force_login(coordinator)
    response = client.post(_url("agenda_decide", item.pk), {"decision": "decline", "reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["Give a reason for declining; the proposer will see it."]
    client.post(_url("agenda_decide", item.pk), {"decision": "accept"})
    item.refresh_from_db()
    assert item.status == AgendaItemStatus.ACCEPTED


def test_the_agenda_is_reordered_with_buttons(client, meeting, coordinator):
    first, second = AgendaItemFactory(meeting=meeting, title="Eka"), AgendaItemFactory(meeting=meeting, title="Toka")
    client.force_login(coordinator)
    client.post(_url("agenda_move", second.pk), {"direction": "up"})
    assert list(AgendaItem.objects.order_by("position").values_list("title", flat=True)) == ["Toka", "Eka"]
    response = client.post(_url("agenda_move", first.pk), {"direction": "sideways"}, follow=True)
    assert "Choose whether to move the item up or down." in response.content.decode()


def test_agenda_item_input_is_validated(client, meeting, coordinator):
    client.force_login(coordinator)
    response = client.post(_url("agenda_add", meeting.pk), {"title_fi": "", "duration_minutes": "0"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title_fi", "duration_minutes"}
    assert not AgendaItem.objects.exists()


# --- RSVP in the browser -------------------------------------------------------------------------


def test_an_invitee_answers_in_the_browser(client, meeting, invited, representative, coordinator):
    client.force_login(representative)
    page = client.get(_url("detail", meeting.pk))
    content = page.content.decode()
    # Radio buttons in a fieldset with a legend, and a submit button: usable from the keyboard.
    assert "<fieldset" in content and "<legend" in content
    assert re.search(r'<input type="radio"[^>]* name="response" value="in_person"[^>]* id="id_response_0"', content)
    assert '<label for="id_response_0"' in content
    assert 'type="submit"' in content
    assert SECRET in content

    response = client.post(_url("rsvp", meeting.pk), {"response": "in_person", "note": "Erityisruokavalio"})
    assert response.status_code == 302
    rsvp = Rsvp.objects.get()
    assert (rsvp.invitation, rsvp.response, rsvp.note) == (invited, "in_person", "Erityisruokavalio")
    # The note is for the coordinators (and its writer): other invitees do not see it.
    client.force_login(InvitationFactory(meeting=meeting).user)
    assert "Erityisruokavalio" not in client.get(_url("detail", meeting.pk)).content.decode()
    client.force_login(coordinator)
    assert "Erityisruokavalio" in client.get(_url("detail", meeting.pk)).content.decode()


def test_a_bad_answer_is_refused_with_a_message(client, meeting, invited, representative):
    client.force_login(representative)
    response = client.post(_url("rsvp", meeting.pk), {"response": "yes please"})
    assert response.status_code == 400
    assert response.context["rsvp_form"].errors["response"] == ["Choose one of the answers offered."]
    assert not Rsvp.objects.exists()


def test_answering_a_cancelled_meeting_changes_nothing(client, meeting, invited, representative):
    RsvpFactory(invitation=invited, response="in_person")
    meeting.status = MeetingStatus.CANCELLED
    meeting.save()
    client.force_login(representative)
    response = client.post(_url("rsvp", meeting.pk), {"response": "no"})
    assert response.status_code == 400
    assert "This meeting has been cancelled; registrations are closed." in response.content.decode()
    assert Rsvp.objects.get().response == "in_person"


def test_the_waiting_list_is_explained(client, meeting, invited, representative):
    meeting.capacity = 1
    meeting.save()
    RsvpFactory(invitation=InvitationFactory(meeting=meeting), response="in_person")
    client.force_login(representative)
    response = client.post(_url("rsvp", meeting.pk), {"response": "in_person"}, follow=True)
    assert "you are on the waiting list" in response.content.decode()
    assert Rsvp.objects.get(invitation=invited).waitlisted


def test_anyone_signed_in_registers_to_an_open_forum(client, meeting, outsider, django_capture_on_commit_callbacks):
    meeting.table.access = TableAccess.OPEN_FORUM
    meeting.table.is_public = True
    meeting.table.save()
    client.force_login(outsider)
    page = client.get(_url("detail", meeting.pk)).content.decode()
    assert SECRET not in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url("rsvp", meeting.pk), {"response": "in_person"}).status_code == 302
    assert Invitation.objects.get(meeting=meeting).user == outsider
    # Now registered, they see the link.
    assert SECRET in client.get(_url("detail", meeting.pk)).content.decode()


# --- RSVP from the e-mail link ---------------------------------------------------------------------


def test_the_one_click_link_confirms_on_get_and_records_on_post(client, meeting, invited):
    url = _url("rsvp_link", rsvp_token(invited, answer="no"))
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["response"] == "no"
    assert not Rsvp.objects.exists()  # a mail scanner following the link answers nothing

    response = client.post(url, {"response": "no", "note": ""})
    assert response.status_code == 200
    assert "your answer was saved" in response.content.decode()
    assert Rsvp.objects.get().response == "no"


def test_a_link_opened_again_shows_the_current_answer_not_the_links(client, meeting, invited):
    """The e-mail's "No" link opened after answering "in person" (in the browser, or from the "Yes" link)
    shows "in person": the link's answer is only a suggestion while there is no answer."""
    client.post(_url("rsvp_link", rsvp_token(invited, answer="in_person")), {"response": "in_person", "note": "Tulen"})
    page = client.get(_url("rsvp_link", rsvp_token(invited, answer="no")))
    assert page.status_code == 200
    assert page.context["form"].initial == {"response": "in_person", "note": "Tulen"}
    assert page.context["form"]["response"].value() == "in_person"
    assert page.context["current"].response == "in_person"
    assert Rsvp.objects.get().response == "in_person"


def test_a_link_without_an_answer_yet_suggests_the_links_answer(client, meeting, invited):
    page = client.get(_url("rsvp_link", rsvp_token(invited, answer="online")))
    assert page.context["form"]["response"].value() == "online" and page.context["current"] is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + "xx",  # signature altered
        lambda token: token.replace(token.split(":")[0], "eyJpIjo5OTl9"),  # another invitation id
        lambda token: "nonsense",
    ],
)
def test_a_tampered_link_is_refused(client, meeting, invited, tamper):
    token = tamper(rsvp_token(invited, answer="in_person"))
    for response in (client.get(_url("rsvp_link", token)), client.post(_url("rsvp_link", token), {"response": "no"})):
        assert response.status_code == 400
        assert "This answer link is not valid" in response.content.decode()
    assert not Rsvp.objects.exists()


def test_revoked_links_no_longer_answer_and_new_ones_do(client, meeting, invited, coordinator, admin_client):
    from meetings.services import invitation_revoke_links

    old = rsvp_token(invited, answer="no")
    assert client.get(_url("rsvp_link", old)).status_code == 200
    invitation_revoke_links(actor=coordinator, invitation=invited)
    invited.refresh_from_db()
    for response in (client.get(_url("rsvp_link", old)), client.post(_url("rsvp_link", old), {"response": "no"})):
        assert response.status_code == 400
    assert not Rsvp.objects.exists()
    assert client.get(_url("rsvp_link", rsvp_token(invited, answer="no"))).status_code == 200

    # The administration revokes them too (a read-only page with one action).
    current = rsvp_token(invited, answer="no")
    response = admin_client.post(
        reverse("admin:meetings_invitation_changelist"),
        {"action": "revoke_links", "_selected_action": [invited.pk]},
    )
    assert response.status_code == 302
    assert client.get(_url("rsvp_link", current)).status_code == 400


def test_a_link_without_a_key_works_only_for_an_invitation_written_before_keys(client, invited, coordinator):
    """Links e-mailed before link keys existed carry none; they work while the invitation has none."""
    Invitation.objects.filter(pk=invited.pk).update(link_key="")
    invited.refresh_from_db()
    legacy = rsvp_token(invited, answer="no")
    assert client.get(_url("rsvp_link", legacy)).status_code == 200
    from meetings.services import invitation_revoke_links

    invitation_revoke_links(actor=coordinator, invitation=invited)
    assert client.get(_url("rsvp_link", legacy)).status_code == 400


def test_a_link_expires_when_the_meeting_is_over(client, invited):
    meeting = invited.meeting
    meeting.starts_at = timezone.now() - datetime.timedelta(hours=3)
    meeting.ends_at = timezone.now() - datetime.timedelta(hours=1)
    meeting.save()
    url = _url("rsvp_link", rsvp_token(invited, answer="in_person"))
    response = client.post(url, {"response": "in_person"})
    assert response.status_code == 410
    assert "This meeting is over" in response.content.decode()
    assert not Rsvp.objects.exists()


def test_a_link_to_a_cancelled_meeting_says_so(client, meeting, invited):
    meeting.status = MeetingStatus.CANCELLED
    meeting.save()
    response = client.post(_url("rsvp_link", rsvp_token(invited, answer="no")), {"response": "no"})
    assert response.status_code == 410
    assert "This meeting has been cancelled" in response.content.decode()
    assert not Rsvp.objects.exists()


# --- permissions ------------------------------------------------------------------------------------

MANAGER_PAGES = ["edit", "schedule", "add_invitees", "cancel", "attendees_csv", "agenda_add"]


@pytest.mark.parametrize("page", MANAGER_PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    # The table is private: those who cannot see the meeting get 404, as if it did not exist.
    [("representative", 403), ("outsider", 404), ("other_coordinator", 404), ("member", 403)],
)
def test_only_coordinators_reach_the_management_pages(client, request, meeting, invited, page, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(page, meeting.pk)).status_code == status
    assert client.post(_url(page, meeting.pk), {}).status_code == status
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


@pytest.mark.parametrize("page", [*MANAGER_PAGES, "detail", "ics"])
def test_anonymous_people_are_asked_to_sign_in(client, meeting, page):
    response = client.get(_url(page, meeting.pk))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_person_not_invited_to_a_members_only_meeting_gets_404_and_never_the_link(client, meeting, outsider):
    client.force_login(outsider)
    for page in ("detail", "ics"):
        response = client.get(_url(page, meeting.pk))
        assert response.status_code == 404  # the same as for a meeting that does not exist
        assert SECRET not in response.content.decode()
    assert client.post(_url("rsvp", meeting.pk), {"response": "in_person"}).status_code == 404
    assert not Rsvp.objects.exists()


def test_a_public_tables_meeting_is_shown_without_the_link_and_without_registration(client, meeting, outsider):
    meeting.table.is_public = True
    meeting.table.save()
    client.force_login(outsider)
    response = client.get(_url("detail", meeting.pk))
    assert response.status_code == 200
    assert SECRET not in response.content.decode()
    assert response.context["rsvp_form"] is None
    assert client.post(_url("rsvp", meeting.pk), {"response": "in_person"}).status_code == 403


def test_anyone_may_read_a_public_tables_meeting_without_the_link(client, meeting):
    meeting.table.is_public = True
    meeting.table.save()
    response = client.get(_url("detail", meeting.pk))
    assert response.status_code == 200
    assert SECRET not in response.content.decode()


def test_a_hidden_open_forum_does_not_show_its_meetings_to_people_who_cannot_see_the_table(
    client, meeting, outsider, member, django_capture_on_commit_callbacks
):
    """A meeting is never more visible than its table (issue 11, item 9): the table answered 404,
    its meetings, agenda and .ics were readable and RSVP-able by anyone signed in."""
    meeting.table.access = TableAccess.OPEN_FORUM
    meeting.table.save()  # not public (the fixture's table)
    AgendaItemFactory(meeting=meeting, title="Salainen asia")
    assert client.get(_url("detail", meeting.pk)).status_code == 302

    client.force_login(outsider)
    assert client.get(reverse("tables:detail", args=[meeting.table.pk])).status_code == 404
    for name in ("detail", "ics", "agenda_propose"):
        assert client.get(_url(name, meeting.pk)).status_code == 404, name
    assert client.post(_url("rsvp", meeting.pk), {"response": "in_person"}).status_code == 404
    assert not Invitation.objects.filter(user=outsider).exists()

    # A member of a standing organisation sees the table, so the open forum is open to them.
    client.force_login(member)
    response = client.get(_url("detail", meeting.pk))
    assert response.status_code == 200
    assert response.context["rsvp_form"] is not None
    assert SECRET not in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url("rsvp", meeting.pk), {"response": "in_person"}).status_code == 302
    assert Invitation.objects.get(meeting=meeting, user=member).source == "self"


def test_a_public_open_forum_is_open_to_everyone_signed_in(client, meeting, outsider):
    meeting.table.access = TableAccess.OPEN_FORUM
    meeting.table.is_public = True
    meeting.table.save()
    client.force_login(outsider)
    assert client.get(reverse("tables:detail", args=[meeting.table.pk])).status_code == 200
    response = client.get(_url("detail", meeting.pk))
    assert response.status_code == 200
    assert response.context["rsvp_form"] is not None
    assert client.get(_url("ics", meeting.pk)).status_code == 200


def test_a_draft_is_for_coordinators_only(client, meeting, representative, coordinator):
    meeting.status = MeetingStatus.DRAFT
    meeting.save()
    client.force_login(representative)
    assert client.get(_url("detail", meeting.pk)).status_code == 404
    client.force_login(coordinator)
    assert client.get(_url("detail", meeting.pk)).status_code == 200


def test_the_tables_meeting_list_hides_drafts_from_members(
    client, table, meeting, standing, representative, coordinator
):
    MeetingFactory(table=table, status=MeetingStatus.DRAFT, title="Luonnos")
    client.force_login(representative)
    assert [m.title for m in client.get(_url("table_meetings", table.pk)).context["meetings"]] == [meeting.title]
    client.force_login(coordinator)
    assert len(client.get(_url("table_meetings", table.pk)).context["meetings"]) == 2


def test_an_unknown_meeting_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(_url("detail", 999999)).status_code == 404
    assert client.get(_url("create") + "?table=abc").status_code == 404


# --- query bounds --------------------------------------------------------------------------------


def _populate(meeting, count: int) -> None:
    """``count`` invitees with answers, notes and a waiting list, and a standing member for every second."""
    meeting.capacity = 10 * count
    meeting.save()
    organisation = meeting.table.standing_members.first().organisation
    for index in range(count):
        invitation = InvitationFactory(meeting=meeting, organisation=organisation)
        if index % 2:
            StandingMemberFactory(table=meeting.table, representative=invitation.user)
        if index % 3:
            RsvpFactory(
                invitation=invitation, response="in_person", note="Huomio" if index % 4 else "",
                waitlisted=index % 5 == 0, waitlisted_at=timezone.now() if index % 5 == 0 else None,
            )
    for _ in range(3):
        AgendaItemFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting, status=AgendaItemStatus.PROPOSED)


PAGES = [
    # (persona, url name, the most queries it may take at any size). Every page starts with the
    # session and the user (2). The meeting page then reads: the meeting with its table, chair,
    # chair person, secretary and minutes (the minutes for the links to attendance and minutes);
    # the person's coordinator areas; their invitation with its RSVP; the agenda with proposers;
    # the seats taken; and the contact person (table coordinator, then the creator). For coordinators the
    # registrations add 7 (meeting_registrations): invitations counted by delivery status, one page
    # of them with answers and organisations, answers counted, the waiting list, the notes, the
    # standing members with their representatives and substitutes, and those people's answers.
    # Every HTML page adds the navigation's count of what waits for the person (one query). The
    # standing "Open actions" section reads the table's open items of earlier meetings; a coordinator
    # also reads the requests for an invitation waiting for her.
    ("coordinator", "detail", 21),
    ("representative", "detail", 14),
    ("coordinator", "edit", 8),
    ("coordinator", "add_invitees", 5),
    ("coordinator", "cancel", 6),  # and the people a cancellation reaches
    ("coordinator", "agenda_add", 5),
    ("coordinator", "attendees_csv", 5),
    ("representative", "ics", 10),  # the calendar's description lists the open action items too
    ("representative", "agenda_propose", 8),
]


@pytest.mark.parametrize("size", [5, 100])
@pytest.mark.parametrize(("persona", "page", "bound"), PAGES)
def test_meeting_pages_take_a_fixed_number_of_queries(
    client, request, meeting, invited, size, persona, page, bound, django_assert_max_num_queries
):
    _populate(meeting, size)
    client.force_login(request.getfixturevalue(persona))
    with django_assert_max_num_queries(bound):
        response = client.get(_url(page, meeting.pk))
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 100])
def test_schedule_and_rsvp_link_pages_take_a_fixed_number_of_queries(
    client, meeting, invited, coordinator, size, django_assert_max_num_queries
):
    _populate(meeting, size)
    url = _url("rsvp_link", rsvp_token(invited, answer="in_person"))
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
    client.force_login(coordinator)
    with django_assert_max_num_queries(8):
        assert client.get(_url("table_meetings", meeting.table_id)).status_code == 200
    # The new-meeting form: the chair rotation and the choices of chair, chair person and secretary.
    with django_assert_max_num_queries(10):
        assert client.get(_url("create") + f"?table={meeting.table_id}").status_code == 200
    meeting.status = MeetingStatus.DRAFT
    meeting.save()
    with django_assert_max_num_queries(10):
        assert client.get(_url("schedule", meeting.pk)).status_code == 200


def test_the_invitee_help_text_shows_the_example_address(client, meeting, coordinator):
    """The help text's <maija@example.org> is text, not a tag the browser swallows."""
    client.force_login(coordinator)
    page = client.get(_url("add_invitees", meeting.pk))
    html = page.content.decode()
    assert "&lt;maija@example.org&gt;" in html and "<maija@example.org>" not in html
