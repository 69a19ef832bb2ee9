"""Journeys 2–5 of issue 5: a partnership table, its meetings, the answers, the minutes and the admin.

One test per journey, clicking and typing as a person does. The ORM only arranges the starting
data (the county, its sector, approved organisations with their members, the coordinator, and for
journeys 3–5 a table and a meeting that exist already); what the journey itself does goes through
the browser, and the database is read afterwards only to check what the pages said. Every page on
the way is checked with axe-core.
"""

import datetime
import importlib
import re
from dataclasses import dataclass

import icalendar
import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from e2e.helpers import field, label, links_in, mail_to, sign_in, t
from e2e.screenshots import save_screenshot

FI = "fi"
HELSINKI = "Europe/Helsinki"


# --- Arranging the starting data -------------------------------------------------------------


@dataclass
class People:
    area: object
    sector: object
    coordinator: object
    director: object
    mental_health: object  # Vaasan Mielenterveysseura ry
    carers: object  # Pohjanmaan Omaiset ry
    maija: object  # representative of mental_health
    pekka: object  # member of mental_health
    liisa: object  # representative of carers
    oskari: object  # member of carers
    sanna: object  # the county's secretary of the table
    eeva: object  # experience expert


@pytest.fixture
def people(live_server):
    """A county with a sector, its coordinator, two approved organisations with members, and the others."""
    from accounts.tests.factories import UserFactory
    from organisations.models import MembershipRole
    from organisations.tests.factories import (
        AreaCoordinatorFactory,
        MembershipFactory,
        MunicipalityFactory,
        OrganisationFactory,
        WelfareAreaFactory,
    )
    from tables.tests.factories import SectorFactory

    _seed_process_roles_and_templates()
    area = WelfareAreaFactory(
        code="PO", name="Pohjanmaan hyvinvointialue", name_sv="Österbottens välfärdsområde",
        short_name="Pohjanmaa", short_name_sv="Österbotten",
    )
    vaasa = MunicipalityFactory(code="905", name="Vaasa", name_sv="Vasa", welfare_area=area)
    # The table's owner is the sector's director: owners are chosen among the county's people.
    director = UserFactory(email="toimialajohtaja@example.org", full_name="Tuula Toimialajohtaja")
    sector = SectorFactory(
        welfare_area=area, name="Psykososiaaliset palvelut", name_fi="Psykososiaaliset palvelut",
        name_sv="Psykosociala tjänster", director=director,
    )
    coordinator = AreaCoordinatorFactory(
        welfare_area=area, user__email="koordinaattori@example.org", user__full_name="Kaisa Koordinaattori",
    ).user

    def organisation(name):
        return OrganisationFactory(
            name=name, welfare_area=area, municipalities=[vaasa],
            description="Vertaistukea ja virkistystä Vaasan seudulla.",
        )

    def member(organisation, email, full_name, role=MembershipRole.MEMBER):
        return MembershipFactory(
            organisation=organisation, role=role, user__email=email, user__full_name=full_name
        ).user

    mental_health = organisation("Vaasan Mielenterveysseura ry")
    carers = organisation("Pohjanmaan Omaiset ry")
    return People(
        area=area, sector=sector, coordinator=coordinator, director=director,
        mental_health=mental_health, carers=carers,
        maija=member(mental_health, "maija@example.org", "Maija Meikäläinen", MembershipRole.REPRESENTATIVE),
        pekka=member(mental_health, "pekka@example.org", "Pekka Puuska"),
        liisa=member(carers, "liisa@example.org", "Liisa Laine", MembershipRole.REPRESENTATIVE),
        oskari=member(carers, "oskari@example.org", "Oskari Omainen"),
        sanna=UserFactory(email="sihteeri@example.org", full_name="Sanna Sihteeri"),
        eeva=UserFactory(email="kokemus@example.org", full_name="Eeva Kokemus"),
    )


def _seed_process_roles_and_templates():
    """The roles, process and evaluation templates that migration 0002 seeds.

    The browser tests are transactional (live_server), and the flush after each of them empties
    the tables the migrations filled; the seed is idempotent, so it is simply run again.
    """
    from django.apps import apps

    importlib.import_module("tables.migrations.0002_default_roles_and_templates").seed(apps, None)


@pytest.fixture
def table(people):
    """A public table of the sector, with both organisations as standing members and its role holders."""
    from tables.models import ProcessRole, RoleSlug
    from tables.tests.factories import PartnershipTableFactory, RoleAssignmentFactory, StandingMemberFactory

    table = PartnershipTableFactory(
        sector=people.sector, owner=people.director, coordinators=[people.coordinator],
        name="Psykososiaalisen toimialan kumppanuuspöytä", name_fi="Psykososiaalisen toimialan kumppanuuspöytä",
        name_sv="Partnerskapsbordet för psykosociala tjänster",
    )
    StandingMemberFactory(
        table=table, organisation=people.mental_health, representative=people.maija, substitute=people.pekka
    )
    StandingMemberFactory(table=table, organisation=people.carers, representative=people.liisa,
                          substitute=people.oskari)
    RoleAssignmentFactory(table=table, role=ProcessRole.objects.get(slug=RoleSlug.SECRETARY), user=people.sanna)
    RoleAssignmentFactory(
        table=table, role=ProcessRole.objects.get(slug=RoleSlug.EXPERIENCE_EXPERT), user=people.eeva
    )
    return table


