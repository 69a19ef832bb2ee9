"""The pages that follow action items between meetings, through the test client: the open items on
the next meeting and its calendar file, the minutes form's review of them, a table's action list,
and reassigning an item whose owner has left. Query bounds at two sizes."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionItemFollowUp, ActionItemStatus, MeetingStatus
from meetings.tests.factories import (
    ActionItemFactory,
    ActionItemFollowUpFactory,
    MeetingFactory,
    PublishedMinutesFactory,
    held_meeting,
    in_days,
    invite,
)
from organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

SIZES = [5, 60]


@pytest.fixture
def earlier(public_table, public_standing, coordinator):
    meeting = held_meeting(
        public_table, days_ago=30, status=MeetingStatus.HELD, created_by=coordinator, title="Syyskokous"
    )
    PublishedMinutesFactory(meeting=meeting)
    return meeting


@pytest.fixture
def next_meeting(public_table, coordinator):
    return MeetingFactory(table=public_table, starts_at=in_days(20), created_by=coordinator, title="Talvikokous")


@pytest.fixture
def item(earlier, member, organisation):
    return ActionItemFactory(
        meeting=earlier, owner_user=member, owner_organisation=organisation, what="Kokoa koulutuskalenteri"
    )


def _minutes_post(page, **overrides) -> dict:
    """The minutes form as the browser would send it back, with ``overrides`` (html name -> value)."""
    data = {}
    context = page.context
    for formset in (context["decision_formset"], context["action_item_formset"], context["follow_up_formset"]):
        for field in formset.management_form:
            data[field.html_name] = field.value()
        for form in formset.forms:
            for field in form:
                value = field.value()
                if value not in (None, "", False):
                    data[field.html_name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    data["body_markdown"] = "Muistio"
    data.update(overrides)
    return data


# --- The next meeting ------------------------------------------------------------------


def test_the_next_meeting_shows_the_open_items_on_its_page_and_in_its_calendar_file(
    client, next_meeting, item, past_meeting, representative
):
    ActionItemFollowUpFactory(action_item=item, meeting=past_meeting, note="Odottaa vastauksia")
    client.force_login(representative)
    page = client.get(reverse("meetings:detail", args=[next_meeting.pk]))
    html = page.content.decode()
    assert 'id="open-actions-heading"' in html
    assert "Kokoa koulutuskalenteri" in html and "Odottaa vastauksia" in html
    assert "Agreed at Syyskokous" in html
    ics = icalendar.Calendar.from_ical(client.get(reverse("meetings:ics", args=[next_meeting.pk])).content)
    [event] = ics.walk("VEVENT")
    description = str(event["DESCRIPTION"])
    assert "Open actions:" in description and "- Kokoa koulutuskalenteri (Vaasan" in description


def test_the_open_actions_section_has_an_empty_state(client, next_meeting, earlier):
    page = client.get(reverse("meetings:detail", args=[next_meeting.pk]))
    assert "No action items are open from earlier meetings." in page.content.decode()


# --- The minutes form --------------------------------------------------------------------


def test_the_minutes_form_carries_an_item_on_and_a_later_meeting_marks_it_done(
    client, past_meeting, public_table, item, secretary, coordinator
):
    client.force_login(secretary)
    url = reverse("meetings:minutes_edit", args=[past_meeting.pk])
    page = client.get(url)
    html = page.content.decode()
    assert "Open actions from earlier meetings" in html and "Kokoa koulutuskalenteri" in html
    new_due = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    response = client.post(
        url,
        _minutes_post(
            page, **{"followups-0-outcome": "carried", "followups-0-note": "Kesken", "followups-0-new_due_on": new_due}
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item.refresh_from_db()
    assert item.status == ActionItemStatus.OPEN and item.due_on.isoformat() == new_due
    minutes_page = client.get(reverse("meetings:minutes", args=[past_meeting.pk])).content.decode()
    assert "Open actions reviewed" in minutes_page and "Kesken" in minutes_page and "Carried on" in minutes_page

    # The form remembers the decision.
    page = client.get(url)
    assert page.context["follow_up_formset"].forms[0].initial["outcome"] == "carried"

    third = held_meeting(public_table, days_ago=0, created_by=coordinator)
    third.starts_at = past_meeting.starts_at + datetime.timedelta(hours=12)
    third.ends_at = third.starts_at + datetime.timedelta(hours=1)
    third.save()
    client.force_login(coordinator)
    url = reverse("meetings:minutes_edit", args=[third.pk])
    page = client.get(url)
    assert "Kesken" in page.content.decode()  # the history of the item
    response = client.post(url, _minutes_post(page, **{"followups-0-outcome": "done"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE
    assert ActionItemFollowUp.objects.filter(action_item=item).count() == 2


def test_an_invalid_follow_up_saves_nothing_and_says_why(client, past_meeting, item, secretary):
    client.force_login(secretary)
    url = reverse("meetings:minutes_edit", args=[past_meeting.pk])
    page = client.get(url)
    response = client.post(
        url,
        _minutes_post(page, **{"decisions-0-text": "Päätös", "followups-0-outcome": "carried"}),
    )
    assert response.status_code == 400
    assert "Write a note on how the item carries on." in response.content.decode()
    assert not hasattr(past_meeting, "minutes") or past_meeting.minutes is None
    assert not ActionItemFollowUp.objects.exists()
    # A tampered item id: the service refuses it, nothing is saved.
    other = ActionItemFactory(meeting=MeetingFactory(table=past_meeting.table, starts_at=in_days(5)))  # a later one
    tampered = {"followups-0-item": str(other.pk), "followups-0-outcome": "done"}
    response = client.post(url, _minutes_post(page, **tampered))
    assert response.status_code == 400
    assert "Open action 1: this action item is no longer open." in response.content.decode()
    assert not ActionItemFollowUp.objects.exists()


# --- A table's action list ------------------------------------------------------------


def test_the_tables_list_with_filters_and_its_empty_states(client, public_table, earlier, item, coordinator, member):
    url = reverse("meetings:table_actions", args=[public_table.pk])
    empty = client.get(url + "?status=done")
    assert "No action items match the filters." in empty.content.decode()
    page = client.get(url)
    html = page.content.decode()
    assert "Kokoa koulutuskalenteri" in html
    assert member.full_name not in html  # the public sees the organisation, not the person
    client.force_login(coordinator)
    html = client.get(url).content.decode()
    assert member.full_name in html
    assert client.get(url + "?status=open&overdue=on").context["page"].paginator.count == 1
    assert client.get(url + "?owner=unassigned").context["page"].paginator.count == 0


def test_an_empty_table_says_where_items_come_from(client, public_table):
    page = client.get(reverse("meetings:table_actions", args=[public_table.pk]))
    assert "No action items have been agreed at this table yet." in page.content.decode()


def test_items_of_unpublished_minutes_are_for_the_coordinators(
    client, public_table, past_meeting, coordinator, representative
):
    ActionItemFactory(meeting=past_meeting, what="Luonnoksen toimenpide")
    url = reverse("meetings:table_actions", args=[public_table.pk])
    client.force_login(representative)
    assert "Luonnoksen toimenpide" not in client.get(url).content.decode()
    client.force_login(coordinator)
    assert "Luonnoksen toimenpide" in client.get(url).content.decode()


def test_a_private_tables_list_is_not_revealed(client, private_records_table, outsider, other_coordinator):
    url = reverse("meetings:table_actions", args=[private_records_table.pk])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    for person in (outsider, other_coordinator):
        client.force_login(person)
        assert client.get(url).status_code == 404


# --- Reassigning ------------------------------------------------------------------------


def test_the_coordinator_reassigns_an_item_whose_owner_left(
    client, earlier, public_table, item, coordinator, member, representative, organisation
):
    member.delete()  # the account was deleted: the item names the organisation only
    orphan = ActionItemFactory(meeting=earlier, owner_user=None, owner_organisation=None, what="Orpo toimenpide")
    client.force_login(coordinator)
    listing = client.get(reverse("meetings:actions_to_reassign")).content.decode()
    assert "Orpo toimenpide" in listing and "Kokoa koulutuskalenteri" not in listing
    table_list = client.get(reverse("meetings:table_actions", args=[public_table.pk]))
    assert reverse("meetings:action_item_reassign", args=[orphan.pk]) in table_list.content.decode()

    url = reverse("meetings:action_item_reassign", args=[orphan.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"owner_email": "nobody@example.org"})
    assert response.status_code == 400
    assert "Nobody has an account with this verified e-mail address." in response.content.decode()
    response = client.post(url, {"owner_email": representative.email, "owner_organisation": str(organisation.pk)})
    assert response.status_code == 302
    orphan.refresh_from_db()
    assert orphan.owner_user == representative and orphan.owner_organisation == organisation
    assert "Nothing to reassign" in client.get(reverse("meetings:actions_to_reassign")).content.decode()


def test_reassigning_is_for_the_tables_coordinators(
    client, item, private_past_meeting, representative, outsider, other_coordinator
):
    url = reverse("meetings:action_item_reassign", args=[item.pk])
    for person in (representative, outsider, other_coordinator):  # the public table: seen, not changed
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert client.post(url, {"owner_email": person.email}).status_code == 403
    private = ActionItemFactory(meeting=private_past_meeting)
    client.force_login(outsider)
    assert client.get(reverse("meetings:action_item_reassign", args=[private.pk])).status_code == 404


# --- Query bounds ---------------------------------------------------------------------


def _items(meeting, count: int, area, *, owner_left: bool = False) -> list:
    items = []
    for index in range(count):
        organisation = OrganisationFactory(welfare_area=area)
        owner = None if owner_left and index % 2 else MembershipFactory(organisation=organisation).user
        items.append(
            ActionItemFactory(
                meeting=meeting, owner_user=owner, owner_organisation=None if owner_left else organisation,
                due_on=timezone.localdate() + datetime.timedelta(days=index - 2),
            )
        )
    return items


@pytest.mark.parametrize("count", SIZES)
def test_the_tables_list_takes_a_fixed_number_of_queries(
    client, public_table, earlier, coordinator, area, django_assert_max_num_queries, count
):
    items = _items(earlier, count, area, owner_left=True)
    ActionItemFollowUpFactory(action_item=items[0], meeting=held_meeting(public_table))
    client.force_login(coordinator)
    url = reverse("meetings:table_actions", args=[public_table.pk])
    # Session, user; the table; coordinated areas (permission, cached); the filters' meetings,
    # organisations and people; one page of items and their count; the navigation (3).
    with django_assert_max_num_queries(12):
        page = client.get(url + "?status=open")
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == min(count, 25)
    client.logout()
    # Anonymous: the table; the filters' meetings and organisations; the page and its count.
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", SIZES)
def test_the_items_to_reassign_and_the_reassign_page_take_a_fixed_number_of_queries(
    client, public_table, earlier, coordinator, area, django_assert_max_num_queries, count
):
    items = _items(earlier, count, area, owner_left=True)
    client.force_login(coordinator)
    # Session, user; coordinated areas; one page of items and their count; the navigation (3).
    with django_assert_max_num_queries(8):
        page = client.get(reverse("meetings:actions_to_reassign"))
    # Half have no owner at all; the others' owners belong to no organisation standing at the table.
    assert page.context["page"].paginator.count == count
    # Session, user; the item with its meeting, table and owners; permission (2); standing
    # organisations; the navigation (3).
    with django_assert_max_num_queries(9):
        assert client.get(reverse("meetings:action_item_reassign", args=[items[1].pk])).status_code == 200


@pytest.mark.parametrize("count", SIZES)
def test_the_next_meeting_and_the_minutes_form_with_open_items_take_a_fixed_number_of_queries(
    client, past_meeting, next_meeting, earlier, coordinator, secretary, representative, area,
    django_assert_max_num_queries, count,
):
    for item in _items(earlier, count, area):
        ActionItemFollowUpFactory(action_item=item, meeting=held_meeting(past_meeting.table, days_ago=10))
    invite(next_meeting, representative)
    client.force_login(representative)
    # As test_views.PAGES' meeting page for a representative (12), and the open items with their history (2).
    with django_assert_max_num_queries(14):
        page = client.get(reverse("meetings:detail", args=[next_meeting.pk]))
    assert len(page.context["open_actions"]) == count
    client.force_login(secretary)
    # As test_page_queries' minutes form (14), and the open items' history (1).
    with django_assert_max_num_queries(15):
        page = client.get(reverse("meetings:minutes_edit", args=[past_meeting.pk]))
    assert len(page.context["follow_up_formset"].forms) == count
