"""Suite-wide set-up: the tests need the real PostgreSQL and Redis and say so loudly if either is missing."""

import importlib
import os
import socket
from urllib.parse import urlparse

import pytest

from kumppanuus.testing.smtp import smtp_down, smtp_server  # noqa: F401  (fixtures for every app)

# The `worker` fixture: a real Celery worker for tests that need one (kumppanuus/testing/worker.py).
pytest_plugins = ["kumppanuus.testing.worker"]


def _reachable(url: str, default_port: int) -> tuple[bool, str]:
    parsed = urlparse(url)
    host, port = parsed.hostname or "localhost", parsed.port or default_port
    try:
        with socket.create_connection((host, port), timeout=3):
            return True, f"{host}:{port}"
    except OSError as error:
        return False, f"{host}:{port} ({error})"


def pytest_configure(config):
    problems = []
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres"):
        problems.append(
            "DATABASE_URL is not a PostgreSQL URL. Run the tests with `make test`, which sets "
            "DATABASE_URL=postgres://postgres@localhost:5432/kumppanuus."
        )
    else:
        ok, where = _reachable(database_url, 5432)
        if not ok:
            problems.append(
                f"PostgreSQL is not reachable at {where}. Start it, e.g. "
                "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`."
            )
    if not redis_url.startswith("redis"):
        problems.append("REDIS_URL is not set. Run the tests with `make test` (REDIS_URL=redis://localhost:6379/0).")
    else:
        ok, where = _reachable(redis_url, 6379)
        if not ok:
            problems.append(
                f"Redis is not reachable at {where}. Start it, e.g. "
                "`redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no`."
            )
    if problems:
        raise pytest.UsageError("The test suite needs its services:\n  - " + "\n  - ".join(problems))


def _seed_again_after_a_flush(sender, **kwargs):
    """Puts back the rows the data migrations seed (process roles, templates, themes, the site's name)
    after a transactional test flushes the database: flush sends post_migrate, as Django's own apps use
    to make their content types again. With the suite split over processes (pytest-xdist), a test that
    relies on the seeded rows may run after a transactional test in the same database."""
    from django.apps import apps

    # post_migrate goes to each app with models, in INSTALLED_APPS order: act once per flush, on the
    # last, after every app's own post_migrate work (sites makes example.com, contenttypes its rows).
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender.label != last.label:
        return
    from django.test import override_settings

    from kumppanuus.history import history_baselines_create_all

    # As `migrate` does it: the data migrations write without audit history (they also run after
    # the test database is made, where they find their rows and must not add "changed" records),
    # then every row without history gets its baseline (tables 0008, organisations 0003).
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        for module, function in _SEEDS:
            getattr(importlib.import_module(module), function)(apps, None)
    history_baselines_create_all()


_SEEDS = [
    ("accounts.migrations.0002_site_from_site_url", "name_the_site"),
    ("organisations.migrations.0002_default_themes", "add_themes"),
    ("tables.migrations.0002_default_roles_and_templates", "seed"),
]


def pytest_sessionstart(session):
    from django.db.models.signals import post_migrate

    post_migrate.connect(_seed_again_after_a_flush, dispatch_uid="kumppanuus-seed-again-after-a-flush")


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 at production strength costs ~0.3 s per user; the tests create hundreds of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_services(settings):
    """Each test starts with an empty cache (allauth's rate limits live there) and eager Celery.

    Tests that need a real worker switch eager mode off themselves.
    """
    from django.core.cache import cache

    from kumppanuus.celery import app

    cache.clear()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    settings.SITE_URL = "http://testserver"
    yield
    app.conf.task_always_eager = eager


# --- Named personas (STYLE.md §12) ---------------------------------------------
# One welfare area ("area") with an approved organisation ("organisation"); a second
# area with its own coordinator and organisation for the "other" personas.


@pytest.fixture
def area(db):
    from organisations.tests.factories import WelfareAreaFactory

    return WelfareAreaFactory(code="PO", name="Pohjanmaan hyvinvointialue", name_sv="Österbottens välfärdsområde")


@pytest.fixture
def other_area(db):
    from organisations.tests.factories import WelfareAreaFactory

    return WelfareAreaFactory(code="LA", name="Lapin hyvinvointialue", name_sv="Lapplands välfärdsområde")


@pytest.fixture
def organisation(area):
    from organisations.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Vaasan Mielenterveysyhdistys ry", welfare_area=area)


@pytest.fixture
def other_organisation(other_area):
    from organisations.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Lapin Omaishoitajat ry", welfare_area=other_area)


@pytest.fixture
def coordinator(area):
    from organisations.tests.factories import AreaCoordinatorFactory

    return AreaCoordinatorFactory(welfare_area=area, user__email="coordinator@example.org").user


@pytest.fixture
def other_coordinator(other_area):
    from organisations.tests.factories import AreaCoordinatorFactory

    return AreaCoordinatorFactory(welfare_area=other_area, user__email="other-coordinator@example.org").user


@pytest.fixture
def representative(organisation):
    from organisations.models import MembershipRole
    from organisations.tests.factories import MembershipFactory

    return MembershipFactory(
        organisation=organisation, role=MembershipRole.REPRESENTATIVE, user__email="representative@example.org"
    ).user


@pytest.fixture
def member(organisation):
    from organisations.tests.factories import MembershipFactory

    return MembershipFactory(organisation=organisation, user__email="member@example.org").user


@pytest.fixture
def outsider(other_organisation):
    """A member of another organisation in another area."""
    from organisations.tests.factories import MembershipFactory

    return MembershipFactory(organisation=other_organisation, user__email="outsider@example.org").user


@pytest.fixture
def admin_user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