# --- What the journeys share ---------------------------------------------------------------------


def _check(page, name: str, *, screenshot: bool = False) -> None:
    assert_accessible(page, f"{name} ({FI})")
    if screenshot:
        save_screenshot(page, name)


def _name(message: str, **values) -> re.Pattern:
    """The accessible name of a control whose text has markup, e.g. a visually hidden part.

    Chromium puts a space between the visible text and a visually hidden (absolutely
    positioned, so block-level) part, so the pattern allows any whitespace where a tag was.
    """
    parts = [part.strip() for part in re.split(r"<[^>]+>", t(FI, message, **values)) if part.strip()]
    return re.compile(r"^\s*" + r"\s*".join(re.escape(part) for part in parts) + r"\s*$")


def _said(page, message: str) -> None:
    """The page tells the person ``message`` in a status message (a live region)."""
    expect(page.get_by_role("main").get_by_role("status").filter(has_text=message)).to_be_visible()


def _heading(page):
    return page.get_by_role("heading", level=1)


def _signed_in_page(new_context, person):
    page = new_context().new_page()
    page.goto("/")
    sign_in(page, email=person.email, language=FI)
    expect(_heading(page)).to_have_text(t(FI, "My page"))
    return page


def _definition(scope, term: str):
    """The <dd> that follows the <dt> reading ``term``."""
    return scope.locator("dt", has_text=re.compile(rf"^\s*{re.escape(term)}\s*$")).locator(
        "xpath=following-sibling::dd[1]"
    )


def _admin_field(page, text: str):
    """A field of a Django admin form, whose labels end in the (translated) label suffix, a colon."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(text)}\s*:?\s*$"))


def _change(field_label: str, old: str, new: str) -> re.Pattern:
    """A line of django-simple-history's list of changes: "Field: old → new"."""
    return re.compile(rf"{re.escape(field_label)}:\s*{re.escape(old)}\s*→\s*{re.escape(new)}")


def _local_input(value) -> str:
    """A date as Django's admin shows it in a Finnish date field (e.g. 31.12.2026)."""
    with translation.override(FI):
        return formats.localize_input(value)


