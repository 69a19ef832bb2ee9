# ruff: noqa: F811  (the fixtures people and table come from the journeys of issue 5, by import)
"""Journey of issue 12: an action item followed from meeting to meeting, in Finnish.

A coordinator records an action item in the minutes of a held meeting; the item appears on the next
meeting's page (its agenda's "Open actions" section and its calendar file); in that meeting's minutes
she carries it on with a note; at a third meeting she marks it done; the table's action list shows it
done. The ORM only arranges the starting data (the people, the table, three meetings that took
place); every step of the journey goes through the browser, and every page is checked with axe-core.
The minutes form is checked at a phone's width too (no sideways scrolling at 320 px).
"""

import datetime

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import field, t
from e2e.test_journeys_tables_meetings import (  # noqa: F401  (people and table are fixtures)
    FI,
    _check,
    _heading,
    _in_days,
    _said,
    _signed_in_page,
    people,
    table,
)

WHAT = "Kokoaa jäsenjärjestöjen kevään koulutukset yhteiseen kalenteriin"
NOTE = "Kalenteri on puolivalmis: kaksi järjestöä ei ole vielä vastannut."


@pytest.fixture
def meetings(table, people):
    """Three meetings of the table that took place 20 days, 10 days and 1 day ago (not closed yet)."""
    from meetings.models import MeetingFormat, MeetingStatus
    from meetings.tests.factories import AgendaItemFactory, MeetingFactory

    result = []
    for days, title in ((20, "Syksyn kumppanuuspöytä"), (10, "Talven kumppanuuspöytä"), (1, "Kevään kumppanuuspöytä")):
        starts = _in_days(-days, 13)
        meeting = MeetingFactory(
            table=table, title=title, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
            format=MeetingFormat.IN_PERSON, status=MeetingStatus.SCHEDULED,
            scheduled_at=starts - datetime.timedelta(days=21), chair=people.mental_health,
            created_by=people.coordinator,
        )
        AgendaItemFactory(meeting=meeting, title="Kuulumiset jäsenjärjestöistä", position=1)
        result.append(meeting)
    return result


