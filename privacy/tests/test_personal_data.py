"""Personal data: downloading everything held about a person, and deleting an account.

The world: ``leaver`` (Anna Poistuja) takes part in everything a person can take part in, next to
``bystander`` (Bertta Sivullinen), who shares her meetings and organisation. The download must
hold all of Anna's data and none of Bertta's; after Anna deletes her account, the statistics and
counts are the same and no row anywhere names her.
"""

import datetime
import json
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from meetings.models import (
    ActionItem,
    ActionItemReminder,
    AgendaItem,
    Attendance,
    Decision,
    Invitation,
    MeetingReminder,
    MeetingReminderKind,
    Minutes,
    OutboxStatus,
    Rsvp,
    RsvpResponse,
)
from meetings.selectors import attendance_rows, meeting_registrations
from meetings.services import meeting_update
from meetings.services.stats import table_statistics, table_statistics_years
from meetings.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
    PublishedMinutesFactory,
    held_meeting,
    in_days,
    invite,
)
from meetings.tokens import rsvp_token
from organisations.models import AreaCoordinator, Membership, MembershipRole, MembershipStatus, Organisation
from organisations.tests.factories import (
    AreaCoordinatorFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
)
from outbox.engine import deliver
from privacy.selectors import personal_data_export
from privacy.services import account_delete, account_delete_check
from tables.models import (
    EvaluationAnswer,
    EvaluationReminder,
    EvaluationReminderKind,
    EvaluationResponse,
    QuestionKind,
    RoleAssignment,
    StandingMember,
)
from tables.tests.factories import (
    AnnualEvaluationFactory,
    PartnershipTableFactory,
    RoleAssignmentFactory,
    SectorFactory,
    StandingMemberFactory,
)

pytestmark = pytest.mark.django_db

LEAVER_EMAIL = "anna.poistuja@example.org"
LEAVER_OLD_EMAIL = "anna.vanha@example.org"  # a second address, invited by address before she signed up
LEAVER_NAME = "Anna Poistuja"
LEAVER_NOTE = "Annan pyörätuoli tarvitsee tilaa"
BYSTANDER_EMAIL = "bertta.sivullinen@example.org"
BYSTANDER_NAME = "Bertta Sivullinen"
BYSTANDER_NOTE = "Bertan gluteeniton ruokavalio"


@pytest.fixture(autouse=True)
def _english(client, settings):
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@dataclass
class World:
    leaver: User
    bystander: User
    table: object
    organisation: Organisation
    past_meetings: list
    upcoming_meeting: object