def _in_days(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _plural(singular: str, plural: str, count: int) -> str:
    """A message with a number, as the pages say it in Finnish."""
    with translation.override(FI):
        return translation.ngettext(singular, plural, count) % {"count": count}


# --- Journey 2 -----------------------------------------------------------------------------------


def test_journey_2_coordinator_creates_a_table_and_schedules_a_meeting(new_context, people, live_server):
    from django.core import mail

    from meetings.models import Meeting, MeetingStatus
    from tables.models import PartnershipTable, ProcessRole, RoleSlug

    page = _signed_in_page(new_context, people.coordinator)
    main = page.get_by_role("main")
    manage = page.get_by_role("navigation", name=t(FI, "Table management"))

    # --- The table, from the list of tables. ------------------------------------------------------
    page.get_by_role("banner").get_by_role("link", name=t(FI, "Partnership tables"), exact=True).click()
    expect(_heading(page)).to_have_text(t(FI, "Partnership tables"))
    _check(page, "tables")
    main.get_by_role("link", name=t(FI, "Create a table"), exact=True).click()
    expect(_heading(page)).to_have_text(t(FI, "Create a partnership table"))
    _check(page, "table-create")
    name = "Psykososiaalisten palvelujen kumppanuuspöytä"
    field(page, label(FI, "sector")).select_option(label=f"{people.sector.name} ({people.area.short_name})")
    field(page, t(FI, "Name in Finnish")).fill(name)
    field(page, t(FI, "Name in Swedish")).fill("Partnerskapsbordet för psykosociala tjänster")
    field(page, t(FI, "Purpose in Finnish")).fill(
        "Järjestöjen ja hyvinvointialueen yhteinen foorumi mielenterveys- ja päihdepalvelujen kehittämiseen."
    )
    field(page, label(FI, "status")).select_option(label=t(FI, "Active"))
    field(page, label(FI, "planned meeting frequency")).fill("Neljä kertaa vuodessa")
    field(page, t(FI, "Owner's e-mail address")).fill(people.director.email)
    # The process starts from the county's default process (a template), which the form offers first.
    expect(field(page, t(FI, "Process steps"))).to_have_value(re.compile(r"^template:\d+$"))
    main.get_by_role("button", name=t(FI, "Create table")).click()
    expect(_heading(page)).to_have_text(name)
    _said(page, t(FI, "The table %(name)s was created.", name=name))
    _check(page, "table-created")
    table = PartnershipTable.objects.get(name_fi=name)

    # --- Standing members and their representatives. ----------------------------------------------
    manage.get_by_role("link", name=t(FI, "Standing members"), exact=True).click()
    expect(_heading(page)).to_have_text(t(FI, "Standing members: %(name)s", name=name))
    _check(page, "standing-members")
    for organisation, representative, substitute in (
        (people.mental_health, people.maija, people.pekka),
        (people.carers, people.liisa, people.oskari),
    ):
        field(page, t(FI, "Organisation")).select_option(label=organisation.name)
        main.get_by_role("button", name=t(FI, "Add standing member")).click()
        _said(page, t(FI, "%(name)s is now a standing member. Name its representative and substitute.",
                      name=organisation.name))
        main.get_by_role("link", name=_name(
            'Representatives<span class="visually-hidden"> of %(name)s</span>', name=organisation.name
        )).click()
        expect(_heading(page)).to_have_text(t(FI, "Representatives of %(name)s", name=organisation.name))
        _check(page, "standing-member-representatives")
        field(page, t(FI, "Representative")).select_option(label=f"{representative} ({representative.email})")
        field(page, t(FI, "Substitute")).select_option(label=f"{substitute} ({substitute.email})")
        main.get_by_role("button", name=t(FI, "Save"), exact=True).click()
        _said(page, t(FI, "The representatives of %(name)s were saved.", name=organisation.name))
        row = main.get_by_role("row").filter(has=page.get_by_role("rowheader", name=organisation.name))
        expect(row).to_contain_text(representative.full_name)
        expect(row).to_contain_text(substitute.full_name)
    _check(page, "standing-members-named")

    # --- Role holders: the secretary and the experience expert. -----------------------------------
    manage.get_by_role("link", name=t(FI, "Roles"), exact=True).click()
    expect(_heading(page)).to_have_text(t(FI, "Roles: %(name)s", name=name))
    _check(page, "roles")
    for slug, person in ((RoleSlug.SECRETARY, people.sanna), (RoleSlug.EXPERIENCE_EXPERT, people.eeva)):
        role_name = ProcessRole.objects.get(slug=slug).name_fi
        field(page, t(FI, "Role")).select_option(label=role_name)
        field(page, t(FI, "Person's e-mail address")).fill(person.email)
        expect(field(page, t(FI, "Valid from"))).to_have_value(timezone.localdate().isoformat())
        main.get_by_role("button", name=t(FI, "Add role holder")).click()
        # County staff and a private person are not people of the county in the service: each is
        # asked to accept (issue 11: consent), and holds the role once they do.
        _said(page, t(FI, "%(person)s was asked to accept the role; they hold it once they do.", person=person))
        row = main.get_by_role("row").filter(has=page.get_by_role("rowheader", name=role_name, exact=True))
        expect(row).to_contain_text(person.full_name)
        expect(row).to_contain_text(t(FI, "Waiting for acceptance"))
    _check(page, "roles-named")
    for person in (people.sanna, people.eeva):
        nominee = _signed_in_page(new_context, person)
        waiting = nominee.get_by_role("main").get_by_role("link", name=t(FI, "Accept or decline"))
        waiting.click()
        expect(_heading(nominee)).to_have_text(t(FI, "Role nominations"))
        _check(nominee, "nominations")
        nominee.get_by_role("main").get_by_role("button").first.click()  # Accept (then Decline)
        expect(nominee.get_by_role("main").get_by_role("status")).to_contain_text(name)
        nominee.context.close()

    # --- A step of the process copied from the template, made the table's own. --------------------
    manage.get_by_role("link", name=t(FI, "Process steps"), exact=True).click()
    expect(_heading(page)).to_have_text(t(FI, "Process steps: %(name)s", name=name))
    _check(page, "process-steps")
    main.get_by_role("link", name=_name('Edit<span class="visually-hidden"> step %(number)s</span>', number=1)).click()
    expect(_heading(page)).to_have_text(t(FI, "Edit step"))
    _check(page, "process-step-edit")
    what = "Kerää aiheet jäsenjärjestöiltä ja kokemusasiantuntijalta"
    field(page, t(FI, "What is done, in Finnish")).fill(what)
    field(page, t(FI, "How, in Finnish")).fill("Verkkolomakkeella ja sähköpostilla; aiheet kootaan yhteiseen listaan.")
    field(page, t(FI, "When, in Finnish")).fill("6 viikkoa ennen kokousta")
    main.get_by_role("button", name=t(FI, "Save step")).click()
    _said(page, t(FI, "The step was saved."))
    expect(main.get_by_role("row").nth(1)).to_contain_text(what)
    expect(main.get_by_role("row").nth(1)).to_contain_text("6 viikkoa ennen kokousta")

    # --- The table page and its printable process description. -----------------------------------
    manage.get_by_role("link", name=t(FI, "Table page"), exact=True).click()
    expect(_heading(page)).to_have_text(name)
    members = main.get_by_role("region", name=t(FI, "Standing members"))
    expect(members).to_contain_text(people.mental_health.name)
    expect(members).to_contain_text(people.carers.name)
    holders = main.get_by_role("region", name=t(FI, "Role holders"))
    expect(holders).to_contain_text(people.sanna.full_name)
    expect(holders).to_contain_text(people.eeva.full_name)
    expect(main.get_by_role("region", name=t(FI, "Process: who does what, how and when"))).to_contain_text(what)
    _check(page, "table-described")
    main.get_by_role("link", name=t(FI, "Printable process description")).click()
    expect(_heading(page)).to_have_text(t(FI, "Process description: %(name)s", name=name))
    expect(main.get_by_role("row").nth(1)).to_contain_text(what)
    _check(page, "process", screenshot=True)
    page.go_back()

    # --- A meeting, as a draft. --------------------------------------------------------------------
    main.get_by_role("link", name=t(FI, "New meeting"), exact=True).click()
    expect(_heading(page)).to_have_text(t(FI, "New meeting of %(name)s", name=name))
    _check(page, "meeting-create")
    title = "Kevään kumppanuuspöytä"
    starts = _in_days(21, 13)
    field(page, t(FI, "Title in Finnish")).fill(title)
    field(page, t(FI, "Description in Finnish")).fill("Tervetuloa! Kahvitarjoilu alkaa 12.45.")
    field(page, label(FI, "starts at")).fill(f"{starts:%Y-%m-%dT%H:%M}")
    field(page, label(FI, "ends at")).fill(f"{starts + datetime.timedelta(hours=2):%Y-%m-%dT%H:%M}")
    field(page, label(FI, "format")).select_option(label=t(FI, "Hybrid (in person and online)"))
    field(page, label(FI, "address")).fill("Hovioikeudenpuistikko 16, Vaasa, kokoushuone Merenkurkku")
    field(page, label(FI, "online meeting link")).fill("https://meet.example.org/kumppanuuspoyta-kevat")
    field(page, label(FI, "capacity")).fill("20")
    field(page, label(FI, "chairing organisation")).select_option(label=people.mental_health.name)
    field(page, label(FI, "chair")).select_option(label=people.maija.full_name)
    field(page, label(FI, "secretary")).select_option(label=people.sanna.full_name)
    main.get_by_role("button", name=t(FI, "Create draft")).click()
    expect(_heading(page)).to_contain_text(title)
    _said(page, t(FI, "The meeting was saved as a draft. Add the agenda, then schedule it to send the invitations."))
    _check(page, "meeting-draft")

    # --- Two agenda items. -------------------------------------------------------------------------
    agenda = [
        ("Kuulumiset jäsenjärjestöistä", "Maija Meikäläinen", "20"),
        ("Mielenterveyspalvelujen asiakasohjaus", "Tuula Toimialajohtaja", "40"),
    ]
    for item_title, presenter, minutes in agenda:
        main.get_by_role("link", name=t(FI, "Add an agenda item"), exact=True).click()
        expect(_heading(page)).to_have_text(t(FI, "Add an agenda item"))
        _check(page, "agenda-item-add")
        field(page, t(FI, "Title in Finnish")).fill(item_title)
        field(page, label(FI, "presenter")).fill(presenter)
        field(page, label(FI, "duration (minutes)")).fill(minutes)
        main.get_by_role("button", name=t(FI, "Add to the agenda")).click()
        _said(page, t(FI, "The item was added to the agenda."))
    agenda_list = main.get_by_role("region", name=t(FI, "Agenda")).get_by_role("listitem")
    expect(agenda_list).to_have_count(2)
    expect(agenda_list.nth(0)).to_contain_text(agenda[0][0])
    expect(agenda_list.nth(1)).to_contain_text(agenda[1][0])

    # --- Scheduled: the invitations go out. --------------------------------------------------------
    mail.outbox.clear()
    main.get_by_role("link", name=t(FI, "Schedule and send invitations"), exact=True).click()
    expect(_heading(page)).to_have_text(t(FI, "Schedule the meeting and send the invitations"))
    # The representatives and substitutes, and the role holders: the owner and the coordinator
    # (named when the table was created), the secretary and the experience expert.
    invitees = [
        people.maija, people.pekka, people.liisa, people.oskari,
        people.director, people.coordinator, people.sanna, people.eeva,
    ]
    for person in invitees:
        expect(main).to_contain_text(person.full_name)
    _check(page, "meeting-schedule")
    main.get_by_role("button", name=t(FI, "Schedule and send invitations")).click()
    expect(_heading(page)).to_contain_text(title)
    expect(_heading(page)).to_contain_text(t(FI, "Scheduled"))
    _said(page, _plural(
        "The meeting was scheduled; %(count)d invitation is being sent.",
        "The meeting was scheduled; %(count)d invitations are being sent.",
        len(invitees),
    ))
    registrations = main.get_by_role("region", name=t(FI, "Registrations"))
    expect(_definition(registrations, t(FI, "No answer"))).to_have_text(str(len(invitees)))
    _check(page, "meeting-coordinator", screenshot=True)

    # The table page lists the coming meeting, for everyone to see.
    page.get_by_role("banner").get_by_role("link", name=t(FI, "Partnership tables"), exact=True).click()
    main.get_by_role("link", name=name, exact=True).click()
    expect(main.get_by_role("region", name=t(FI, "Coming meetings"))).to_contain_text(title)
    _check(page, "table", screenshot=True)

    meeting = Meeting.objects.get(table=table, title=title)
    assert meeting.status == MeetingStatus.SCHEDULED
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        person.email for person in invitees
    )
    for person in invitees:
        (invitation,) = mail_to(person.email)
        assert title in invitation.subject
        assert all(item_title in invitation.body for item_title, _presenter, _minutes in agenda)
        (calendar,) = [part for part in invitation.attachments if part.get_content_type() == "text/calendar"]
        assert icalendar.Calendar.from_ical(calendar.get_payload(decode=True))["METHOD"] == "REQUEST"
        assert links_in(invitation.body, live_server.url), "the invitation has no links to answer with"


