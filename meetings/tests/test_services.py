"""The meeting services: create, schedule (the outbox rows), update, cancel, invitees, agenda."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.models import (
    AgendaItem,
    AgendaItemStatus,
    Invitation,
    InvitationKind,
    InvitationSource,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    OutboxStatus,
    RsvpResponse,
)
from meetings.services import (
    agenda_item_add,
    agenda_item_decide,
    agenda_item_move,
    agenda_item_propose,
    invitation_retry_failed,
    meeting_add_invitees,
    meeting_cancel,
    meeting_create,
    meeting_schedule,
    meeting_suggest_chair,
    meeting_update,
    parse_email_list,
)
from meetings.tests.factories import AgendaItemFactory, InvitationFactory, MeetingFactory, RsvpFactory, in_days
from organisations.tests.factories import OrganisationFactory
from tables.models import StandingMemberStatus, TableAccess
from tables.tests.factories import RoleAssignmentFactory, StandingMemberFactory

pytestmark = pytest.mark.django_db

FAR_FUTURE = datetime.datetime(9999, 12, 31, 20, tzinfo=datetime.UTC)
YEAR_ONE = datetime.datetime(1, 1, 1, 12, tzinfo=datetime.UTC)


def _create(actor, table, **overrides):
    data = {
        "title": "Kevään kokous",
        "starts_at": in_days(10),
        "ends_at": in_days(10, 15),
        "format": MeetingFormat.IN_PERSON,
        "address": "Hovioikeudenpuistikko 1, Vaasa",
        **overrides,
    }
    return meeting_create(actor=actor, table=table, **data)


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


# --- meeting_create -------------------------------------------------------------------


def test_create_makes_a_draft_and_invites_nobody(table, standing, coordinator):
    meeting = _create(coordinator, table)

    assert meeting.status == MeetingStatus.DRAFT
    assert meeting.created_by == coordinator
    assert meeting.sequence == 0
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        # Dates are made when the test runs (lambdas), not when pytest collects it: a run that
        # crosses midnight would otherwise compare "today" of two different days.
        (lambda: {"ends_at": in_days(10, 12)}, "ends_at", "The meeting must end after it starts."),
        (lambda: {"ends_at": in_days(10, 13)}, "ends_at", "The meeting must end after it starts."),
        (lambda: {"starts_at": in_days(-1), "ends_at": in_days(-1, 15)}, "starts_at",
         "The meeting cannot start in the past."),
        (
            lambda: {"rsvp_deadline": in_days(11)}, "rsvp_deadline",
            "The registration deadline must be before the meeting starts.",
        ),
        (lambda: {"capacity": 0}, "capacity", None),
        (lambda: {"online_link": "not a link"}, "online_link", None),
        # Far dates broke every calendar the meeting was in (issue 11, item 6).
        (lambda: {"starts_at": FAR_FUTURE, "ends_at": FAR_FUTURE + datetime.timedelta(hours=2)}, "starts_at",
         "Meetings can be planned at most five years ahead."),
        (lambda: {"starts_at": in_days(6 * 365), "ends_at": in_days(6 * 365, 15)}, "starts_at",
         "Meetings can be planned at most five years ahead."),
        (lambda: {"ends_at": FAR_FUTURE}, "ends_at", "Meetings can be planned at most five years ahead."),
        (lambda: {"ends_at": in_days(60)}, "ends_at", "A meeting can last at most 31 days."),
        (lambda: {"starts_at": YEAR_ONE, "ends_at": YEAR_ONE + datetime.timedelta(hours=2)}, "starts_at",
         "The date must be in the year 2000 or later."),
        (lambda: {"rsvp_deadline": YEAR_ONE}, "rsvp_deadline", "The date must be in the year 2000 or later."),
        (lambda: {"starts_at": in_days(10, 13).replace(tzinfo=None)}, "starts_at",
         "Give a date and a time with its time zone."),
    ],
)
def test_create_refuses_bad_input_on_the_field_and_saves_nothing(table, coordinator, overrides, field, message):
    overrides = overrides()
    with pytest.raises(ValidationError) as error:
        _create(coordinator, table, starts_at=overrides.pop("starts_at", in_days(10, 13)), **overrides)

    assert field in error.value.message_dict
    if message:
        assert error.value.message_dict[field] == [message]
    assert not Meeting.objects.exists()


def test_create_refuses_a_chair_that_is_not_a_standing_member(table, standing, coordinator, other_organisation):
    with pytest.raises(ValidationError) as error:
        _create(coordinator, table, chair=other_organisation)
    assert "chair" in error.value.message_dict


@pytest.mark.parametrize("persona", ["representative", "outsider", "other_coordinator", "member"])
def test_only_the_tables_coordinators_create_meetings(request, table, persona):
    with pytest.raises(PermissionDenied):
        _create(request.getfixturevalue(persona), table)


def test_a_coordinator_named_on_the_table_may_create(table, other_coordinator):
    table.coordinators.add(other_coordinator)
    assert _create(other_coordinator, table).pk


# --- chair rotation ---------------------------------------------------------------------


def test_chair_rotates_to_the_organisation_that_chaired_least_recently(table, coordinator):
    first, second, third = (
        StandingMemberFactory(table=table, organisation=OrganisationFactory(name=name, welfare_area=table.welfare_area))
        .organisation
        for name in ("A ry", "B ry", "C ry")
    )
    StandingMemberFactory(
        table=table, status=StandingMemberStatus.ENDED,
        organisation=OrganisationFactory(name="0 Ended ry", welfare_area=table.welfare_area),
    )
    # Nobody has chaired: the first by name.
    assert meeting_suggest_chair(table) == first

    MeetingFactory(table=table, chair=second, starts_at=in_days(-60))
    MeetingFactory(table=table, chair=first, starts_at=in_days(-30))
    # C never chaired, so it comes first.
    assert meeting_suggest_chair(table) == third

    MeetingFactory(table=table, chair=third, starts_at=in_days(-10))
    # A cancelled meeting does not count as chairing.
    MeetingFactory(table=table, chair=second, starts_at=in_days(-5), status=MeetingStatus.CANCELLED)
    assert meeting_suggest_chair(table) == second


def test_no_chair_is_suggested_without_standing_members(table):
    assert meeting_suggest_chair(table) is None


# --- meeting_schedule ------------------------------------------------------------------


def test_schedule_invites_representatives_substitutes_role_holders_and_added_people(
    table, standing, representative, coordinator, django_capture_on_commit_callbacks
):
    substitute = UserFactory(email="substitute@example.org")
    standing.substitute = substitute
    standing.save()
    # Ended standing members and people whose role has ended (or not begun) are not invited.
    StandingMemberFactory(
        table=table, status=StandingMemberStatus.ENDED, representative=UserFactory(email="ended@example.org")
    )
    RoleAssignmentFactory(table=table, user__email="secretary@example.org")
    RoleAssignmentFactory(
        table=table, user__email="former@example.org", valid_to=timezone.localdate() - datetime.timedelta(days=1)
    )
    RoleAssignmentFactory(
        table=table, user__email="future@example.org", valid_from=timezone.localdate() + datetime.timedelta(days=5)
    )
    # A nomination not accepted yet (issue 11: consent) brings no invitation.
    RoleAssignmentFactory(table=table, user__email="nominee@example.org", accepted_at=None)
    # The representative also holds a role: invited once.
    RoleAssignmentFactory(table=table, user=representative)
    swede = UserFactory(email="svensk@example.org", language="sv", full_name="Sven Svensson")
    meeting = _create(coordinator, table)

    with django_capture_on_commit_callbacks(execute=True):
        invitations = meeting_schedule(
            actor=coordinator, meeting=meeting,
            extra_people=[("Vieras Henkilö", "guest@example.org"), ("", "SVENSK@example.org")],
            language="en",
        )

    by_email = {invitation.email: invitation for invitation in Invitation.objects.filter(meeting=meeting)}
    assert sorted(by_email) == [
        "guest@example.org", "representative@example.org", "secretary@example.org", "substitute@example.org",
        "svensk@example.org",
    ]
    assert len(invitations) == 5
    assert by_email["representative@example.org"].source == InvitationSource.STANDING_MEMBER
    assert by_email["representative@example.org"].organisation == standing.organisation
    assert by_email["secretary@example.org"].source == InvitationSource.ROLE
    # An address with an account is that person, in their language; others get the language chosen.
    assert by_email["svensk@example.org"].user == swede
    assert by_email["svensk@example.org"].language == "sv"
    assert by_email["guest@example.org"].user is None
    assert by_email["guest@example.org"].name == "Vieras Henkilö"
    assert by_email["guest@example.org"].language == "en"
    # Exactly one e-mail each, all delivered and recorded in the outbox.
    assert _recipients() == sorted(by_email)
    for invitation in by_email.values():
        assert invitation.delivery_status == OutboxStatus.SENT
        assert invitation.sent_sequence == 0
        assert invitation.sent_kind == InvitationKind.INVITE
        assert invitation.attempts == 1
    # Each message is in its recipient's language and links to their notification settings.
    languages = {message.to[0]: message.alternatives[0][0] for message in mail.outbox}
    assert '<html lang="sv">' in languages["svensk@example.org"]
    assert '<html lang="en">' in languages["guest@example.org"]
    assert all("http://testserver/me/profile/" in message.body for message in mail.outbox)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.scheduled_at is not None


def test_the_invitation_rows_are_written_before_anything_is_sent(
    table, standing, coordinator, django_capture_on_commit_callbacks
):
    meeting = _create(coordinator, table)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        meeting_schedule(actor=coordinator, meeting=meeting)

    # Nothing is sent inside the transaction: the send is queued for when it commits.
    assert mail.outbox == []
    assert len(callbacks) == 1
    assert list(Invitation.objects.values_list("delivery_status", flat=True)) == [OutboxStatus.QUEUED]


def test_schedule_needs_the_place_of_an_in_person_meeting_and_changes_nothing(table, standing, coordinator):
    meeting = _create(coordinator, table, address="", format=MeetingFormat.HYBRID, online_link="")

    with pytest.raises(ValidationError) as error:
        meeting_schedule(actor=coordinator, meeting=meeting)

    assert set(error.value.message_dict) == {"address", "online_link"}
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT
    assert not Invitation.objects.exists()


def test_a_draft_whose_date_has_passed_cannot_be_scheduled(table, standing, coordinator):
    meeting = MeetingFactory(table=table, status=MeetingStatus.DRAFT, starts_at=in_days(-2))
    with pytest.raises(ValidationError) as error:
        meeting_schedule(actor=coordinator, meeting=meeting)
    assert error.value.message_dict == {"starts_at": ["The meeting cannot start in the past."]}


def test_a_members_only_table_without_invitees_cannot_schedule(table, coordinator):
    meeting = _create(coordinator, table)
    with pytest.raises(ValidationError):
        meeting_schedule(actor=coordinator, meeting=meeting)
    table.access = TableAccess.OPEN_FORUM
    table.save()
    # An open forum may start empty: people register themselves.
    assert meeting_schedule(actor=coordinator, meeting=meeting) == []


def test_a_meeting_is_scheduled_once(table, standing, coordinator, django_capture_on_commit_callbacks):
    meeting = _create(coordinator, table)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_schedule(actor=coordinator, meeting=meeting)
    with pytest.raises(ValidationError):
        meeting_schedule(actor=coordinator, meeting=meeting)
    assert len(mail.outbox) == 1


# --- meeting_update ----------------------------------------------------------------------


@pytest.fixture
def scheduled(table, standing, representative, coordinator, django_capture_on_commit_callbacks):
    """A scheduled meeting whose invitations (representative and a guest, both in English) have been delivered."""
    representative.language = "en"
    representative.save()
    meeting = _create(coordinator, table, format=MeetingFormat.HYBRID, online_link="https://meet.example.org/a")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_schedule(
            actor=coordinator, meeting=meeting, extra_people=[("", "guest@example.org")], language="en"
        )
    mail.outbox.clear()
    meeting.refresh_from_db()
    return meeting


def test_moving_a_meeting_raises_the_sequence_and_sends_everyone_an_update(
    scheduled, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_update(
            actor=coordinator, meeting=scheduled, data={"starts_at": in_days(11), "ends_at": in_days(11, 15)}
        )

    assert meeting.sequence == 1
    assert _recipients() == ["guest@example.org", "representative@example.org"]
    assert all(message.subject.startswith("[Kumppanuus] Changed:") for message in mail.outbox)
    for invitation in Invitation.objects.filter(meeting=meeting):
        assert invitation.sent_sequence == 1
        assert invitation.sent_kind == InvitationKind.UPDATE
        assert invitation.delivery_status == OutboxStatus.SENT


def test_a_change_that_calendars_do_not_show_sends_nothing(scheduled, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_update(
            actor=coordinator, meeting=scheduled, data={"capacity": 30, "rsvp_deadline": in_days(8)}
        )
    assert meeting.sequence == 0
    assert mail.outbox == []


def test_an_invitee_whose_first_invitation_has_not_gone_out_gets_an_invitation_not_an_update(
    scheduled, coordinator, django_capture_on_commit_callbacks
):
    Invitation.objects.filter(email="guest@example.org").update(
        delivery_status=OutboxStatus.FAILED, sent_sequence=None, sent_kind=""
    )
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(actor=coordinator, meeting=scheduled, data={"address": "Raastuvankatu 2, Vaasa"})
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["guest@example.org"].startswith("[Kumppanuus] Invitation:")
    assert subjects["representative@example.org"].startswith("[Kumppanuus] Changed:")


def test_capacity_cannot_go_below_the_people_attending(scheduled, coordinator):
    for invitation in Invitation.objects.filter(meeting=scheduled):
        RsvpFactory(invitation=invitation, response=RsvpResponse.ATTENDING_IN_PERSON)

    with pytest.raises(ValidationError) as error:
        meeting_update(actor=coordinator, meeting=scheduled, data={"capacity": 1, "title": "Uusi nimi"})

    assert error.value.message_dict == {
        "capacity": ["2 people have already registered; the capacity cannot be smaller than that."]
    }
    scheduled.refresh_from_db()
    assert scheduled.capacity is None
    assert scheduled.title == "Kevään kokous"


def test_moving_a_meeting_into_the_past_is_refused(scheduled, coordinator):
    with pytest.raises(ValidationError) as error:
        meeting_update(
            actor=coordinator, meeting=scheduled, data={"starts_at": in_days(-1), "ends_at": in_days(-1, 15)}
        )
    assert "starts_at" in error.value.message_dict


def test_moving_a_meeting_to_a_far_year_is_refused(scheduled, coordinator):
    with pytest.raises(ValidationError) as error:
        meeting_update(
            actor=coordinator, meeting=scheduled,
            data={"starts_at": FAR_FUTURE - datetime.timedelta(days=1), "ends_at": FAR_FUTURE},
        )
    assert set(error.value.message_dict) == {"starts_at", "ends_at"}
    scheduled.refresh_from_db()
    assert scheduled.starts_at.year < 9999


def test_a_cancelled_meeting_cannot_be_changed(scheduled, coordinator):
    meeting_cancel(actor=coordinator, meeting=scheduled)
    with pytest.raises(ValidationError):
        meeting_update(actor=coordinator, meeting=scheduled, data={"title": "Takaisin"})


def test_only_coordinators_update(scheduled, representative):
    with pytest.raises(PermissionDenied):
        meeting_update(actor=representative, meeting=scheduled, data={"title": "Oma"})


# --- meeting_cancel ----------------------------------------------------------------------


def test_cancelling_sends_everyone_a_cancellation(scheduled, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_cancel(actor=coordinator, meeting=scheduled, reason="Sairastapaus")

    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.sequence == 1
    assert meeting.cancellation_reason == "Sairastapaus"
    assert _recipients() == ["guest@example.org", "representative@example.org"]
    assert all("Sairastapaus" in message.body for message in mail.outbox)
    assert set(Invitation.objects.values_list("sent_kind", flat=True)) == {InvitationKind.CANCEL}
    with pytest.raises(ValidationError):
        meeting_cancel(actor=coordinator, meeting=meeting)


def test_cancelling_a_draft_tells_nobody(table, standing, coordinator, django_capture_on_commit_callbacks):
    meeting = _create(coordinator, table)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_cancel(actor=coordinator, meeting=meeting)
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.sequence == 0
    assert mail.outbox == []


# --- adding invitees later ----------------------------------------------------------------


def test_adding_people_later_invites_only_the_new_ones(
    scheduled, table, coordinator, django_capture_on_commit_callbacks
):
    newcomer = StandingMemberFactory(table=table, representative=UserFactory(email="newcomer@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        added = meeting_add_invitees(
            actor=coordinator, meeting=scheduled,
            people=[("", "guest@example.org"), ("Uusi", "another@example.org")],
        )

    assert sorted(invitation.email for invitation in added) == ["another@example.org", "newcomer@example.org"]
    assert _recipients() == ["another@example.org", "newcomer@example.org"]
    assert Invitation.objects.get(email="newcomer@example.org").organisation == newcomer.organisation
    assert Invitation.objects.filter(meeting=scheduled).count() == 4


def test_people_are_added_to_a_scheduled_meeting_only(table, standing, coordinator):
    meeting = _create(coordinator, table)
    with pytest.raises(ValidationError):
        meeting_add_invitees(actor=coordinator, meeting=meeting, people=[("", "x@example.org")])


# --- Services check what a caller hands them, not only what a form did (issue 11, "Also") -------


@pytest.mark.parametrize(
    "people",
    [
        [("guest@example.org", "guest probe")],  # the pair the other way round: was mailed to "guest probe"
        [("Maija", "not an address")],
        [("Maija\nhttps://evil.example", "maija@example.org")],
        [("Ma\x00ija", "maija@example.org")],
        [("x" * 201, "maija@example.org")],
        ["maija@example.org"],
        [("Maija", None)],
    ],
)
def test_schedule_and_add_refuse_people_that_are_not_a_name_and_an_address(table, standing, coordinator, people):
    meeting = _create(coordinator, table)
    with pytest.raises(ValidationError) as error:
        meeting_schedule(actor=coordinator, meeting=meeting, extra_people=people)
    assert list(error.value.message_dict) == ["people"]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT
    assert not Invitation.objects.filter(meeting=meeting).exists()

    meeting_schedule(actor=coordinator, meeting=meeting)
    count = Invitation.objects.filter(meeting=meeting).count()
    with pytest.raises(ValidationError) as error:
        meeting_add_invitees(actor=coordinator, meeting=meeting, people=people)
    assert list(error.value.message_dict) == ["people"]
    assert Invitation.objects.filter(meeting=meeting).count() == count


def test_schedule_refuses_a_language_that_is_not_offered(table, standing, coordinator):
    meeting = _create(coordinator, table)
    with pytest.raises(ValidationError) as error:
        meeting_schedule(actor=coordinator, meeting=meeting, extra_people=[("", "g@example.org")], language="xx")
    assert list(error.value.message_dict) == ["language"]
    assert not Invitation.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "Kokous\x00"}, "title"),
        ({"title": "Kokous\nhttps://evil.example"}, "title"),
        ({"description": "Tervetuloa\x00"}, "description"),
        ({"address": "Tie 1\x07"}, "address"),
    ],
)
def test_create_refuses_control_characters_in_its_texts(table, coordinator, overrides, field):
    with pytest.raises(ValidationError) as error:
        _create(coordinator, table, **overrides)
    assert list(error.value.message_dict) == [field]
    assert not Meeting.objects.exists()


def test_agenda_and_cancellation_texts_are_checked(meeting, coordinator, representative):
    for fields, field in (
        ({"title": "Aihe\x00"}, "title"),
        ({"title": "Aihe\nToinen rivi"}, "title"),
        ({"title": "Aihe", "presenter": "Maija\r\nhttps://evil.example"}, "presenter"),
        ({"title": "Aihe", "description": "Kuvaus\x00"}, "description"),
    ):
        with pytest.raises(ValidationError) as error:
            agenda_item_propose(actor=representative, meeting=meeting, **fields)
        assert list(error.value.message_dict) == [field]
    assert not meeting.agenda_items.exists()
    # Several lines are fine where the field has several lines.
    item = agenda_item_propose(actor=representative, meeting=meeting, title="Aihe", description="Yksi\nKaksi")
    with pytest.raises(ValidationError) as error:
        agenda_item_decide(actor=coordinator, item=item, accept=False, reason="Ei\x00")
    assert list(error.value.message_dict) == ["reason"]
    with pytest.raises(ValidationError) as error:
        meeting_cancel(actor=coordinator, meeting=meeting, reason="Peruttu\x00")
    assert list(error.value.message_dict) == ["reason"]


def test_failed_invitations_can_be_sent_again(scheduled, coordinator, django_capture_on_commit_callbacks):
    Invitation.objects.filter(email="guest@example.org").update(
        delivery_status=OutboxStatus.FAILED, attempts=5, last_error="SMTPRecipientsRefused"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert invitation_retry_failed(actor=coordinator, meeting=scheduled) == 1
    assert _recipients() == ["guest@example.org"]
    assert Invitation.objects.get(email="guest@example.org").delivery_status == OutboxStatus.SENT


def test_parse_email_list_keeps_names_and_lists_the_bad_entries():
    assert parse_email_list("Maija Meikäläinen <Maija@Example.org>, b@example.org\n\n c@example.org ;") == [
        ("Maija Meikäläinen", "maija@example.org"), ("", "b@example.org"), ("", "c@example.org"),
    ]
    with pytest.raises(ValidationError) as error:
        parse_email_list("ok@example.org, not-an-address, also@bad")
    assert error.value.messages == ["These are not e-mail addresses: not-an-address, also@bad"]


# --- agenda ----------------------------------------------------------------------------------


def test_members_propose_topics_and_the_coordinator_decides_and_orders(meeting, coordinator, representative):
    first = agenda_item_add(actor=coordinator, meeting=meeting, title="Avaus")
    second = agenda_item_add(actor=coordinator, meeting=meeting, title="Ajankohtaiset", duration_minutes=20)
    proposal = agenda_item_propose(actor=representative, meeting=meeting, title="Vertaistuen rahoitus")
    declined = agenda_item_propose(actor=representative, meeting=meeting, title="Muuta")

    assert first.status == second.status == AgendaItemStatus.ACCEPTED
    assert proposal.status == AgendaItemStatus.PROPOSED
    assert proposal.proposed_by == representative

    with pytest.raises(ValidationError) as error:
        agenda_item_decide(actor=coordinator, item=declined, accept=False, reason=" ")
    assert "reason" in error.value.message_dict
    agenda_item_decide(actor=coordinator, item=declined, accept=False, reason="Ei ehditä tällä kertaa")
    agenda_item_decide(actor=coordinator, item=proposal, accept=True)

    accepted = list(AgendaItem.objects.filter(meeting=meeting, status=AgendaItemStatus.ACCEPTED).order_by("position"))
    assert [item.title for item in accepted] == ["Avaus", "Ajankohtaiset", "Vertaistuen rahoitus"]

    agenda_item_move(actor=coordinator, item=proposal, up=True)
    agenda_item_move(actor=coordinator, item=first, up=False)
    accepted = AgendaItem.objects.filter(meeting=meeting, status=AgendaItemStatus.ACCEPTED).order_by("position")
    assert [item.title for item in accepted] == ["Vertaistuen rahoitus", "Avaus", "Ajankohtaiset"]
    assert list(accepted.values_list("position", flat=True)) == [1, 2, 3]
    declined.refresh_from_db()
    assert declined.decline_reason == "Ei ehditä tällä kertaa"


def test_the_chair_decides_on_the_agenda_too(meeting, representative, member):
    proposal = AgendaItemFactory(meeting=meeting, status=AgendaItemStatus.PROPOSED)
    with pytest.raises(PermissionDenied):
        agenda_item_decide(actor=member, item=proposal, accept=True)
    meeting.chair_person = member
    meeting.save()
    assert agenda_item_decide(actor=member, item=proposal, accept=True).status == AgendaItemStatus.ACCEPTED


def test_outsiders_cannot_propose_and_members_cannot_decide(meeting, outsider, representative):
    with pytest.raises(PermissionDenied):
        agenda_item_propose(actor=outsider, meeting=meeting, title="Mainos")
    with pytest.raises(PermissionDenied):
        agenda_item_add(actor=representative, meeting=meeting, title="Suoraan listalle")


def test_an_invited_guest_may_propose(meeting):
    guest = InvitationFactory(meeting=meeting).user
    assert agenda_item_propose(actor=guest, meeting=meeting, title="Kokemusasiantuntijan puheenvuoro").pk


def test_a_nominee_who_has_not_accepted_cannot_be_chosen_to_chair(table, coordinator):
    """The chair and secretary choices name the table's people; a role nomination waiting for its
    answer (issue 11: consent) does not make someone one of them."""
    from meetings.forms.meetings import table_people

    nominee = UserFactory(email="nominee@example.org")
    holder = UserFactory(email="holder@example.org")
    assignment = RoleAssignmentFactory(table=table, user=nominee, accepted_at=None)
    RoleAssignmentFactory(table=table, user=holder)
    people = set(table_people(table))
    assert holder in people and nominee not in people
    assignment.accepted_at = timezone.now()
    assignment.save()
    assert nominee in set(table_people(table))