def build_world(*, area, other_area, organisation, coordinator, meetings: int = 3) -> World:
    """Anna in every role and record there is; Bertta beside her. ``meetings`` past meetings each."""
    leaver = UserFactory(email=LEAVER_EMAIL, full_name=LEAVER_NAME)
    EmailAddress.objects.create(user=leaver, email=LEAVER_OLD_EMAIL, verified=True, primary=False)
    bystander = UserFactory(email=BYSTANDER_EMAIL, full_name=BYSTANDER_NAME)
    MembershipFactory(
        user=leaver,
        organisation=organisation,
        role=MembershipRole.REPRESENTATIVE,
        decided_by=bystander,
        decision_reason="Tervetuloa",
    )
    MembershipFactory(user=bystander, organisation=organisation, decided_by=leaver)
    pending = OrganisationFactory(welfare_area=area, name="Odottava yhdistys ry")
    MembershipFactory(user=leaver, organisation=pending, status=MembershipStatus.PENDING, message="Haluan mukaan")
    AreaCoordinatorFactory(user=leaver, welfare_area=other_area)
    municipality = MunicipalityFactory(welfare_area=area, code="905", name="Vaasa", name_fi="Vaasa")
    municipality.liaison_persons.add(leaver)
    organisation.municipalities.add(municipality)
    # Audited changes she made, and a decision she made, in the history tables.
    decided = OrganisationFactory(welfare_area=area, name="Päätetty yhdistys ry", eligibility_decided_by=leaver)
    decided._history_user = leaver
    decided.description = "Muutettu"
    decided.save()

    sector = SectorFactory(welfare_area=area, director=leaver)
    table = PartnershipTableFactory(sector=sector, coordinators=[coordinator, leaver])
    StandingMemberFactory(table=table, organisation=organisation, representative=leaver, substitute=bystander)
    RoleAssignmentFactory(table=table, user=leaver)

    past = []
    for number in range(meetings):
        meeting = held_meeting(
            table,
            days_ago=3 + number,
            title=f"Mennyt kokous {number}",
            created_by=coordinator,
            chair_person=leaver,
            secretary=bystander,
        )
        mine = invite(meeting, leaver, organisation=organisation, response=RsvpResponse.ATTENDING_IN_PERSON)
        Rsvp.objects.filter(invitation=mine).update(note=LEAVER_NOTE)
        Invitation.objects.filter(pk=mine.pk).update(last_error=f"452 mailbox of {LEAVER_EMAIL} is full")
        theirs = invite(meeting, bystander, organisation=organisation, response=RsvpResponse.ATTENDING_ONLINE)
        Rsvp.objects.filter(invitation=theirs).update(note=BYSTANDER_NOTE)
        invite(meeting, None, email=f"guest{number}@example.org", name="Vieras", response=RsvpResponse.NOT_ATTENDING)
        AttendanceFactory(meeting=meeting, user=leaver, invitation=mine, organisation=organisation, recorded_by=leaver)
        AttendanceFactory(meeting=meeting, user=bystander, invitation=theirs, organisation=organisation, online=True)
        minutes = PublishedMinutesFactory(meeting=meeting, published_by=leaver, updated_by=leaver)
        DecisionFactory(minutes=minutes, text=f"Päätettiin asia {number}")
        item = ActionItemFactory(meeting=meeting, owner_user=leaver, owner_organisation=organisation, created_by=leaver)
        ActionItemFactory(meeting=meeting, owner_user=leaver, owner_organisation=None, what="Annan oma tehtävä")
        ActionItemReminder.objects.create(
            action_item=item,
            user=leaver,
            week=timezone.localdate() - datetime.timedelta(days=7 * (number + 1)),
            delivery_status=OutboxStatus.SENT,
            sent_at=timezone.now(),
        )
        AgendaItemFactory(
            meeting=meeting,
            proposed_by=leaver,
            presenter_user=leaver,
            presenter=LEAVER_NAME,
            description=f"Annan ehdotus {number}",
        )
        MeetingReminder.objects.create(
            meeting=meeting,
            invitation=mine,
            kind=MeetingReminderKind.ATTENDING,
            for_starts_at=meeting.starts_at,
            delivery_status=OutboxStatus.SENT,
            sent_at=timezone.now(),
        )
        past.append(meeting)
    # Proposed through the form, which takes the presenter as text only.
    AgendaItemFactory(
        meeting=past[0], proposed_by=leaver, presenter=f"{LEAVER_NAME}, Vaasan yhdistys", description="Annan esitys"
    )
    # Invited by her old address before she had an account; she answered by the e-mail link.
    invite(past[0], None, email=LEAVER_OLD_EMAIL, name="Anna P.", response=RsvpResponse.MAYBE)

    upcoming = MeetingFactory(table=table, starts_at=in_days(10), capacity=1, title="Tuleva kokous")
    invite(upcoming, leaver, organisation=organisation, response=RsvpResponse.ATTENDING_IN_PERSON)
    waiting = invite(upcoming, bystander, organisation=organisation, response=RsvpResponse.ATTENDING_IN_PERSON)
    Rsvp.objects.filter(invitation=waiting).update(waitlisted=True, waitlisted_at=timezone.now())

    evaluation = AnnualEvaluationFactory(table=table)
    response = EvaluationResponse.objects.create(evaluation=evaluation, respondent=leaver)
    for question in evaluation.template.questions.all():
        if question.kind == QuestionKind.SCALE:
            EvaluationAnswer.objects.create(response=response, question=question, scale_value=4)
        else:
            EvaluationAnswer.objects.create(response=response, question=question, text="Hyödyllinen pöytä")
    other_response = EvaluationResponse.objects.create(evaluation=evaluation, respondent=bystander)
    EvaluationAnswer.objects.create(
        response=other_response,
        question=evaluation.template.questions.first(),
        text="Bertan vastaus",
    )
    EvaluationReminder.objects.create(evaluation=evaluation, user=leaver, kind=EvaluationReminderKind.OPENED)

    admin = UserFactory(email="paakayttaja@example.org", is_staff=True, is_superuser=True)
    for obj, repr_ in ((leaver, str(leaver)), (Membership.objects.get(user=leaver, organisation=organisation), None)):
        LogEntry.objects.create(
            user=admin,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=repr_ or str(obj),
            action_flag=CHANGE,
            change_message="[]",
        )
    return World(leaver, bystander, table, organisation, past, upcoming)


@pytest.fixture
def world(area, other_area, organisation, coordinator):
    return build_world(area=area, other_area=other_area, organisation=organisation, coordinator=coordinator)