# --- Journey 3 -----------------------------------------------------------------------------------


@pytest.fixture
def scheduled_meeting(table, people):
    """A hybrid meeting three weeks ahead with its agenda, scheduled by the coordinator: the invitations are out."""
    from django.core import mail

    from meetings.models import MeetingFormat
    from meetings.services import agenda_item_add, meeting_create, meeting_schedule

    starts = _in_days(21, 13)
    meeting = meeting_create(
        actor=people.coordinator, table=table, title="Kevään kumppanuuspöytä", starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2), format=MeetingFormat.HYBRID,
        address="Hovioikeudenpuistikko 16, Vaasa", online_link="https://meet.example.org/kevat",
        chair=people.mental_health, chair_person=people.maija, secretary=people.sanna,
    )
    agenda_item_add(actor=people.coordinator, meeting=meeting, title="Kuulumiset jäsenjärjestöistä")
    agenda_item_add(actor=people.coordinator, meeting=meeting, title="Asiakasohjaus mielenterveyspalveluihin")
    mail.outbox.clear()
    meeting_schedule(actor=people.coordinator, meeting=meeting)
    return meeting


def test_journey_3_invitee_answers_by_the_link_then_changes_it_and_the_ics_parses(
    new_context, people, scheduled_meeting, live_server
):
    meeting = scheduled_meeting
    in_person, online = t(FI, "Attending in person"), t(FI, "Attending online")

    # --- The coordinator's meeting page before anyone has answered. --------------------------------
    coordinator = _signed_in_page(new_context, people.coordinator)
    coordinator.goto(f"/meetings/{meeting.pk}/")
    expect(_heading(coordinator)).to_contain_text(meeting.title)
    registrations = coordinator.get_by_role("main").get_by_role("region", name=t(FI, "Registrations"))
    expect(_definition(registrations, in_person)).to_have_text("0")
    invited = meeting.invitations.count()
    expect(_definition(registrations, t(FI, "No answer"))).to_have_text(str(invited))
    _check(coordinator, "meeting-coordinator-before")

    # --- The invitation e-mail: its one-click link for "attending in person". -----------------------
    (email,) = mail_to(people.maija.email)
    assert meeting.title in email.subject
    match = re.search(rf"^- {re.escape(in_person)}: ({re.escape(live_server.url)}/\S+)$", email.body, re.M)
    assert match, f"no one-click link for {in_person!r} in:\n{email.body}"
    (attachment,) = [part for part in email.attachments if part.get_content_type() == "text/calendar"]
    invited_calendar = icalendar.Calendar.from_ical(attachment.get_payload(decode=True))
    assert invited_calendar["METHOD"] == "REQUEST"

    # Opened from the mail program: not signed in. The link only shows the answer; the person confirms it.
    page = new_context().new_page()
    page.goto(match.group(1))
    main = page.get_by_role("main")
    expect(_heading(page)).to_have_text(meeting.title)
    confirm = main.get_by_role("region", name=t(FI, "Confirm the answer of %(name)s", name=people.maija.full_name))
    expect(confirm.get_by_label(in_person, exact=True)).to_be_checked()
    _check(page, "rsvp-confirm", screenshot=True)
    field(confirm, t(FI, "Note for the organisers")).fill("Tarvitsen esteettömän pysäköintipaikan.")
    confirm.get_by_role("button", name=t(FI, "Save my answer")).click()
    _said(page, t(FI, "Thank you, your answer was saved: %(answer)s.", answer=in_person))
    expect(main.get_by_role("region", name=t(FI, "Change your answer"))).to_be_visible()
    _check(page, "rsvp-confirmed")

    coordinator.reload()
    expect(_definition(registrations, in_person)).to_have_text("1")
    expect(_definition(registrations, online)).to_have_text("0")
    expect(registrations).to_contain_text("Tarvitsen esteettömän pysäköintipaikan.")

    # --- Later, signed in, she changes her answer on the meeting page: she will join online. --------
    sign_in(page, email=people.maija.email, language=FI)
    expect(_heading(page)).to_have_text(t(FI, "My page"))
    coming = main.get_by_role("region", name=t(FI, "Coming up"))
    expect(coming.get_by_role("row").filter(has_text=meeting.title)).to_contain_text(in_person)
    _check(page, "my-page-invited")
    coming.get_by_role("link", name=meeting.title).click()
    expect(_heading(page)).to_contain_text(meeting.title)
    registration = main.get_by_role("region", name=t(FI, "Your registration"))
    expect(registration).to_contain_text(in_person)
    _check(page, "meeting-invitee")
    registration.get_by_label(online, exact=True).check()
    registration.get_by_role("button", name=t(FI, "Change my answer")).click()
    _said(page, t(FI, "Thank you, your answer was saved: %(answer)s.", answer=online))
    expect(registration).to_contain_text(online)
    _check(page, "meeting-invitee-answered")

    # --- The coordinator's page shows the new count. -------------------------------------------------
    coordinator.reload()
    expect(_definition(registrations, in_person)).to_have_text("0")
    expect(_definition(registrations, online)).to_have_text("1")
    expect(_definition(registrations, t(FI, "No answer"))).to_have_text(str(invited - 1))
    row = registrations.get_by_role("row").filter(has=coordinator.get_by_role("rowheader", name=people.maija.full_name))
    expect(row).to_contain_text(online)
    _check(coordinator, "meeting-coordinator-after")

    # --- The calendar file from the meeting page. ----------------------------------------------------
    with coordinator.expect_download() as download_info:
        coordinator.get_by_role("main").get_by_role("link", name=t(FI, "Add to calendar (.ics)")).click()
    download = download_info.value
    assert download.suggested_filename == f"meeting-{meeting.pk}.ics"
    calendar = icalendar.Calendar.from_ical(download.path().read_bytes())
    assert calendar["METHOD"] == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == str(invited_calendar.walk("VEVENT")[0]["UID"]) == f"{meeting.uid}@kumppanuus"
    assert str(event["SUMMARY"]) == meeting.title
    assert event["DTSTART"].params["TZID"] == HELSINKI
    start = event.decoded("DTSTART")
    assert start == meeting.starts_at
    assert (start.hour, start.minute) == (13, 0)  # on the Helsinki wall clock, as the pages say
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == [HELSINKI]


