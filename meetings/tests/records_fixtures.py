"""Fixtures for the tests of attendance, minutes, feeds and statistics, on top of the personas
in the root conftest.py. Loaded by the test modules with ``pytest_plugins``.

``public_table`` is a public table of ``area`` (where ``coordinator`` coordinates) whose standing
member is ``organisation`` (``representative``, substitute ``member``); ``past_meeting`` is its
meeting that started yesterday, with ``secretary`` as the secretary.
"""

import pytest

from accounts.tests.factories import UserFactory
from meetings.tests.records_factories import held_meeting
from tables.tests.factories import PartnershipTableFactory, SectorFactory, StandingMemberFactory


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
