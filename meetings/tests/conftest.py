"""Fixtures of the meeting tests, on top of the personas in the root conftest.py.

``table`` is a members-only table of ``area`` (where ``coordinator`` coordinates) with ``organisation``
as its standing member and ``meeting`` its meeting in two weeks. ``public_table`` is a public
table of the same area (``representative``, substitute ``member``) and ``past_meeting`` its meeting
that started yesterday, with ``secretary`` as the secretary.
"""

import pytest

from accounts.tests.factories import UserFactory
from meetings.models import MeetingFormat
from meetings.tests.factories import MeetingFactory, held_meeting
from tables.tests.factories import PartnershipTableFactory, SectorFactory, StandingMemberFactory


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: runs a real Celery worker, Redis and an SMTP server (part of the normal run)"
    )


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 at production strength costs ~0.3 s per user; the tests create hundreds of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def table(area, coordinator):
    """A members-only, non-public table of the coordinator's area."""
    return PartnershipTableFactory(sector__welfare_area=area, name="Psykososiaalinen kumppanuuspöytä", is_public=False)


@pytest.fixture
def standing(table, organisation, representative):
    """The organisation is a standing member; its representative is the named one."""
    return StandingMemberFactory(table=table, organisation=organisation, representative=representative)


@pytest.fixture
def meeting(table, standing, coordinator):
    return MeetingFactory(
        table=table, created_by=coordinator, format=MeetingFormat.HYBRID, online_link="https://meet.example.org/secret-room"
    )


# --- After the meeting: attendance, minutes, feeds, statistics -----------------


@pytest.fixture
def records_sector(area):
    return SectorFactory(welfare_area=area, name="Kotona asumisen toimiala", name_fi="Kotona asumisen toimiala")


@pytest.fixture
def public_table(records_sector):
    """A public table of the coordinator's area, with ``organisation`` as its standing member."""
    return PartnershipTableFactory(
        sector=records_sector,
        name="Kotona asumisen kumppanuuspöytä",
        name_fi="Kotona asumisen kumppanuuspöytä",
        is_public=True,
    )


@pytest.fixture
def private_records_table(records_sector):
    return PartnershipTableFactory(
        sector=records_sector,
        name="Neuvottelukunta",
        name_fi="Neuvottelukunta",
        is_public=False,
    )


@pytest.fixture
def public_standing(public_table, organisation, representative, member):
    return StandingMemberFactory(
        table=public_table,
        organisation=organisation,
        representative=representative,
        substitute=member,
    )


@pytest.fixture
def secretary(db):
    return UserFactory(email="secretary@example.org", full_name="Sanna Sihteeri")


@pytest.fixture
def past_meeting(public_table, public_standing, secretary, coordinator):
    """Yesterday's meeting of the public table; the secretary is named."""
    return held_meeting(public_table, secretary=secretary, created_by=coordinator, title="Kevään kokous")


@pytest.fixture
def private_past_meeting(private_records_table, secretary, coordinator):
    return held_meeting(
        private_records_table, secretary=secretary, created_by=coordinator, title="Neuvottelukunnan kokous"
    )


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Messages are asserted in English: the tests run in English and the test browser asks for English."""
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