# --- Journey 4 -----------------------------------------------------------------------------------


@pytest.fixture
def held_meeting(table, people):
    """Yesterday's meeting, scheduled weeks ago: everyone was invited and most answered."""
    from meetings.models import InvitationSource, MeetingFormat, MeetingStatus, RsvpResponse
    from meetings.tests.factories import AgendaItemFactory, InvitationFactory, MeetingFactory, RsvpFactory

    starts = _in_days(-1, 13)
    meeting = MeetingFactory(
        table=table, title="Syksyn kumppanuuspöytä", starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
        format=MeetingFormat.HYBRID, online_link="https://meet.example.org/syksy", status=MeetingStatus.SCHEDULED,
        scheduled_at=starts - datetime.timedelta(days=21), chair=people.mental_health, chair_person=people.maija,
        secretary=people.sanna, created_by=people.coordinator,
    )
    AgendaItemFactory(meeting=meeting, title="Kuulumiset jäsenjärjestöistä", position=1)
    AgendaItemFactory(meeting=meeting, title="Vapaaehtoistoiminnan koulutukset", position=2)
    answers = {
        people.maija: (people.mental_health, RsvpResponse.ATTENDING_IN_PERSON),
        people.pekka: (people.mental_health, RsvpResponse.NOT_ATTENDING),
        people.liisa: (people.carers, RsvpResponse.ATTENDING_ONLINE),
        people.oskari: (people.carers, None),
        people.sanna: (None, RsvpResponse.ATTENDING_IN_PERSON),
        people.eeva: (None, RsvpResponse.ATTENDING_IN_PERSON),
    }
    for person, (organisation, response) in answers.items():
        invitation = InvitationFactory(
            meeting=meeting, user=person, organisation=organisation,
            source=InvitationSource.STANDING_MEMBER if organisation else InvitationSource.ROLE,
        )
        if response:
            RsvpFactory(invitation=invitation, response=response, responded_at=starts - datetime.timedelta(days=7))
    return meeting