def _fits_a_phone(page, name: str) -> None:
    """At 320 CSS px the page does not scroll sideways (WCAG 2.1 SC 1.4.10)."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{name} scrolls sideways at 320 px: {widths}"
    finally:
        page.set_viewport_size(size)


def _open_meeting(page, partnership_table, meeting) -> None:
    """From the table's list of meetings to the meeting's page, as a person does."""
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name=t(FI, "Partnership tables"), exact=True).click()
    page.get_by_role("main").get_by_role("link", name=partnership_table.name).click()
    page.get_by_role("main").get_by_role(
        "link", name=t(FI, "Meetings of %(name)s", name=partnership_table.name)
    ).click()
    page.get_by_role("main").get_by_role("link", name=meeting.title).click()
    expect(_heading(page)).to_contain_text(meeting.title)


def _write_minutes(page, meeting):
    page.get_by_role("main").get_by_role("region", name=t(FI, "After the meeting")).get_by_role(
        "link", name=t(FI, "Write the minutes")
    ).click()
    expect(_heading(page)).to_have_text(t(FI, "Minutes: %(title)s", title=meeting.title))


def test_journey_an_action_item_is_carried_on_and_then_done(new_context, people, table, meetings):
    from meetings.models import ActionItem, ActionItemFollowUp, ActionItemStatus

    first, second, third = meetings
    due = timezone.localdate() + datetime.timedelta(days=5)

    # --- At the first meeting the coordinator records the action item in the minutes. ---------------
    page = _signed_in_page(new_context, people.coordinator)
    main = page.get_by_role("main")
    _open_meeting(page, table, first)
    _write_minutes(page, first)
    action = main.get_by_role("group", name=t(FI, "Action item %(number)s", number=1), exact=True)
    field(action, t(FI, "What")).fill(WHAT)
    field(action, t(FI, "Responsible organisation")).select_option(label=people.carers.name)
    field(action, t(FI, "Due on")).fill(due.isoformat())
    main.get_by_role("button", name=t(FI, "Save and publish")).click()
    _said(page, t(FI, "The minutes were saved and published."))
    expect(main.get_by_role("region", name=t(FI, "Action items"), exact=True).first).to_contain_text(WHAT)
    _check(page, "actions-minutes-first")

    # --- The next meeting's page lists it under the agenda's "Open actions", and so does its calendar.
    _open_meeting(page, table, second)
    open_actions = main.get_by_role("region", name=t(FI, "Open actions"), exact=True)
    expect(open_actions).to_contain_text(WHAT)
    expect(open_actions).to_contain_text(people.carers.name)
    expect(open_actions).to_contain_text(first.title)
    _check(page, "actions-next-meeting")
    with page.expect_download() as download_info:
        main.get_by_role("link", name=t(FI, "Add to calendar (.ics)")).click()
    (event,) = icalendar.Calendar.from_ical(download_info.value.path().read_bytes()).walk("VEVENT")
    description = str(event["DESCRIPTION"])
    assert t(FI, "Open actions") + ":" in description and WHAT in description

    # --- In the second meeting's minutes she carries it on with a note. -----------------------------
    _write_minutes(page, second)
    section = main.get_by_role("group", name=t(FI, "Open actions from earlier meetings"))
    expect(section).to_contain_text(WHAT)
    _check(page, "actions-minutes-form")
    _fits_a_phone(page, "the minutes form with open actions")
    item_group = section.get_by_role("group").filter(has_text=WHAT).first
    item_group.get_by_label(t(FI, "Carried on"), exact=True).check()
    field(item_group, t(FI, "Follow-up note")).fill(NOTE)
    main.get_by_role("button", name=t(FI, "Save and publish")).click()
    _said(page, t(FI, "The minutes were saved and published."))
    reviewed = main.get_by_role("region", name=t(FI, "Open actions reviewed"))
    expect(reviewed).to_contain_text(WHAT)
    expect(reviewed).to_contain_text(t(FI, "Carried on"))
    expect(reviewed).to_contain_text(NOTE)
    _check(page, "actions-minutes-second")
    item = ActionItem.objects.get(what=WHAT)
    assert item.status == ActionItemStatus.OPEN

    # --- At the third meeting the item is still open, with the note; she marks it done. -------------
    _open_meeting(page, table, third)
    _write_minutes(page, third)
    section = main.get_by_role("group", name=t(FI, "Open actions from earlier meetings"))
    item_group = section.get_by_role("group").filter(has_text=WHAT).first
    expect(item_group).to_contain_text(NOTE)
    item_group.get_by_label(t(FI, "Done"), exact=True).check()
    main.get_by_role("button", name=t(FI, "Save and publish")).click()
    _said(page, t(FI, "The minutes were saved and published."))
    expect(main.get_by_role("region", name=t(FI, "Open actions reviewed"))).to_contain_text(t(FI, "Done"))
    _check(page, "actions-minutes-third")

    # --- The table's action list shows it done. ----------------------------------------------------
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name=t(FI, "Partnership tables"), exact=True).click()
    main.get_by_role("link", name=table.name).click()
    main.get_by_role("link", name=t(FI, "Action items agreed at the meetings")).click()
    expect(_heading(page)).to_have_text(t(FI, "Action items of %(name)s", name=table.name))
    row = main.get_by_role("row").filter(has_text=WHAT)
    expect(row).to_contain_text(t(FI, "Done"))
    expect(row).to_contain_text(first.title)
    _check(page, "actions-table-list")
    field(main, t(FI, "Status")).select_option(label=t(FI, "Done"))
    main.get_by_role("button", name=t(FI, "Filter")).click()
    expect(main.get_by_role("row").filter(has_text=WHAT)).to_have_count(1)
    field(main, t(FI, "Status")).select_option(label=t(FI, "Open"))
    main.get_by_role("button", name=t(FI, "Filter")).click()
    expect(main).to_contain_text(t(FI, "No action items match the filters."))
    _check(page, "actions-table-list-empty")

    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE and item.completed_at is not None
    assert list(
        ActionItemFollowUp.objects.filter(action_item=item).order_by("meeting__starts_at").values_list(
            "meeting_id", "outcome", "note"
        )
    ) == [(second.pk, "carried", NOTE), (third.pk, "done", "")]