# --- Download --------------------------------------------------------------------------------


def _download(client, user) -> tuple[object, dict, str]:
    client.force_login(user)
    response = client.post(reverse("personal_data_download"))
    text = response.content.decode("utf-8")
    return response, json.loads(text), text


def test_profile_links_to_download_and_delete(client, world):
    client.force_login(world.leaver)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("personal_data") in page
    assert reverse("account_delete") in page
    page = client.get(reverse("personal_data")).content.decode()
    assert reverse("personal_data_download") in page
    assert "Download my data (JSON)" in page


def test_download_is_a_json_attachment_with_everything_about_the_person(client, world):
    response, data, text = _download(client, world.leaver)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="kumppanuus-personal-data-')
    assert "no-store" in response["Cache-Control"]  # nothing may cache it (kumppanuus.middleware)

    account = data["account"]
    assert account["email"] == LEAVER_EMAIL
    assert account["full_name"] == LEAVER_NAME
    assert "password" not in account and "pbkdf2" not in text and "md5$" not in text
    assert {address["email"] for address in data["email_addresses"]} == {LEAVER_EMAIL, LEAVER_OLD_EMAIL}
    assert {row["organisation"] for row in data["memberships"]} == {world.organisation.name, "Odottava yhdistys ry"}
    assert "Haluan mukaan" in text
    assert len(data["coordinator_roles"]) == 1
    assert [row["table"] for row in data["tables_coordinated"]] == [world.table.name]
    assert data["liaison_for_municipalities"] == ["Vaasa"]
    assert len(data["sectors_directed"]) == 1
    assert data["standing_member_roles"] == [
        {
            "table": world.table.name,
            "organisation": world.organisation.name,
            "role": "representative",
            "status": "active",
        }
    ]
    assert len(data["role_assignments"]) == 1

    invitations = data["invitations"]
    titles = [row["meeting"]["title"] for row in invitations]
    assert sorted(titles) == sorted(
        ["Mennyt kokous 0", "Mennyt kokous 0", "Mennyt kokous 1", "Mennyt kokous 2", "Tuleva kokous"]
    )
    by_address = [row for row in invitations if row["email"] == LEAVER_OLD_EMAIL]
    assert by_address and by_address[0]["rsvp"]["response"] == RsvpResponse.MAYBE
    notes = [row["rsvp"]["note"] for row in invitations if row["rsvp"] and row["rsvp"]["note"]]
    assert notes == [LEAVER_NOTE] * 3
    assert all(row["delivery_status"] == "sent" for row in invitations)
    assert sum(len(row["reminders"]) for row in invitations) == 3

    assert len(data["attendance"]) == 3 and all(row["attended"] for row in data["attendance"])
    assert all(row["chair"] and not row["secretary"] for row in data["meetings"])
    assert len(data["agenda_items"]) == 4
    assert len(data["minutes"]) == 3 and all(row["published"] for row in data["minutes"])
    assert len(data["action_items"]) == 6
    assert len(data["action_item_reminders"]) == 3
    assert [row["rows"] for row in data["attendance_recorded_by_you"]] == [1, 1, 1]
    [evaluation] = data["evaluation_responses"]
    assert {answer["text"] for answer in evaluation["answers"]} >= {"Hyödyllinen pöytä"}
    assert {answer["scale_value"] for answer in evaluation["answers"]} >= {4}
    assert len(data["evaluation_reminders"]) == 1
    assert data["decisions_by_you"]["organisation_eligibility"][0]["organisation"] == "Päätetty yhdistys ry"
    assert len(data["decisions_by_you"]["membership_requests"]) == 1
    assert {"record": "organisations.Organisation", "changes": 1} in data["audit_history"]


def test_download_lists_the_persons_notifications_and_deletion_removes_them(client, world):
    from outbox.models import Notification

    mine = Notification.objects.create(
        kind="organisations.membership_decision", object_id=1, user=world.leaver, email=world.leaver.email
    )
    Notification.objects.create(
        kind="organisations.membership_decision", object_id=2, user=world.bystander, email=BYSTANDER_EMAIL
    )
    _response, data, _text = _download(client, world.leaver)
    assert [row["kind"] for row in data["notifications"]] == ["organisations.membership_decision"]
    assert data["notifications"][0]["email"] == world.leaver.email
    account_delete(user=world.leaver)
    assert not Notification.objects.filter(pk=mine.pk).exists()
    assert Notification.objects.filter(email=BYSTANDER_EMAIL).exists()