def test_journey_4_secretary_records_attendance_publishes_minutes_and_closes_the_meeting(
    new_context, people, table, held_meeting
):
    from meetings.models import ActionItem, Meeting, MeetingStatus

    meeting = held_meeting

    # --- The secretary finds yesterday's meeting on her own page. -----------------------------------
    page = _signed_in_page(new_context, people.sanna)
    main = page.get_by_role("main")
    past = main.get_by_role("region", name=t(FI, "Past meetings"))
    expect(past).to_contain_text(t(FI, "No minutes yet"))
    past.get_by_role("link", name=meeting.title).click()
    expect(_heading(page)).to_contain_text(meeting.title)
    after = main.get_by_role("region", name=t(FI, "After the meeting"))
    _check(page, "meeting-secretary")

    # --- Attendance: filled in from the answers, corrected to what happened. ------------------------
    after.get_by_role("link", name=t(FI, "Record attendance")).click()
    expect(_heading(page)).to_have_text(t(FI, "Attendance: %(title)s", title=meeting.title))

    def attended(person):
        return page.get_by_label(t(FI, "%(name)s attended", name=person.full_name), exact=True)

    def online(person):
        return page.get_by_label(t(FI, "%(name)s attended online", name=person.full_name), exact=True)

    for person in (people.maija, people.liisa, people.sanna, people.eeva):
        expect(attended(person)).to_be_checked()
    for person in (people.pekka, people.oskari):
        expect(attended(person)).not_to_be_checked()
    expect(online(people.liisa)).to_be_checked()
    _check(page, "attendance")
    attended(people.pekka).check()  # said no, came after all
    attended(people.eeva).uncheck()  # said yes, fell ill
    main.get_by_role("button", name=t(FI, "Save attendance")).click()
    _said(page, t(FI, "The attendance was saved."))

    # --- The minutes, with a decision and an action item, published. --------------------------------
    after.get_by_role("link", name=t(FI, "Write the minutes")).click()
    expect(_heading(page)).to_have_text(t(FI, "Minutes: %(title)s", title=meeting.title))
    _check(page, "minutes-edit")
    field(page, t(FI, "Minutes")).fill(
        "## Kuulumiset\n\nJärjestöt kertoivat syksyn toiminnastaan.\n\n"
        "## Koulutukset\n\n- Vapaaehtoisten peruskoulutus keväällä\n- Yhteinen koulutuskalenteri"
    )
    decision = main.get_by_role("group", name=t(FI, "Decision %(number)s", number=1), exact=True)
    field(decision, t(FI, "Decision")).fill("Kootaan järjestöjen koulutukset yhteiseen kalenteriin.")
    action = main.get_by_role("group", name=t(FI, "Action item %(number)s", number=1), exact=True)
    what = "Kokoaa jäsenjärjestöjen kevään koulutukset yhteiseen kalenteriin"
    due = timezone.localdate() + datetime.timedelta(days=30)
    field(action, t(FI, "What")).fill(what)
    field(action, t(FI, "Responsible person")).select_option(label=people.liisa.full_name)
    field(action, t(FI, "Responsible organisation")).select_option(label=people.carers.name)
    field(action, t(FI, "Due on")).fill(due.isoformat())
    main.get_by_role("button", name=t(FI, "Save and publish")).click()
    _said(page, t(FI, "The minutes were saved and published."))
    expect(_heading(page)).to_have_text(t(FI, "Minutes: %(title)s", title=meeting.title))
    present = main.get_by_role("region", name=t(FI, "Present"))
    expect(present).to_contain_text(people.mental_health.name)
    expect(present).to_contain_text(people.carers.name)
    # Maija, Pekka, Liisa and Sanna; not Eeva.
    expect(present).to_contain_text(_plural("%(count)s participant", "%(count)s participants", 4))
    expect(main.get_by_role("region", name=t(FI, "Decisions"))).to_contain_text("yhteiseen kalenteriin")
    expect(main.get_by_role("region", name=t(FI, "Action items"), exact=True)).to_contain_text(what)
    _check(page, "minutes", screenshot=True)

    # --- Closing the meeting sets the next one. -----------------------------------------------------
    page.get_by_role("navigation", name=t(FI, "Breadcrumb")).get_by_role("link", name=meeting.title).click()
    expect(_heading(page)).to_contain_text(meeting.title)
    after.get_by_role("link", name=t(FI, "Close the meeting and set the next one")).click()
    expect(_heading(page)).to_have_text(t(FI, "Close the meeting: %(title)s", title=meeting.title))
    _check(page, "meeting-close")
    next_day = timezone.localdate() + datetime.timedelta(days=90)
    field(page, t(FI, "Date of the next meeting")).fill(next_day.isoformat())
    field(page, t(FI, "Starting time (Finnish time)")).fill("13:00")
    main.get_by_role("button", name=t(FI, "Close the meeting and set the next one")).click()
    next_start = timezone.make_aware(datetime.datetime.combine(next_day, datetime.time(13)))
    with translation.override(FI):
        date, time = formats.date_format(next_start, "DATE_FORMAT"), formats.time_format(next_start, "TIME_FORMAT")
    _said(page, t(
        FI, "The meeting was closed. The next meeting, %(date)s at %(time)s, was created as a draft.",
        date=date, time=time,
    ))
    expect(_heading(page)).to_contain_text(t(FI, "Held"))
    _check(page, "meeting-held")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert Meeting.objects.filter(table=table, status=MeetingStatus.DRAFT, starts_at=next_start).exists()

    # --- Anyone can read the minutes from the public table page. ------------------------------------
    public = new_context().new_page()
    public.goto("/")
    public.get_by_role("banner").get_by_role("link", name=t(FI, "Partnership tables"), exact=True).click()
    public.get_by_role("main").get_by_role("link", name=table.name).click()
    expect(_heading(public)).to_have_text(table.name)
    minutes_section = public.get_by_role("main").get_by_role("region", name=t(FI, "Minutes"))
    _check(public, "table-public")
    minutes_section.get_by_role("link", name=re.compile(re.escape(meeting.title))).click()
    expect(_heading(public)).to_have_text(t(FI, "Minutes: %(title)s", title=meeting.title))
    public_main = public.get_by_role("main")
    expect(public_main.get_by_role("region", name=t(FI, "Decisions"))).to_contain_text("yhteiseen kalenteriin")
    expect(public_main.get_by_role("region", name=t(FI, "Action items"), exact=True)).to_contain_text(what)
    expect(public_main).not_to_contain_text(people.liisa.full_name)  # the public sees the organisation only
    _check(public, "minutes-public")

    # --- The action item waits on its owner's own page. ---------------------------------------------
    owner = _signed_in_page(new_context, people.liisa)
    mine = owner.get_by_role("main").get_by_role("region", name=t(FI, "My action items"))
    row = mine.get_by_role("row").filter(has_text=what)
    expect(row).to_contain_text(t(FI, "You"))
    expect(row).to_contain_text(people.carers.name)
    expect(row).to_contain_text(meeting.title)
    with translation.override(FI):
        expect(row).to_contain_text(formats.date_format(due, "SHORT_DATE_FORMAT"))
    _check(owner, "dashboard", screenshot=True)
    assert ActionItem.objects.get(meeting=meeting).owner_user == people.liisa


