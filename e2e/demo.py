"""The demo as the browser tests crawl it: ``load_demo`` with meetings at each stage of their life.

Held meetings with attendance, published minutes, decisions and action items; one held a week ago
and not yet recorded; an upcoming one with invitations, answers, an accepted and a proposed topic;
a draft. The texts are long where real ones are: Finnish compound words, long addresses and links.
"""

import datetime
import importlib
import io

from django.core.management import call_command
from django.utils import timezone


def populate() -> dict:
    """Loads the demo and its meetings; returns the demo's people by role (admin, coordinator, …)."""
    from django.apps import apps

    from accounts.models import User
    from devdata.management.commands.load_demo import DEMO_USERS

    # The browser tests flush the database after each test, also the rows migrations seeded.
    importlib.import_module("tables.migrations.0002_default_roles_and_templates").seed(apps, None)
    importlib.import_module("organisations.migrations.0002_default_themes").add_themes(apps, None)
    call_command("load_demo", stdout=io.StringIO())
    users = {role: User.objects.get(email=email) for role, email, _name, _language in DEMO_USERS}
    _meetings(users)
    return users


def _meetings(users) -> None:
    from meetings.models import ActionItemStatus, AgendaItemStatus, MeetingFormat, MeetingStatus, RsvpResponse
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
    from tables.models import PartnershipTable, StandingMemberStatus

    coordinator, member, representative = users["coordinator"], users["member"], users["representative"]
    for table in PartnershipTable.objects.order_by("pk"):
        organisations = [
            s.organisation for s in table.standing_members.filter(status=StandingMemberStatus.ACTIVE)
        ]
        home = organisations[0] if organisations else None
        # Held: everyone came, the minutes are out with decisions and action items.
        held = held_meeting(
            table, days_ago=30, title=f"{table.name}: syyskokous", chair=home, created_by=coordinator,
            status=MeetingStatus.HELD,
        )
        for person in (coordinator, member, representative):
            invite(held, person, organisation=home, response=RsvpResponse.ATTENDING_IN_PERSON)
            AttendanceFactory(meeting=held, user=person, organisation=home, online=person == member)
        # A guest without an account, with the long address people really have.
        invite(held, None, email="toiminnanjohtaja.etunimi.sukunimi@mielenterveysyhdistys-esimerkki.fi",
               response=RsvpResponse.ATTENDING_ONLINE)
        topic = AgendaItemFactory(
            meeting=held, title="Järjestöavustusten hakuaikataulu ja kumppanuussopimusten uudistaminen",
            description="Taustamateriaali: https://www.pohjanmaanhyvinvointi.fi/jarjestoyhteistyo/"
                        "kumppanuuspoydat/taustamateriaali-2026-kevat.pdf",
        )
        minutes = PublishedMinutesFactory(
            meeting=held, published_by=coordinator,
            body_markdown="## Keskustelu\n\nPäihdekuntoutujienvertaistukitoimintakokonaisuus esiteltiin. "
                          "Lisätietoja: https://www.pohjanmaanhyvinvointi.fi/jarjestoyhteistyo/"
                          "kumppanuuspoydat/poytakirjat/2026/syyskokous-liite-1.pdf",
        )
        DecisionFactory(minutes=minutes, agenda_item=topic, text="Hakuaikataulu hyväksyttiin esitetyssä muodossa.")
        ActionItemFactory(meeting=held, owner_user=member, created_by=coordinator,
                          what="Kootaan järjestöjen palaute hakuaikataulusta ennen seuraavaa kokousta.")
        ActionItemFactory(meeting=held, owner_organisation=home, owner_user=None, created_by=coordinator,
                          status=ActionItemStatus.DONE, completed_at=timezone.now(),
                          due_on=timezone.localdate() - datetime.timedelta(days=10))
        # Held a week ago, its attendance not yet recorded and its minutes not yet written.
        last = held_meeting(table, days_ago=7, title=f"{table.name}: työpaja", created_by=coordinator)
        for person in (coordinator, member, representative):
            invite(last, person, organisation=home, response=RsvpResponse.ATTENDING_ONLINE)
        # Coming up: invitations sent, some answers, a topic proposed and one accepted.
        upcoming = MeetingFactory(
            table=table, title=f"{table.name}: kevätkokous", starts_at=in_days(21),
            ends_at=in_days(21) + datetime.timedelta(hours=2), format=MeetingFormat.HYBRID,
            online_link="https://teams.microsoft.com/l/meetup-join/19%3ameeting_kumppanuuspoyta-kevat-2026",
            chair=home, created_by=coordinator,
        )
        invite(upcoming, coordinator, response=RsvpResponse.ATTENDING_IN_PERSON)
        invite(upcoming, member, organisation=home, response=RsvpResponse.MAYBE)
        invite(upcoming, representative, organisation=home)
        AgendaItemFactory(meeting=upcoming, title="Edellisen kokouksen toimenpiteet", presenter_user=coordinator)
        AgendaItemFactory(meeting=upcoming, title="Vertaistukiryhmien kevään 2026 kokoontumistilat",
                          status=AgendaItemStatus.PROPOSED, proposed_by=member)
        # Not yet scheduled.
        MeetingFactory(table=table, title=f"{table.name}: luonnos", starts_at=in_days(60),
                       ends_at=in_days(60) + datetime.timedelta(hours=2), status=MeetingStatus.DRAFT,
                       created_by=coordinator)
