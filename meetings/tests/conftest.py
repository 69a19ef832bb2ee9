import pytest

from meetings.models import MeetingFormat
from meetings.tests.factories import MeetingFactory, PartnershipTableFactory, StandingMemberFactory


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
    return PartnershipTableFactory(welfare_area=area, name="Psykososiaalinen kumppanuuspöytä", is_public=False)


@pytest.fixture
def standing(table, organisation, representative):
    """The organisation is a standing member; its representative is the named one."""
    return StandingMemberFactory(table=table, organisation=organisation, representative=representative)


@pytest.fixture
def meeting(table, standing, coordinator):
    return MeetingFactory(
        table=table, created_by=coordinator, format=MeetingFormat.HYBRID, online_link="https://meet.example.org/secret-room"
    )


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Messages are asserted in English: the tests run in English and the test browser asks for English."""
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