def test_download_holds_nobody_elses_data(client, world):
    _response, _data, text = _download(client, world.leaver)
    for other in (
        BYSTANDER_EMAIL,
        BYSTANDER_NAME,
        BYSTANDER_NOTE,
        "Bertan vastaus",
        "guest0@example.org",
        "paakayttaja@example.org",
        "coordinator@example.org",
    ):
        assert other not in text
    # And Bertta's own download holds none of Anna's.
    client.logout()
    _response, _data, text = _download(client, world.bystander)
    for other in (LEAVER_EMAIL, LEAVER_OLD_EMAIL, LEAVER_NAME, LEAVER_NOTE, "Haluan mukaan"):
        assert other not in text


def test_download_needs_a_signed_in_post(client, world):
    assert client.get(reverse("personal_data")).status_code == 302
    response = client.post(reverse("personal_data_download"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(world.leaver)
    assert client.get(reverse("personal_data_download")).status_code == 405


def test_download_holds_the_agenda_texts_the_person_wrote(client, world):
    _response, data, _text = _download(client, world.leaver)
    proposed = {row["description"]: row["presenter"] for row in data["agenda_items"] if row["proposed"]}
    assert proposed["Annan esitys"] == f"{LEAVER_NAME}, Vaasan yhdistys"
    assert proposed["Annan ehdotus 0"] == LEAVER_NAME


def test_download_holds_the_older_versions_in_the_audit_history(client, world):
    membership = Membership.objects.get(user=world.leaver, status=MembershipStatus.PENDING)
    membership.message = "Uusi viesti"
    membership.save()
    _response, data, text = _download(client, world.leaver)
    assert "Uusi viesti" in text
    versions = [
        row for row in data["audit_history_versions"] if row["record"] == "organisations.Membership"
        and row["id"] == membership.pk
    ]
    assert [(row["change"], row["values"]["message"]) for row in versions] == [
        ("created", "Haluan mukaan"),
        ("changed", "Uusi viesti"),
    ]
    # The seat she holds, as its history has it, and the organisation whose eligibility she decided.
    records = {row["record"] for row in data["audit_history_versions"]}
    assert {"tables.StandingMember", "organisations.Organisation", "organisations.AreaCoordinator"} <= records


def test_download_holds_the_admin_log_about_the_person_and_no_one_else(client, world):
    admin = User.objects.get(email="paakayttaja@example.org")
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(world.bystander.pk),
        object_repr=str(world.bystander),
        action_flag=CHANGE,
        change_message="[]",
    )
    _response, data, text = _download(client, world.leaver)
    about = data["admin_log_about_you"]
    assert sorted(row["record"] for row in about) == ["accounts.user", "organisations.membership"]
    assert {row["object"] for row in about} == {LEAVER_NAME, f"{LEAVER_NAME} – {world.organisation.name}"}
    assert BYSTANDER_NAME not in text and "paakayttaja@example.org" not in text


def test_download_follows_the_list_of_where_personal_data_lives(client, world):
    """Every text the list declares for a row that reaches the person is in the download."""
    from privacy.catalogue import model_of, personal_data, rows_q

    _response, _data, text = _download(client, world.leaver)
    missing = []
    for entry in personal_data():
        model = model_of(entry)
        for link in entry.links:
            names = [
                name
                for name in link.download
                if isinstance(model._meta.get_field(name), models.CharField | models.TextField)
            ]
            for row in model._default_manager.filter(rows_q(link, world.leaver)).values(*names) if names else ():
                for name, value in row.items():
                    if value and json.dumps(value, ensure_ascii=False)[1:-1] not in text:
                        missing.append(f"{entry.model}.{name} ({link.path}): {value!r}")
    assert missing == []


# 42 queries: the person's e-mail addresses, groups, permissions, memberships, coordinator roles,
# tables coordinated, tables owned, sectors, municipalities, standing member seats, role
# assignments (11); invitations + their reminders (2); attendance, meetings, agenda items,
# minutes, action items, action item reminders, attendance recorded (7); evaluation responses +
# answers (2), evaluation reminders (1), notifications (1); four kinds of decisions (4); one count
# for each of the seven audited models (7) and the admin log (1); the older versions of each of
# the five audited models that reach the person (5); the admin log's entries about the person (1).
EXPORT_QUERIES = 42


@pytest.mark.parametrize("meetings", [1, 8])
def test_download_takes_the_same_number_of_queries_however_much_data(
    meetings, area, other_area, organisation, coordinator, django_assert_max_num_queries
):
    world = build_world(
        area=area, other_area=other_area, organisation=organisation, coordinator=coordinator, meetings=meetings
    )
    leaver = User.objects.get(pk=world.leaver.pk)
    with django_assert_max_num_queries(EXPORT_QUERIES):
        data = personal_data_export(leaver)
    assert len(data["attendance"]) == meetings


# --- Delete ----------------------------------------------------------------------------------


def _counts(world: World) -> dict:
    """Everything about the table's meetings that must read the same before and after the deletion."""
    statistics = {}
    for year in table_statistics_years(world.table):
        stats = table_statistics(table=world.table, year=year)
        statistics[year] = (
            stats.totals,
            stats.online_attendances,
            [(row.meeting.pk, row.attendees, row.online) for row in stats.meetings],
            [(row.name, row.counts) for row in stats.by_municipality],
            stats.municipality_unknown,
            stats.theme_unknown,
        )
    meetings = {}
    for meeting in world.past_meetings:
        registrations = meeting_registrations(meeting)
        meetings[meeting.pk] = (
            dict(registrations.counts),
            len(registrations.waitlist),
            registrations.invitations.paginator.count,
            Attendance.objects.filter(meeting=meeting, attended=True).count(),
            Attendance.objects.filter(meeting=meeting, attended=True, organisation=world.organisation).count(),
            list(Decision.objects.filter(minutes__meeting=meeting).values_list("text", flat=True)),
            ActionItem.objects.filter(meeting=meeting).count(),
            Minutes.objects.filter(meeting=meeting, published_at__isnull=False).count(),
        )
    return {"statistics": statistics, "meetings": meetings}


def _confirm(client, user, confirmation=PASSWORD):
    client.force_login(user)
    return client.post(reverse("account_delete"), {"confirmation": confirmation})


def test_confirmation_page_explains_and_warns(client, world):
    client.force_login(world.leaver)
    page = client.get(reverse("account_delete")).content.decode()
    assert "Deleting your account is permanent" in page
    # She is the only representative of the organisation and holds its seat on the table.
    assert "Your organisations will have no representative" in page
    assert world.organisation.name in page
    assert world.table.name in page
    assert 'type="password"' in page


def test_wrong_confirmation_deletes_nothing(client, world):
    before = _counts(world)
    response = _confirm(client, world.leaver, confirmation="not-my-password")
    assert response.status_code == 400
    assert "The password is not correct. Nothing was deleted." in response.content.decode()
    assert User.objects.filter(pk=world.leaver.pk).exists()
    assert Invitation.objects.filter(user=world.leaver).count() == 4
    assert Rsvp.objects.filter(note=LEAVER_NOTE).count() == 3
    assert _counts(world) == before
    assert client.get(reverse("accounts:profile")).status_code == 200  # still signed in


def test_guessing_the_password_is_rate_limited(client, world):
    for _attempt in range(10):
        assert _confirm(client, world.leaver, confirmation="guess").status_code == 400
    response = _confirm(client, world.leaver)  # the right password, but too late
    assert response.status_code == 400
    assert "Too many attempts." in response.content.decode()
    assert User.objects.filter(pk=world.leaver.pk).exists()


def test_an_account_without_a_password_confirms_with_the_address(client, world):
    world.leaver.set_unusable_password()
    world.leaver.save()
    assert _confirm(client, world.leaver, confirmation="someone@example.org").status_code == 400
    assert User.objects.filter(pk=world.leaver.pk).exists()
    response = _confirm(client, world.leaver, confirmation=LEAVER_EMAIL.upper())
    assert response.status_code == 302
    assert not User.objects.filter(pk=world.leaver.pk).exists()


def test_deleting_keeps_statistics_counts_and_decisions(client, world):
    before = _counts(world)
    response = _confirm(client, world.leaver)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert not User.objects.filter(pk=world.leaver.pk).exists()
    assert _counts(world) == before
    # The organisation stays, with its other member, though it has no representative now.
    organisation = Organisation.objects.get(pk=world.organisation.pk)
    assert organisation.memberships.get().user == world.bystander
    seat = StandingMember.objects.get(table=world.table, organisation=organisation)
    assert seat.representative_id is None and seat.substitute == world.bystander
    # Her action items stay: with their organisation, or unassigned.
    assert ActionItem.objects.filter(owner_user__isnull=True, owner_organisation=organisation).count() == 3
    assert ActionItem.objects.filter(owner_user__isnull=True, owner_organisation__isnull=True).count() == 3
    # Her evaluation answers stay, without her.
    assert EvaluationResponse.objects.filter(respondent__isnull=True).get().answers.count() == 5
    # Attendance rows stay as anonymous people of the organisation.
    assert Attendance.objects.filter(user__isnull=True, invitation__isnull=True, organisation=organisation).count() == 3


def test_after_deleting_no_row_names_the_person(client, world):
    leaver_pk = world.leaver.pk
    assert _confirm(client, world.leaver).status_code == 302
    user_model = apps.get_model(User._meta.label)
    identifying = [LEAVER_EMAIL, LEAVER_OLD_EMAIL, LEAVER_NAME, LEAVER_NOTE, "Anna P."]
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is user_model:
                # Includes the history tables' copies, which have no database constraint.
                if model._default_manager.filter(**{field.attname: leaver_pk}).exists():
                    found.append(f"{model._meta.label}.{field.name}")
            elif isinstance(field, models.CharField | models.TextField):
                for text in identifying:
                    if model._default_manager.filter(**{f"{field.attname}__icontains": text}).exists():
                        found.append(f"{model._meta.label}.{field.name} contains {text!r}")
    assert found == []
    # Her invitations to past meetings are kept, anonymised; the upcoming one is gone.
    anonymised = Invitation.objects.filter(anonymised_at__isnull=False)
    assert anonymised.count() == 4
    assert all(invitation.email.endswith("@anonymised.invalid") for invitation in anonymised)
    assert not Invitation.objects.filter(meeting=world.upcoming_meeting, user__isnull=True).exists()
    # The bystander's history and data are untouched.
    assert Rsvp.objects.filter(note=BYSTANDER_NOTE).count() == 3
    assert AreaCoordinator.history.filter(user_id=leaver_pk).count() == 0
    assert Membership.history.filter(user=world.bystander).exists()
    assert not RoleAssignment.objects.exists()


def test_deleting_erases_the_presenter_text_and_keeps_the_agenda(client, world):
    account_delete(user=world.leaver)
    item = AgendaItem.objects.get(description="Annan esitys")
    assert item.presenter == "" and item.proposed_by is None
    assert AgendaItem.objects.filter(description__startswith="Annan ehdotus", presenter="").count() == 3


def test_deletion_follows_the_list_of_where_personal_data_lives(client, world):
    """What the list says, row by row: the person's own rows go (or are kept anonymised by the
    service's procedure), the kept rows no longer reach the person and their ``erase`` texts are empty."""
    from kumppanuus.personal_data import OnDelete
    from privacy.catalogue import model_of, personal_data, rows_q

    reached = {}
    for entry in personal_data():
        for link in entry.links:
            pks = list(model_of(entry)._default_manager.filter(rows_q(link, world.leaver)).values_list("pk", flat=True))
            if pks:
                reached[entry.model, link] = pks
    # The world reaches most of the list (not: an owner, notifications, invitations added, ...
    assert len(reached) >= 25
    account_delete(user=world.leaver)
    problems = []
    for (label, link), pks in reached.items():
        left = apps.get_model(label)._default_manager.filter(pk__in=pks)
        if link.on_delete is OnDelete.DELETE:
            if left.exists():
                problems.append(f"{label} ({link.path}): rows left")
            continue
        if link.direct and left.filter(rows_q(link, world.leaver)).exists():
            problems.append(f"{label} ({link.path}): still reaches the person")
        for name in link.erase:
            if label == "meetings.Invitation" and name == "email":
                unsendable = left.exclude(email__endswith="@anonymised.invalid")
                if unsendable.exists():
                    problems.append(f"{label}.email ({link.path}): not anonymised")
            elif left.exclude(**{name: ""}).exists():
                problems.append(f"{label}.{name} ({link.path}): not empty")
    assert problems == []


def test_deleting_keeps_the_admin_log_about_others_whatever_their_name(client, world, organisation):
    """A person named like an organisation: the admin log's entries about the organisation, and
    about others' memberships of it, keep their descriptions; only the entries about the person go."""
    namesake = UserFactory(email="setlementti.henkilo@example.org", full_name="Vaasan Setlementti")
    namesakes_org = OrganisationFactory(welfare_area=organisation.welfare_area, name="Vaasan Setlementti ry")
    theirs = MembershipFactory(user=world.bystander, organisation=namesakes_org)
    own = MembershipFactory(user=namesake, organisation=namesakes_org)
    admin = User.objects.get(email="paakayttaja@example.org")

    def log(obj):
        return LogEntry.objects.create(
            user=admin,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj),
            action_flag=CHANGE,
            change_message="[]",
        )

    about_org, about_theirs, about_own, about_account = log(namesakes_org), log(theirs), log(own), log(namesake)
    made_by_them = LogEntry.objects.create(
        user=namesake,
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=str(organisation.pk),
        object_repr=str(organisation),
        action_flag=CHANGE,
    )
    account_delete(user=namesake)
    about_org.refresh_from_db()
    about_theirs.refresh_from_db()
    assert about_org.object_repr == "Vaasan Setlementti ry"
    assert about_theirs.object_repr == f"{BYSTANDER_NAME} – Vaasan Setlementti ry"
    about_own.refresh_from_db()
    assert about_own.object_repr == "–"
    assert not LogEntry.objects.filter(pk__in=[about_account.pk, made_by_them.pk]).exists()


