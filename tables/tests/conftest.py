"""Fixtures for the table tests, on top of the personas in the root conftest.py.

``table`` is a public, active table of ``area`` (where ``coordinator`` coordinates) whose
standing member is ``organisation``, represented by ``representative`` with ``member``
as the substitute. ``owner``, the sector's director, owns the operating model.
"""

import pytest

from accounts.tests.factories import UserFactory
from organisations.models import Eligibility
from organisations.tests.factories import OrganisationFactory
from tables.tests.factories import (
    AnnualEvaluationFactory,
    PartnershipTableFactory,
    SectorFactory,
    StandingMemberFactory,
)


def pytest_configure(config):
    # Also registered by meetings/tests/conftest.py; here too, so that the tables' tests run alone.
    config.addinivalue_line(
        "markers", "slow: runs a real Celery worker, Redis and an SMTP server (part of the normal run)"
    )


@pytest.fixture
def sector(area):
    return SectorFactory(
        welfare_area=area, name="Psykososiaalinen toimiala", name_fi="Psykososiaalinen toimiala",
        name_sv="Psykosociala sektorn",
    )


@pytest.fixture
def other_sector(other_area):
    return SectorFactory(welfare_area=other_area, name="Lapin toimiala", name_fi="Lapin toimiala")


@pytest.fixture
def owner(sector):
    """The director of the sector: a person of the county, so they may own its tables."""
    person = UserFactory(email="owner@example.org", full_name="Olli Omistaja")
    sector.director = person
    sector.save(update_fields=["director"])
    return person


@pytest.fixture
def table(sector, owner, coordinator):
    return PartnershipTableFactory(
        sector=sector, owner=owner, coordinators=[coordinator],
        name="Psykososiaalisen toimialan kumppanuuspöytä", name_fi="Psykososiaalisen toimialan kumppanuuspöytä",
    )


@pytest.fixture
def standing_member(table, organisation, representative, member):
    return StandingMemberFactory(table=table, organisation=organisation, representative=representative,
                                 substitute=member)


@pytest.fixture
def private_table(sector, owner, coordinator):
    return PartnershipTableFactory(sector=sector, owner=owner, coordinators=[coordinator], is_public=False)


@pytest.fixture
def pending_organisation(area):
    return OrganisationFactory(name="Odottava Yhdistys ry", welfare_area=area, eligibility=Eligibility.PENDING)


@pytest.fixture
def evaluation(table, standing_member):
    return AnnualEvaluationFactory(table=table)
