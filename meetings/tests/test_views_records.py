"""The pages after the meeting through the test client: attendance, minutes, closing, my meetings."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.ical import HELSINKI
from meetings.models import (
    ActionItem,
    ActionItemStatus,
    Attendance,
    Decision,
    Meeting,
    MeetingStatus,
    Minutes,
    RsvpResponse,
)
from meetings.tests.factories import ActionItemFactory, PublishedMinutesFactory, in_days, invite

pytestmark = pytest.mark.django_db


def _attendance_data(rows: list[dict]) -> dict:
    data = {
        "attendance-TOTAL_FORMS": str(len(rows)),
        "attendance-INITIAL_FORMS": str(len(rows)),
        "attendance-MIN_NUM_FORMS": "0",
        "attendance-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data[f"attendance-{index}-invitation"] = str(row["invitation"])
        if row.get("attended"):
            data[f"attendance-{index}-attended"] = "on"
        if row.get("online"):
            data[f"attendance-{index}-online"] = "on"
        data[f"attendance-{index}-organisation"] = str(row.get("organisation") or "")
    return data


def _minutes_data(body="", decisions=(), items=(), existing_decisions=0, existing_items=0, publish=False) -> dict:
    data = {
        "body_markdown": body,
        "decisions-TOTAL_FORMS": str(len(decisions)),
        "decisions-INITIAL_FORMS": str(existing_decisions),
        "decisions-MIN_NUM_FORMS": "0",
        "decisions-MAX_NUM_FORMS": "1000",
        "actions-TOTAL_FORMS": str(len(items)),
        "actions-INITIAL_FORMS": str(existing_items),
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
    }
    for index, decision in enumerate(decisions):
        for key, value in decision.items():
            data[f"decisions-{index}-{key}"] = value
    for index, item in enumerate(items):
        data[f"actions-{index}-status"] = "open"
        for key, value in item.items():
            data[f"actions-{index}-{key}"] = value
    data["publish" if publish else "save"] = "1"
    return data


# --- Attendance -----------------------------------------------------------------


def test_attendance_form_is_prefilled_from_the_rsvps(
    client, past_meeting, secretary, representative, member, organisation
):
    in_person = invite(
        past_meeting, representative, organisation=organisation, response=RsvpResponse.ATTENDING_IN_PERSON
    )
    online = invite(past_meeting, member, response=RsvpResponse.ATTENDING_ONLINE)
    declined = invite(
        past_meeting, None, email="vieras@example.org", name="Vieras", response=RsvpResponse.NOT_ATTENDING
    )
    silent = invite(past_meeting, None, email="hiljainen@example.org")

    client.force_login(secretary)
    page = client.get(reverse("meetings:attendance", args=[past_meeting.pk]))
    assert page.status_code == 200
    initial = {form.initial["invitation"]: form.initial for form in page.context["formset"].forms}
    assert initial[in_person.pk]["attended"] and not initial[in_person.pk]["online"]
    assert initial[in_person.pk]["organisation"] == organisation.pk
    assert initial[online.pk]["attended"] and initial[online.pk]["online"]
    # The member's organisation is found from their membership.
    assert initial[online.pk]["organisation"] == organisation.pk
    assert not initial[declined.pk]["attended"] and not initial[silent.pk]["attended"]
    html = page.content.decode()
    assert '<caption id="attendance-caption">' in html and "Vieras" in html
    assert '<label class="form-check-label visually-hidden" for="id_attendance-0-attended">' in html


def test_saving_attendance_through_the_page(client, past_meeting, secretary, representative, member, organisation):
    rep = invite(past_meeting, representative, organisation=organisation, response=RsvpResponse.ATTENDING_IN_PERSON)
    mem = invite(past_meeting, member, response=RsvpResponse.MAYBE)
    client.force_login(secretary)
    response = client.post(
        reverse("meetings:attendance", args=[past_meeting.pk]),
        _attendance_data(
            [
                {"invitation": rep.pk, "attended": True, "organisation": organisation.pk},
                {"invitation": mem.pk, "attended": True, "online": True},
            ]
        ),
    )
    assert response.status_code == 302
    assert response.url == reverse("meetings:detail", args=[past_meeting.pk])
    rows = {row.invitation_id: row for row in Attendance.objects.filter(meeting=past_meeting)}
    assert rows[rep.pk].organisation == organisation and rows[rep.pk].attended and not rows[rep.pk].online
    assert rows[mem.pk].online and rows[mem.pk].organisation is None

    # The page now shows what was recorded rather than the RSVPs.
    page = client.get(reverse("meetings:attendance", args=[past_meeting.pk]))
    initial = {form.initial["invitation"]: form.initial for form in page.context["formset"].forms}
    assert initial[mem.pk]["attended"] and initial[mem.pk]["online"]


@pytest.mark.parametrize("tamper", ["foreign_invitation", "too_many_rows", "unknown_organisation", "not_a_number"])
def test_tampered_attendance_is_refused_and_nothing_is_saved(
    client, past_meeting, secretary, member, public_table, tamper
):
    mine = invite(past_meeting, member)
    other_meeting_invitation = invite(
        Meeting.objects.create(
            table=public_table,
            title="Toinen",
            starts_at=in_days(-3),
            ends_at=in_days(-3) + datetime.timedelta(hours=1),
        ),
        None,
        email="muu@example.org",
    )
    rows = [{"invitation": mine.pk, "attended": True}]
    if tamper == "foreign_invitation":
        rows[0]["invitation"] = other_meeting_invitation.pk
    elif tamper == "too_many_rows":
        rows.append({"invitation": other_meeting_invitation.pk, "attended": True})
    elif tamper == "unknown_organisation":
        rows[0]["organisation"] = 987654
    data = _attendance_data(rows)
    if tamper == "not_a_number":
        data["attendance-0-invitation"] = "abc"
    client.force_login(secretary)
    response = client.post(reverse("meetings:attendance", args=[past_meeting.pk]), data)
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_attendance_page_permissions(
    client,
    past_meeting,
    private_past_meeting,
    secretary,
    coordinator,
    other_coordinator,
    member,
    outsider,
    admin_user,
):
    url = reverse("meetings:attendance", args=[past_meeting.pk])
    private_url = reverse("meetings:attendance", args=[private_past_meeting.pk])
    invite(past_meeting, member)

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("account_login"))
    # The public table's meeting can be seen, so the answer is 403; a private one is 404.
    for person, public_status, private_status in (
        (member, 403, 404),
        (outsider, 403, 404),
        (other_coordinator, 403, 404),
        (secretary, 200, 200),
        (coordinator, 200, 200),
        (admin_user, 200, 200),
    ):
        client.force_login(person)
        assert client.get(url).status_code == public_status, person
        assert client.post(url, _attendance_data([])).status_code in (public_status, 302), person
        assert client.get(private_url).status_code == private_status, person
    assert client.get(reverse("meetings:attendance", args=[999999])).status_code == 404


def test_attendance_and_minutes_can_be_prepared_before_the_meeting_but_not_published(
    client, public_table, public_standing, secretary
):
    upcoming = Meeting.objects.create(
        table=public_table,
        title="Tuleva",
        status=MeetingStatus.SCHEDULED,
        secretary=secretary,
        starts_at=in_days(2),
        ends_at=in_days(2) + datetime.timedelta(hours=2),
    )
    client.force_login(secretary)
    assert client.get(reverse("meetings:attendance", args=[upcoming.pk])).status_code == 200
    assert client.get(reverse("meetings:minutes_edit", args=[upcoming.pk])).status_code == 200
    # Closing ("held") still waits for the meeting to start.
    assert client.get(reverse("meetings:close", args=[upcoming.pk])).status_code == 403
    # A draft has nothing to prepare yet: it may never be sent.
    upcoming.status = MeetingStatus.DRAFT
    upcoming.save()
    assert client.get(reverse("meetings:attendance", args=[upcoming.pk])).status_code == 403


# --- Minutes --------------------------------------------------------------------


def test_writing_and_publishing_minutes(client, past_meeting, secretary, member, organisation, representative):
    invite(past_meeting, member)
    client.force_login(secretary)
    url = reverse("meetings:minutes_edit", args=[past_meeting.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert (member.pk, str(member)) in page.context["action_item_formset"].forms[0].fields["owner_user"].choices
    html = page.content.decode()
    assert "<legend" in html and "Decision 1" in html

    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    response = client.post(
        url,
        _minutes_data(
            body="## Asiat\n\nKeskusteltiin. <script>alert(1)</script>",
            decisions=[
                {"text": "Toinen", "ORDER": "2"},
                {"text": "Ensimmäinen", "ORDER": "1"},
                {"text": "", "ORDER": ""},
            ],
            items=[
                {"what": "Kutsu puhuja", "owner_user": str(member.pk), "due_on": due},
                {"what": "Tiedota", "owner_organisation": str(organisation.pk)},
                {"what": "", "status": "open"},  # an empty extra row is ignored
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response.url == reverse("meetings:minutes", args=[past_meeting.pk])
    minutes = Minutes.objects.get(meeting=past_meeting)
    assert minutes.published_at is None
    assert list(minutes.decisions.values_list("text", flat=True)) == ["Ensimmäinen", "Toinen"]
    assert ActionItem.objects.filter(meeting=past_meeting).count() == 2

    # Not published: the public, and members, do not see it yet.
    client.logout()
    assert client.get(reverse("meetings:minutes", args=[past_meeting.pk])).status_code == 404
    client.force_login(representative)
    assert client.get(reverse("meetings:minutes", args=[past_meeting.pk])).status_code == 404

    client.force_login(secretary)
    items = list(ActionItem.objects.filter(meeting=past_meeting).order_by("pk"))
    response = client.post(
        url,
        _minutes_data(
            body=minutes.body_markdown,
            decisions=[{"text": "Ensimmäinen", "ORDER": "1"}, {"text": "Toinen", "ORDER": "2", "DELETE": "on"}],
            existing_decisions=2,
            items=[
                {
                    "item": str(items[0].pk),
                    "what": "Kutsu puhuja",
                    "owner_user": str(member.pk),
                    "due_on": due,
                    "status": "done",
                },
                {
                    "item": str(items[1].pk),
                    "what": "Tiedota",
                    "owner_organisation": str(organisation.pk),
                    "DELETE": "on",
                },
            ],
            existing_items=2,
            publish=True,
        ),
    )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.published_at is not None
    assert list(minutes.decisions.values_list("text", flat=True)) == ["Ensimmäinen"]
    [item] = ActionItem.objects.filter(meeting=past_meeting)
    assert item.pk == items[0].pk and item.status == ActionItemStatus.DONE

    # Published: anyone may read the minutes of a public table; the script is gone.
    client.logout()
    page = client.get(reverse("meetings:minutes", args=[past_meeting.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h4>Asiat</h4>" in html and "<script>alert" not in html
    assert "Ensimmäinen" in html and "Kutsu puhuja" in html
    # The public is not told who the responsible person is; the secretary's pages are.
    assert str(member) not in html


def _count_everything():
    return Minutes.objects.count(), Decision.objects.count(), ActionItem.objects.count()


@pytest.mark.parametrize(
    "case",
    [
        "bad_due_date",
        "due_before_meeting",
        "long_body",
        "long_decision",
        "long_action",
        "no_owner",
        "foreign_item",
        "bad_person",
    ],
)
def test_bad_minutes_input_is_refused_with_nothing_saved(client, past_meeting, secretary, member, case):
    invite(past_meeting, member)
    item = {"what": "Tee jotain", "owner_user": str(member.pk)}
    decisions = [{"text": "Päätös", "ORDER": "1"}]
    body = "Teksti"
    if case == "bad_due_date":
        item["due_on"] = "2026-13-45"
    elif case == "due_before_meeting":
        item["due_on"] = (past_meeting.starts_at.astimezone(HELSINKI).date() - datetime.timedelta(days=2)).isoformat()
    elif case == "long_body":
        body = "x" * 100001
    elif case == "long_decision":
        decisions[0]["text"] = "x" * 4001
    elif case == "long_action":
        item["what"] = "x" * 2001
    elif case == "no_owner":
        item.pop("owner_user")
    elif case == "foreign_item":
        item["item"] = str(ActionItemFactory().pk)
    elif case == "bad_person":
        item["owner_user"] = "999999"
    before = _count_everything()
    client.force_login(secretary)
    response = client.post(
        reverse("meetings:minutes_edit", args=[past_meeting.pk]),
        _minutes_data(body=body, decisions=decisions, items=[item], publish=True),
    )
    assert response.status_code == 400
    assert _count_everything() == before
    html = response.content.decode()
    assert "Nothing was saved" in html or "invalid-feedback" in html


def test_minutes_edit_permissions(
    client, past_meeting, private_past_meeting, secretary, coordinator, other_coordinator, member, outsider
):
    url = reverse("meetings:minutes_edit", args=[past_meeting.pk])
    assert client.get(url).status_code == 302
    for person, status in (
        (member, 403),
        (outsider, 403),
        (other_coordinator, 403),
        (secretary, 200),
        (coordinator, 200),
    ):
        client.force_login(person)
        assert client.get(url).status_code == status
        assert client.get(reverse("meetings:minutes_edit", args=[private_past_meeting.pk])).status_code in (status, 404)
    client.force_login(outsider)
    assert client.get(reverse("meetings:minutes_edit", args=[private_past_meeting.pk])).status_code == 404
    assert not Minutes.objects.exists()


def test_published_minutes_of_a_private_table(client, private_past_meeting, outsider, coordinator):
    PublishedMinutesFactory(meeting=private_past_meeting, body_markdown="Salainen")
    url = reverse("meetings:minutes", args=[private_past_meeting.pk])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert "Salainen" in client.get(url).content.decode()


def test_table_minutes_list(client, past_meeting, private_past_meeting, outsider):
    PublishedMinutesFactory(meeting=past_meeting)
    page = client.get(reverse("meetings:table_minutes", args=[past_meeting.table_id]))
    assert page.status_code == 200
    assert [m.meeting for m in page.context["page"].object_list] == [past_meeting]
    client.force_login(outsider)
    assert client.get(reverse("meetings:table_minutes", args=[private_past_meeting.table_id])).status_code == 404


# --- Closing --------------------------------------------------------------------


def test_closing_through_the_page_creates_the_next_draft(client, past_meeting, coordinator):
    client.force_login(coordinator)
    url = reverse("meetings:close", args=[past_meeting.pk])
    assert client.get(url).status_code == 200
    day = timezone.localdate() + datetime.timedelta(days=45)
    response = client.post(url, {"next_date": day.isoformat(), "next_time": "13:30"})
    assert response.status_code == 302
    next_meeting = Meeting.objects.get(table=past_meeting.table, status=MeetingStatus.DRAFT)
    assert response.url == reverse("meetings:detail", args=[next_meeting.pk])
    local = next_meeting.starts_at.astimezone(HELSINKI)
    assert (local.date(), local.hour, local.minute) == (day, 13, 30)
    past_meeting.refresh_from_db()
    assert past_meeting.status == MeetingStatus.HELD
    # Closed: the page is no longer offered.
    assert client.get(url).status_code == 403


def test_the_secretary_closes_and_returns_to_the_meeting(client, past_meeting, secretary):
    client.force_login(secretary)
    day = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        reverse("meetings:close", args=[past_meeting.pk]), {"next_date": day.isoformat(), "next_time": "09:00"}
    )
    # The draft is for the coordinators; the secretary goes back to the meeting just closed.
    assert response.url == reverse("meetings:detail", args=[past_meeting.pk])
    assert Meeting.objects.filter(status=MeetingStatus.DRAFT).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"next_date": "2020-01-01", "next_time": "13:00"},
        {"next_date": "yesterday", "next_time": "13:00"},
        {"next_date": "2030-02-30", "next_time": "13:00"},
        {"next_date": "2030-02-01", "next_time": "25:99"},
        {"next_date": "", "next_time": ""},
        {"next_date": "9999-12-31", "next_time": "23:59"},
    ],
)
def test_closing_with_a_bad_next_date_changes_nothing(client, past_meeting, coordinator, data):
    client.force_login(coordinator)
    response = client.post(reverse("meetings:close", args=[past_meeting.pk]), data)
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    past_meeting.refresh_from_db()
    assert past_meeting.status == MeetingStatus.SCHEDULED
    assert Meeting.objects.count() == 1


def test_past_next_date_message(client, past_meeting, coordinator):
    client.force_login(coordinator)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("meetings:close", args=[past_meeting.pk]), {"next_date": yesterday, "next_time": "12:00"}
    )
    assert "The next meeting cannot be in the past." in response.content.decode()


def test_close_permissions(client, past_meeting, private_past_meeting, member, outsider, other_coordinator):
    url = reverse("meetings:close", args=[past_meeting.pk])
    data = {"next_date": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(), "next_time": "10:00"}
    anonymous = client.post(url, data)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("account_login"))
    for person in (member, outsider, other_coordinator):
        client.force_login(person)
        assert client.post(url, data).status_code == 403
        assert client.post(reverse("meetings:close", args=[private_past_meeting.pk]), data).status_code == 404
    assert Meeting.objects.filter(status=MeetingStatus.DRAFT).count() == 0


# --- My meetings and action items -----------------------------------------------


def test_my_meetings_page(client, past_meeting, public_table, member, organisation, representative, outsider):
    upcoming = Meeting.objects.create(
        table=public_table,
        title="Syksyn kokous",
        status=MeetingStatus.SCHEDULED,
        starts_at=in_days(10),
        ends_at=in_days(10) + datetime.timedelta(hours=2),
    )
    invite(upcoming, member, response=RsvpResponse.ATTENDING_ONLINE)
    invite(past_meeting, member)
    PublishedMinutesFactory(meeting=past_meeting)
    not_invited = Meeting.objects.create(
        table=public_table,
        title="Ei kutsua",
        status=MeetingStatus.SCHEDULED,
        starts_at=in_days(5),
        ends_at=in_days(5) + datetime.timedelta(hours=2),
    )
    own = ActionItemFactory(meeting=past_meeting, owner_user=member, what="Oma tehtävä")
    of_my_organisation = ActionItemFactory(
        meeting=past_meeting, owner_user=None, owner_organisation=organisation, what="Yhdistyksen tehtävä"
    )
    ActionItemFactory(meeting=past_meeting, owner_user=representative, what="Toisen tehtävä")
    ActionItemFactory(meeting=past_meeting, owner_user=member, what="Valmis jo", status=ActionItemStatus.DONE)

    assert client.get(reverse("meetings:mine")).status_code == 302
    client.force_login(member)
    page = client.get(reverse("meetings:mine"))
    assert page.status_code == 200
    assert [i.meeting for i in page.context["upcoming_invitations"]] == [upcoming]
    assert [i.meeting for i in page.context["past_invitations"]] == [past_meeting]
    assert set(page.context["my_action_items"]) == {own, of_my_organisation}
    html = page.content.decode()
    assert "Attending online" in html
    assert reverse("meetings:minutes", args=[past_meeting.pk]) in html
    assert not_invited.title not in html and "Toisen tehtävä" not in html
    assert member.calendar_token in html

    # Marking done from the dashboard.
    response = client.post(reverse("meetings:action_item_status", args=[own.pk]), {"status": "done"})
    assert response.status_code == 302 and response.url == reverse("meetings:mine")
    own.refresh_from_db()
    assert own.status == ActionItemStatus.DONE
    assert own not in client.get(reverse("meetings:mine")).context["my_action_items"]

    # Someone else's action item: not found, unchanged.
    client.force_login(outsider)
    assert (
        client.post(
            reverse("meetings:action_item_status", args=[of_my_organisation.pk]), {"status": "done"}
        ).status_code
        == 404
    )
    client.force_login(member)
    assert client.get(reverse("meetings:action_item_status", args=[of_my_organisation.pk])).status_code == 405
    response = client.post(reverse("meetings:action_item_status", args=[of_my_organisation.pk]), {"status": "lost"})
    assert response.status_code == 302
    of_my_organisation.refresh_from_db()
    assert of_my_organisation.status == ActionItemStatus.OPEN


def test_meeting_records_context_offers_the_right_links(rf, past_meeting, secretary, member):
    from meetings.selectors import meeting_records_context

    assert meeting_records_context(past_meeting, secretary) == {
        "records_can_record_attendance": True,
        "records_can_record_minutes": True,
        "records_can_close": True,
        "records_can_view_minutes": False,
    }
    PublishedMinutesFactory(meeting=past_meeting)
    past_meeting.refresh_from_db()
    context = meeting_records_context(past_meeting, member)
    assert context["records_can_view_minutes"] and not context["records_can_record_minutes"]


def test_table_minutes_context_for_the_table_page(past_meeting, public_table, coordinator, member):
    from django.template.loader import render_to_string

    from meetings.selectors import table_minutes_context

    PublishedMinutesFactory(meeting=past_meeting)
    scheduled = Meeting.objects.create(
        table=public_table,
        title="Tuleva",
        status=MeetingStatus.SCHEDULED,
        format="online",
        online_link="https://meet.example.org/hidden",
        starts_at=in_days(7),
        ends_at=in_days(7) + datetime.timedelta(hours=1),
    )
    cancelled = Meeting.objects.create(
        table=public_table,
        title="Peruttu",
        status=MeetingStatus.CANCELLED,
        starts_at=in_days(8),
        ends_at=in_days(8) + datetime.timedelta(hours=1),
    )
    draft = Meeting.objects.create(
        table=public_table,
        title="Luonnos",
        status=MeetingStatus.DRAFT,
        starts_at=in_days(9),
        ends_at=in_days(9) + datetime.timedelta(hours=1),
    )
    context = table_minutes_context(public_table, member)
    assert context["upcoming_meetings"] == [scheduled, cancelled]
    assert [m.meeting for m in context["published_minutes"]] == [past_meeting]
    html = render_to_string("meetings/includes/table_meetings.html", context)
    assert "Cancelled" in html and "<del>Peruttu</del>" in html
    assert "meet.example.org" not in html
    assert reverse("meetings:feed_table", args=[public_table.pk]) in html
    assert draft in table_minutes_context(public_table, coordinator)["upcoming_meetings"]


@pytest.mark.parametrize("name", ["attendance", "minutes_edit", "close"])
def test_an_empty_or_garbled_post_is_refused_not_an_error(client, past_meeting, secretary, member, name):
    invite(past_meeting, member)
    client.force_login(secretary)
    url = reverse(f"meetings:{name}", args=[past_meeting.pk])
    for data in ({}, {"attendance-TOTAL_FORMS": "x", "decisions-TOTAL_FORMS": "-1", "actions-TOTAL_FORMS": "99999"}):
        assert client.post(url, data).status_code == 400
    assert not Attendance.objects.exists() and not Minutes.objects.exists()
    assert Meeting.objects.count() == 1