def test_deleting_signs_out_everywhere_and_the_person_cannot_sign_in(client, world):
    other_browser = type(client)()
    other_browser.force_login(world.leaver)
    assert other_browser.get(reverse("accounts:profile")).status_code == 200

    response = _confirm(client, world.leaver)
    assert response.status_code == 302
    home = client.get(response["Location"])
    assert "Your account was deleted." in home.content.decode()
    assert not home.wsgi_request.user.is_authenticated
    # The other session names an account that no longer exists: it is signed out.
    assert other_browser.get(reverse("accounts:profile")).status_code == 302
    assert not client.login(email=LEAVER_EMAIL, password=PASSWORD)
    login = client.post(reverse("account_login"), {"login": LEAVER_EMAIL, "password": PASSWORD})
    assert login.status_code == 200 and not login.wsgi_request.user.is_authenticated


def test_the_seat_of_an_upcoming_meeting_goes_to_the_waiting_list(client, world, django_capture_on_commit_callbacks):
    upcoming = world.upcoming_meeting
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=world.leaver)
    rsvp = Rsvp.objects.get(meeting=upcoming)
    assert rsvp.invitation.user == world.bystander
    assert not rsvp.waitlisted


def test_anonymised_invitations_are_never_sent_again(client, world, coordinator, django_capture_on_commit_callbacks):
    meeting = world.past_meetings[0]
    account_delete(user=world.leaver)
    anonymised = list(Invitation.objects.filter(meeting=meeting, anonymised_at__isnull=False))
    assert len(anonymised) == 2
    # A coordinator corrects the address of the (not yet closed) meeting: an update to everyone else.
    with django_capture_on_commit_callbacks(execute=False):
        meeting_update(actor=coordinator, meeting=meeting, data={"address": "Uusi osoite 2, Vaasa"})
    for invitation in anonymised:
        invitation.refresh_from_db()
        assert invitation.delivery_status == OutboxStatus.SENT
    assert Invitation.objects.filter(meeting=meeting, delivery_status=OutboxStatus.QUEUED).count() == 2
    # Even if one were queued, the sender skips it.
    Invitation.objects.filter(pk=anonymised[0].pk).update(delivery_status=OutboxStatus.QUEUED)
    result = deliver("meetings.invitation", [anonymised[0].pk])
    assert (result.sent, result.skipped) == (0, 1)
    # The secretary's attendance list counts her among the kept rows and does not list the row.
    rows, _choices, anonymous_count = attendance_rows(meeting)
    assert anonymous_count == 1
    assert all(row.invitation.anonymised_at is None for row in rows)
    # Her old one-click links no longer open the invitation.
    token = rsvp_token(anonymised[0], answer=RsvpResponse.NOT_ATTENDING)
    assert client.get(reverse("meetings:rsvp_link", args=[token])).status_code == 400


