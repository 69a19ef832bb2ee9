"""Messages to a table's people and the table's contact list: who receives a message, the e-mail
each gets, the archive, and who may read, write and export what."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from organisations.models import MembershipStatus
from organisations.tests.factories import MembershipFactory, OrganisationFactory
from outbox.models import Notification, OutboxStatus
from tables.models import MessageAudience, StandingMemberStatus, TableMessage
from tables.selectors import table_message_reach, table_message_recipients
from tables.services import TABLE_MESSAGE, table_message_send
from tables.tests.factories import (
    PartnershipTableFactory,
    RoleAssignmentFactory,
    StandingMemberFactory,
    TableMessageFactory,
    role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(table):
    """A role holder who is in no standing organisation."""
    person = UserFactory(email="secretary@example.org", full_name="Sanna Sihteeri", language="sv")
    RoleAssignmentFactory(table=table, role=role("secretary"), user=person)
    return person


@pytest.fixture
def organisation_member(organisation):
    """An approved member of the standing organisation who holds no seat or role."""
    return MembershipFactory(organisation=organisation, user__email="ordinary@example.org").user


def send(actor, table, **fields):
    values = {"subject_fi": "Syyskokous", "body_fi": "Tervetuloa syyskokoukseen.", **fields}
    return table_message_send(actor=actor, table=table, **values)


def emails(people) -> list[str]:
    return sorted(person.email for person in people)


# --- Who receives a message ----------------------------------------------------------------------


def test_a_message_goes_to_representatives_substitutes_and_role_holders(
    table, standing_member, secretary, organisation_member, representative, member
):
    people = table_message_recipients(table, audience=MessageAudience.TABLE_PEOPLE)
    assert emails(people) == emails([representative, member, secretary])


def test_with_the_checkbox_it_goes_to_every_approved_member_of_the_standing_organisations(
    table, standing_member, secretary, organisation_member, representative, member, outsider
):
    MembershipFactory(organisation=standing_member.organisation, status=MembershipStatus.PENDING,
                      user__email="pending@example.org")
    ended = StandingMemberFactory(table=table, status=StandingMemberStatus.ENDED)
    MembershipFactory(organisation=ended.organisation, user__email="ended-org@example.org")
    people = table_message_recipients(table, audience=MessageAudience.ORGANISATIONS)
    assert emails(people) == emails([representative, member, secretary, organisation_member])


def test_each_person_is_counted_once_and_people_who_left_are_not_written_to(
    table, standing_member, representative, member
):
    # The representative also chairs the table and sits for a second organisation.
    RoleAssignmentFactory(table=table, role=role("chair"), user=representative)
    second = StandingMemberFactory(table=table, representative=representative)
    MembershipFactory(organisation=second.organisation, user=representative)
    # A substitute who has left their organisation no longer speaks for it; an ended role is over.
    StandingMemberFactory(table=table, substitute=UserFactory(email="left@example.org"))
    RoleAssignmentFactory(table=table, user=UserFactory(email="former@example.org"),
                          valid_to=timezone.localdate() - datetime.timedelta(days=1))
    UserFactory(email="inactive@example.org", is_active=False)
    people = list(table_message_recipients(table, audience=MessageAudience.TABLE_PEOPLE))
    assert emails(people) == emails([representative, member])


def test_people_who_turned_table_messages_off_are_left_out_and_counted_apart(
    table, standing_member, secretary, member
):
    member.notification_rhythms = {TABLE_MESSAGE: "off"}
    member.save()
    assert member not in table_message_recipients(table, audience=MessageAudience.TABLE_PEOPLE)
    reach = table_message_reach(table, audience=MessageAudience.TABLE_PEOPLE)
    assert (reach.recipients, reach.opted_out) == (2, 1)


# --- Sending ---------------------------------------------------------------------------------------


def test_sending_keeps_the_message_and_mails_each_person_once_in_their_language(
    table, standing_member, secretary, coordinator, representative, member, django_capture_on_commit_callbacks
):
    RoleAssignmentFactory(table=table, role=role("chair"), user=representative)  # two roles, one e-mail
    member.language = "en"
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        message = send(coordinator, table, subject_sv="Höstmöte", body_sv="Välkommen till höstmötet.",
                       body_fi="Tervetuloa <syyskokoukseen> & kahville.")

    assert (message.author, message.recipient_count, message.audience) == (coordinator, 3, "table")
    assert sorted(message.to[0] for message in mail.outbox) == emails([representative, member, secretary])
    by_address = {sent.to[0]: sent for sent in mail.outbox}
    finnish, swedish, english = (by_address[p.email] for p in (representative, secretary, member))
    # The chrome in the recipient's language; the text as written, in Swedish when there is a Swedish version.
    assert finnish.subject.endswith(f"{table.name_fi}: Syyskokous")
    assert "Tervetuloa <syyskokoukseen> & kahville." in finnish.body
    assert "Hei" in finnish.body
    assert swedish.subject.endswith("Höstmöte") and "Välkommen till höstmötet." in swedish.body
    assert "Hej" in swedish.body
    assert "Syyskokous" in english.subject and "Hello" in english.body  # no English version: the Finnish one
    html = finnish.alternatives[0][0]
    assert "Tervetuloa &lt;syyskokoukseen&gt; &amp; kahville." in html and 'lang="fi"' in html
    assert reverse("tables:message_detail", args=[message.pk]) in finnish.body
    assert reverse("accounts:profile") in finnish.body
    assert set(Notification.objects.filter(kind=TABLE_MESSAGE).values_list("delivery_status", flat=True)) == {
        OutboxStatus.SENT
    }


def test_a_person_who_turns_messages_off_before_it_goes_out_gets_nothing(
    table, standing_member, coordinator, member, representative, django_capture_on_commit_callbacks
):
    message = send(coordinator, table)  # queued; the worker has not run yet
    member.notification_rhythms = {TABLE_MESSAGE: "off"}
    member.save()
    from outbox.engine import deliver

    ids = list(Notification.objects.filter(kind=TABLE_MESSAGE, object_id=message.pk).values_list("pk", flat=True))
    result = deliver("outbox.notification", ids)
    assert (result.sent, result.skipped) == (1, 1)
    assert [sent.to for sent in mail.outbox] == [[representative.email]]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"subject_fi": "  "}, {"subject_fi"}),
        ({"body_fi": ""}, {"body_fi"}),
        ({"subject_fi": "", "body_fi": "\n"}, {"subject_fi", "body_fi"}),
        ({"subject_sv": "Höstmöte"}, {"body_sv"}),
        ({"body_sv": "Välkommen."}, {"subject_sv"}),
        ({"subject_fi": "x" * 201}, {"subject_fi"}),
        ({"audience": "everyone"}, {"audience"}),
    ],
)
def test_incomplete_messages_are_refused_field_by_field_and_nothing_is_saved(
    table, standing_member, coordinator, fields, errors
):
    with pytest.raises(ValidationError) as caught:
        send(coordinator, table, **fields)
    assert set(caught.value.message_dict) == errors
    assert not TableMessage.objects.exists() and not Notification.objects.exists()


def test_only_the_tables_coordinators_may_send(table, standing_member, representative, other_coordinator):
    for person in (representative, other_coordinator):
        with pytest.raises(PermissionDenied):
            send(person, table)
    assert not TableMessage.objects.exists()


def test_a_message_no_one_would_receive_is_refused(table, coordinator):
    with pytest.raises(ValidationError):
        send(coordinator, table)
    assert not TableMessage.objects.exists() and not Notification.objects.exists()


# --- The pages -----------------------------------------------------------------------------------


def test_coordinator_writes_previews_and_sends(
    client, table, standing_member, secretary, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    url = reverse("tables:message_compose", args=[table.pk])
    assert client.get(url).status_code == 200
    data = {"subject_fi": "Syyskokous", "body_fi": "Tervetuloa.", "include_organisation_members": "on"}

    preview = client.post(url, {**data, "preview": "1"})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "3" in text and 'name="send"' in text and 'name="subject_fi"' in text
    assert not TableMessage.objects.exists()

    edit = client.post(url, {**data, "edit": "1"})
    assert edit.status_code == 200 and 'value="Syyskokous"' in edit.content.decode()
    assert not TableMessage.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {**data, "send": "1"})
    message = TableMessage.objects.get()
    assert sent.status_code == 302 and sent["Location"] == reverse("tables:message_detail", args=[message.pk])
    assert message.audience == MessageAudience.ORGANISATIONS
    assert len(mail.outbox) == 3


def test_the_form_shows_errors_next_to_the_fields(client, table, standing_member, coordinator):
    client.force_login(coordinator)
    url = reverse("tables:message_compose", args=[table.pk])
    response = client.post(url, {"subject_fi": "", "body_fi": "", "subject_sv": "Hej", "send": "1"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"subject_fi", "body_fi"}
    response = client.post(url, {"subject_fi": "A", "body_fi": "B", "subject_sv": "Hej", "send": "1"})
    assert response.status_code == 400 and set(response.context["form"].errors) == {"body_sv"}
    assert not TableMessage.objects.exists()


def test_members_read_the_archive_and_the_message_as_text(client, table, standing_member, member):
    TableMessageFactory(table=table, subject_fi="<script>alert(1)</script>", body_fi="Rivi 1\n<b>Rivi 2</b>")
    message = TableMessage.objects.get()
    client.force_login(member)
    archive = client.get(reverse("tables:messages", args=[table.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in archive and "<script>alert" not in archive
    page = client.get(reverse("tables:message_detail", args=[message.pk])).content.decode()
    assert "&lt;b&gt;Rivi 2&lt;/b&gt;" in page and "<b>Rivi 2" not in page
    table_page = client.get(reverse("tables:detail", args=[table.pk])).content.decode()
    assert reverse("tables:message_detail", args=[message.pk]) in table_page
    # The member may read, not write.
    assert reverse("tables:message_compose", args=[table.pk]) not in archive
    assert client.get(reverse("tables:message_compose", args=[table.pk])).status_code == 403


def test_a_member_never_sees_another_tables_messages_or_contacts(client, table, standing_member, member, sector):
    other_public = PartnershipTableFactory(sector=sector)
    other_private = PartnershipTableFactory(sector=sector, is_public=False)
    StandingMemberFactory(table=other_private, organisation=OrganisationFactory(welfare_area=sector.welfare_area))
    client.force_login(member)
    for other, expected in ((other_public, 403), (other_private, 404)):
        message = TableMessageFactory(table=other, subject_fi="Salainen aihe")
        assert client.get(reverse("tables:messages", args=[other.pk])).status_code == expected
        assert client.get(reverse("tables:message_detail", args=[message.pk])).status_code == expected
        assert client.get(reverse("tables:contacts_export", args=[other.pk])).status_code == expected
        assert "Salainen aihe" not in client.get(reverse("tables:detail", args=[other.pk])).content.decode()
    assert client.get(reverse("tables:contacts_export", args=[table.pk])).status_code == 403


def test_a_role_holder_outside_the_organisations_reads_the_private_tables_messages(client, coordinator, sector):
    table = PartnershipTableFactory(sector=sector, is_public=False)
    holder = UserFactory()
    RoleAssignmentFactory(table=table, role=role("experience-expert"), user=holder)
    message = TableMessageFactory(table=table)
    client.force_login(holder)
    assert client.get(reverse("tables:message_detail", args=[message.pk])).status_code == 200
    assert client.get(reverse("tables:messages", args=[table.pk])).status_code == 200


def test_the_contact_list_is_a_guarded_csv_for_the_coordinators(
    client, table, standing_member, secretary, coordinator, representative, member
):
    organisation = standing_member.organisation
    organisation.phone = "+358 40 123 4567"
    organisation.save()
    member.full_name = "=HYPERLINK(\"http://evil.example\")"
    member.save()
    client.force_login(coordinator)
    response = client.get(reverse("tables:contacts_export", args=[table.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows[0]) == 5
    assert rows[1:] == [
        [organisation.name, str(representative), "Edustaja", representative.email, "'+358 40 123 4567"],
        [organisation.name, "'=HYPERLINK(\"http://evil.example\")", "Varajäsen", member.email, "'+358 40 123 4567"],
        ["", str(secretary), role("secretary").name, secretary.email, ""],
    ]


@pytest.mark.parametrize("size", [2, 40])
def test_archive_query_count_does_not_grow(client, table, standing_member, member, size, settings,
                                           django_assert_max_num_queries):
    settings.LIST_PAGE_SIZE = 20
    for _ in range(size):
        TableMessageFactory(table=table)
    client.force_login(member)
    # session + user (2), the table with coordinators, standing members, roles and steps (5), the
    # person's coordinated areas and memberships (2), Django's model permissions (2, asked once when a
    # rule says no), the archive's count and page with the authors (2).
    with django_assert_max_num_queries(13):
        response = client.get(reverse("tables:messages", args=[table.pk]))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(size, 20)


def test_the_notification_settings_have_the_table_messages_switch(client, member):
    client.force_login(member)
    url = reverse("accounts:profile")
    assert 'name="rhythm_tables_table_message"' in client.get(url).content.decode()
    client.post(url, {"full_name": "Maija", "language": "fi", "notify_meeting_reminders": "on",
                      "rhythm_tables_table_message": "off"})
    member.refresh_from_db()
    assert member.notification_rhythms == {TABLE_MESSAGE: "off"}