# --- Journey 5 -----------------------------------------------------------------------------------


def test_journey_5_admin_changes_a_role_and_a_role_assignment_and_sees_them_in_the_history(
    new_context, people, table
):
    from accounts.tests.factories import UserFactory
    from tables.models import ProcessRole, RoleAssignment, RoleSlug

    admin = UserFactory(email="yllapito@example.org", full_name="Aino Ylläpitäjä", is_staff=True, is_superuser=True)
    secretary = ProcessRole.objects.get(slug=RoleSlug.SECRETARY)
    assignment = RoleAssignment.objects.get(table=table, role__slug=RoleSlug.EXPERIENCE_EXPERT)

    page = _signed_in_page(new_context, admin)
    page.get_by_role("banner").get_by_role("link", name=t(FI, "Administration"), exact=True).click()
    content = page.locator("#content")
    _check(page, "admin")

    # --- The process role "secretary" gets the name the county uses. -------------------------------
    content.get_by_role("link", name=label(FI, "process roles"), exact=True).click()
    _check(page, "admin-process-roles")
    content.get_by_role("link", name=secretary.name_fi, exact=True).click()
    _check(page, "admin-process-role")
    new_name = "Muistion kirjoittaja"
    _admin_field(page, f"{label(FI, 'name')} [fi]").fill(new_name)
    _admin_field(page, f"{label(FI, 'description')} [fi]").fill(
        "Kirjaa muistioon päätökset ja sovitut toimenpiteet vastuuhenkilöineen ja julkaisee sen viikon kuluessa."
    )
    content.get_by_role("button", name=t(FI, "Save"), exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(new_name)

    # --- The experience expert's assignment ends at the end of the year. ---------------------------
    page.get_by_role("navigation", name=t(FI, "Breadcrumbs")).get_by_role("link", name=t(FI, "Home")).click()
    content.get_by_role("link", name=label(FI, "role assignments"), exact=True).click()
    _check(page, "admin-role-assignments")
    eevas_row = content.get_by_role("row").filter(has_text=people.eeva.full_name)
    eevas_row.get_by_role("link").first.click()
    _check(page, "admin-role-assignment")
    end = datetime.date(timezone.localdate().year, 12, 31)
    _admin_field(page, label(FI, "valid to")).fill(_local_input(end))
    content.get_by_role("button", name=t(FI, "Save"), exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()
    assignment.refresh_from_db()
    assert assignment.valid_to == end

    # --- The history of each shows the change and who made it. -------------------------------------
    eevas_row.get_by_role("link").first.click()
    page.get_by_role("link", name=t(FI, "History"), exact=True).click()
    changes = page.locator("#change-history").get_by_role("row").filter(has_text=admin.full_name)
    expect(changes).to_have_count(1)
    expect(changes).to_contain_text(_change(label(FI, "valid to"), "None", end.isoformat()))
    _check(page, "admin-role-assignment-history")

    page.goto(f"/admin/tables/processrole/{secretary.pk}/change/")
    page.get_by_role("link", name=t(FI, "History"), exact=True).click()
    changes = page.locator("#change-history").get_by_role("row").filter(has_text=admin.full_name)
    expect(changes).to_have_count(1)
    expect(changes).to_contain_text(_change(f"{label(FI, 'name')} [fi]", secretary.name_fi, new_name))
    _check(page, "admin-history", screenshot=True)