def test_the_coordinator_sees_a_deleted_account_in_the_registrations(client, world, coordinator):
    meeting = world.past_meetings[0]
    account_delete(user=world.leaver)
    client.force_login(coordinator)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Deleted account" in page
    assert "anonymised.invalid" not in page
    assert LEAVER_NAME not in page


def test_the_last_administrator_cannot_delete_themselves(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("account_delete")).content.decode()
    assert "You are the only administrator." in page
    assert 'name="confirmation"' not in page
    response = client.post(reverse("account_delete"), {"confirmation": PASSWORD})
    assert response.status_code == 400
    assert User.objects.filter(pk=admin_user.pk).exists()
    with pytest.raises(ValidationError) as error:
        account_delete(user=admin_user)
    assert "only administrator" in str(error.value)
    # With a second administrator, the first may go.
    UserFactory(email="toinen.admin@example.org", is_staff=True, is_superuser=True)
    assert account_delete_check(admin_user).allowed
    assert client.post(reverse("account_delete"), {"confirmation": PASSWORD}).status_code == 302
    assert not User.objects.filter(pk=admin_user.pk).exists()


def test_a_table_owner_must_hand_the_table_over_first(client, world):
    """When the table's county has no other coordinator to take it over (else see test_owner_hand_over.py)."""
    from organisations.models import AreaCoordinator

    AreaCoordinator.objects.filter(welfare_area=world.table.welfare_area).delete()
    owner = world.table.owner
    client.force_login(owner)
    page = client.get(reverse("account_delete")).content.decode()
    assert "You own the operating model of the partnership table" in page
    assert world.table.name in page
    assert client.post(reverse("account_delete"), {"confirmation": PASSWORD}).status_code == 400
    assert User.objects.filter(pk=owner.pk).exists()


