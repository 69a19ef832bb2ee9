"""A new organisation's registration tells the county's coordinators, in their own language (issue 13)."""

import pytest

from accounts.tests.factories import UserFactory
from organisations.models import OrganisationKind
from organisations.services import REGISTRATION, organisation_register
from organisations.tests.factories import AreaCoordinatorFactory
from outbox.models import Notification
from outbox.registry import notification_kind

pytestmark = pytest.mark.django_db


def _register(actor, area):
    return organisation_register(
        actor=actor, name="Vaasan Vertaistuki ry", kind=OrganisationKind.REGISTERED_ASSOCIATION, welfare_area=area,
    )


def test_a_registration_tells_each_active_coordinator_of_the_county_once(area, coordinator, other_coordinator):
    AreaCoordinatorFactory(welfare_area=area, user__email="left@example.org", user__is_active=False)
    second = AreaCoordinatorFactory(welfare_area=area, user__email="second@example.org").user
    person = UserFactory(email="founder@example.org")

    organisation = _register(person, area)

    rows = Notification.objects.filter(kind=REGISTRATION)
    assert sorted(rows.values_list("email", flat=True)) == [coordinator.email, second.email]
    assert {row.object_id for row in rows} == {organisation.pk}
    assert {row.user_id for row in rows} == {coordinator.pk, second.pk}


def test_a_coordinator_registering_an_organisation_is_not_told_of_it(area, coordinator):
    _register(coordinator, area)
    assert not Notification.objects.filter(kind=REGISTRATION).exists()


@pytest.mark.parametrize(
    ("language", "subject", "words"),
    [
        ("fi", "Uusi järjestö rekisteröityi: Vaasan Vertaistuki ry", "odottaa päätöstäsi kelpoisuudestaan"),
        ("sv", "Ny organisation registrerad: Vaasan Vertaistuki ry", "väntar på ditt beslut om behörighet"),
    ],
)
def test_the_registration_notice_is_in_the_coordinators_language_and_links_to_the_organisation(
    area, coordinator, language, subject, words
):
    coordinator.language = language
    coordinator.save()
    organisation = _register(UserFactory(), area)
    row = Notification.objects.get(kind=REGISTRATION)

    message = notification_kind(REGISTRATION).build(row, {})

    assert subject in message.subject
    assert words in message.body
    assert f"http://testserver/organisations/{organisation.pk}/" in message.body
    assert "http://testserver/organisations/review/" in message.body
    html = message.alternatives[0][0]
    assert f'href="http://testserver/organisations/{organisation.pk}/"' in html


def test_a_decided_registration_is_no_longer_told(area, coordinator):
    organisation = _register(UserFactory(), area)
    row = Notification.objects.get(kind=REGISTRATION)
    organisation.eligibility = "approved"
    organisation.save()
    assert notification_kind(REGISTRATION).build(row, {}) is None


def test_the_kind_may_be_turned_off_and_has_a_label():
    kind = notification_kind(REGISTRATION)
    assert not kind.always and str(kind.label)
