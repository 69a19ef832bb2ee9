"""generate_scale_data: the counts it promises, nothing mailed or queued, and the main pages render.

Runs the command at scale 0.01 (100 organisations, 500 people, 200 meetings, 4,000 invitations)
on the test database; the national dataset of the benchmarks is the same code at scale 1.
"""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client

from accounts.models import User
from meetings.models import ActionItem, Invitation, Meeting, MeetingReminder, OutboxStatus, Rsvp
from organisations.models import Municipality, Organisation, WelfareArea
from tables.models import PartnershipTable, StandingMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def scale_data(mailoutbox):
    call_command("generate_scale_data", "--scale", "0.01", verbosity=0)


def test_counts_nothing_mailed_and_fresh_ids(scale_data, mailoutbox):
    assert WelfareArea.objects.count() == 22
    assert Municipality.objects.count() == 293  # the municipalities of the bundled CSV
    assert Organisation.objects.count() == 100
    assert User.objects.count() == 500
    assert PartnershipTable.objects.count() == 20
    assert Meeting.objects.count() == 200
    assert Invitation.objects.count() == 4000
    assert ActionItem.objects.count() == 1000
    assert Rsvp.objects.count() > 2000
    assert StandingMember.objects.count() > 0
    # Every member belongs to an organisation; only the coordinators and the admin need not.
    assert User.objects.filter(memberships__isnull=True).count() <= 23
    # Written as delivered: nothing mailed, nothing left for the workers.
    assert mailoutbox == []
    assert not Invitation.objects.exclude(delivery_status=OutboxStatus.SENT).exists()
    assert not MeetingReminder.objects.exclude(delivery_status=OutboxStatus.SENT).exists()
    # The id sequences were moved past the ids the generator handed out.
    organisation = Organisation.objects.create(
        name="Uusi yhdistys ry", kind="association", welfare_area=WelfareArea.objects.first()
    )
    assert organisation.pk > Organisation.objects.exclude(pk=organisation.pk).order_by("-pk").first().pk


def test_refuses_a_database_with_data_unless_forced():
    call_command("generate_scale_data", "--scale", "0.002", verbosity=0)
    with pytest.raises(CommandError):
        call_command("generate_scale_data", "--scale", "0.002", verbosity=0)
    call_command("generate_scale_data", "--scale", "0.002", "--force", verbosity=0)
    assert Organisation.objects.count() == 40
    assert User.objects.count() == 200


def test_main_pages_render_for_the_data(scale_data):
    meeting = (
        Meeting.objects.filter(status="scheduled")
        .annotate(invitees=Count("invitations"))
        .order_by("-invitees", "pk")
        .first()
    )
    coordinator = meeting.table.coordinators.first()
    member = User.objects.filter(invitations__meeting__status="scheduled", memberships__isnull=False).first()
    organisation = Organisation.objects.approved().first()
    table = PartnershipTable.objects.filter(is_public=True).first()
    anonymous, as_coordinator, as_member = Client(), Client(), Client()
    as_coordinator.force_login(coordinator)
    as_member.force_login(member)
    pages = [
        (anonymous, "/organisations/?q=yhdistys"),
        (anonymous, f"/organisations/{organisation.pk}/"),
        (anonymous, f"/tables/{table.pk}/"),
        (as_coordinator, f"/meetings/{meeting.pk}/"),
        (as_coordinator, "/organisations/export.csv"),
        (as_member, "/me/"),
        (anonymous, "/healthz"),
    ]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url


def test_healthz_touches_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