def test_deleting_needs_sign_in(client):
    response = client.get(reverse("account_delete"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Privacy notice --------------------------------------------------------------------------


def test_privacy_notice_names_the_controller_retention_rights_and_authority(client, settings):
    settings.PRIVACY_CONTROLLER = "Pohjanmaan hyvinvointialue"
    settings.PRIVACY_CONTACT_EMAIL = "tietosuoja@example.org"
    settings.OUTBOX_RETENTION_DAYS = 90
    page = client.get(reverse("privacy")).content.decode()
    assert "Pohjanmaan hyvinvointialue" in page
    assert "mailto:tietosuoja@example.org" in page
    assert "90 days after they were sent" in page
    assert "Office of the Data Protection Ombudsman" in page
    assert "Right to erasure" in page


def test_privacy_notice_without_settings_has_a_generic_controller(client, world):
    page = client.get(reverse("privacy")).content.decode()
    assert "The controller is the wellbeing services county that runs this Kumppanuus service" in page
    assert "180 days" in page
    assert reverse("personal_data") not in page  # the link is for signed-in people
    client.force_login(world.leaver)
    assert reverse("personal_data") in client.get(reverse("privacy")).content.decode()


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_privacy_notice_is_served_in_every_language(client, settings, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


def test_deleting_a_person_in_the_admin_anonymises_the_same_way(client, world):
    before = _counts(world)
    admin = User.objects.get(email="paakayttaja@example.org")
    client.force_login(admin)
    url = reverse("admin:accounts_user_delete", args=[world.leaver.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not User.objects.filter(pk=world.leaver.pk).exists()
    assert _counts(world) == before
    assert Invitation.objects.filter(anonymised_at__isnull=False).count() == 4
    assert not Invitation.objects.filter(email=LEAVER_EMAIL).exists()


def test_the_admin_cannot_delete_the_last_administrator(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:accounts_user_delete", args=[admin_user.pk])).status_code == 403
    assert User.objects.filter(pk=admin_user.pk).exists()


def test_the_admin_log_names_inline_rows_by_key_so_deletion_leaves_no_name(client, world, organisation):
    """Adding a person to an organisation in its admin page logs an entry about the organisation;
    the inline membership is named there by its key, not as "person – organisation"."""
    admin = User.objects.get(email="paakayttaja@example.org")
    client.force_login(admin)
    newcomer = UserFactory(email="uusi.jasen@example.org", full_name="Uuno Uusijäsen")
    existing = list(Membership.objects.filter(organisation=organisation).order_by("pk"))
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "welfare_area": organisation.welfare_area_id,
        "eligibility": organisation.eligibility,
        "municipalities": [m.pk for m in organisation.municipalities.all()],
        "memberships-TOTAL_FORMS": len(existing) + 1,
        "memberships-INITIAL_FORMS": len(existing),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    for number, membership in enumerate(existing):
        prefix = f"memberships-{number}-"
        data |= {
            f"{prefix}id": membership.pk,
            f"{prefix}organisation": organisation.pk,
            f"{prefix}user": membership.user_id,
            f"{prefix}role": membership.role,
            f"{prefix}status": membership.status,
        }
    prefix = f"memberships-{len(existing)}-"
    data |= {
        f"{prefix}organisation": organisation.pk,
        f"{prefix}user": newcomer.pk,
        f"{prefix}role": MembershipRole.MEMBER,
        f"{prefix}status": MembershipStatus.APPROVED,
    }
    response = client.post(reverse("admin:organisations_organisation_change", args=[organisation.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    added = Membership.objects.get(user=newcomer)
    entry = LogEntry.objects.filter(object_id=str(organisation.pk)).latest("pk")
    assert "Uuno" not in entry.change_message
    assert f"#{added.pk}" in entry.get_change_message()
    account_delete(user=newcomer)
    assert not LogEntry.objects.filter(change_message__icontains="Uuno").exists()
