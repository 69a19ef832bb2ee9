"""An organisation's audit history (issue 13): its eligibility decisions, who and when, from → to."""

import pytest
from django.urls import reverse
from django.utils import translation

from organisations.models import Eligibility
from organisations.selectors import organisation_history_page
from organisations.services import organisation_decide_eligibility, organisation_update
from organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(area):
    return OrganisationFactory(name="Odottava ry", welfare_area=area, eligibility=Eligibility.PENDING)


def entries(organisation, *, everything=False, language="fi"):
    with translation.override(language):
        return list(organisation_history_page(organisation, everything=everything, page_number=1).object_list)


def test_a_decision_shows_who_and_the_eligibility_from_and_to_in_finnish_and_swedish(pending, coordinator):
    organisation_decide_eligibility(actor=coordinator, organisation=pending, approve=False, reason="Ei sote-alaa.")
    for language, labels in (
        ("fi", ("Kelpoisuus", "Odottaa hyväksyntää", "Hylätty", "Päätöksen perustelu")),
        ("sv", ("Behörighet", "Väntar på godkännande", "Avslagen", "Motivering till beslutet")),
    ):
        decision, registered = entries(pending, language=language)
        assert decision.who == str(coordinator)
        changes = {change.label: (change.old, change.new) for change in decision.changes}
        assert changes[labels[0]][0] == labels[1]
        assert changes[labels[0]][1] == labels[2]
        assert changes[labels[3]] == ("–", "Ei sote-alaa.")
        assert registered.is_creation


def test_profile_edits_are_shown_only_with_every_change(pending, coordinator):
    organisation_decide_eligibility(actor=coordinator, organisation=pending, approve=True)
    pending.refresh_from_db()
    organisation_update(actor=coordinator, organisation=pending, data={"name": "Uusi nimi ry"})
    decisions = entries(pending)
    assert len(decisions) == 2 and all("Nimi" not in [c.label for c in e.changes] for e in decisions)
    everything = entries(pending, everything=True)
    assert len(everything) == 3
    assert [(c.label, c.old, c.new) for c in everything[0].changes] == [("Nimi", "Odottava ry", "Uusi nimi ry")]


def test_the_page_and_the_link_are_for_the_countys_coordinators_and_admins(
    client, organisation, coordinator, other_coordinator, representative, admin_user,
):
    url = reverse("organisations:history", args=[organisation.pk])
    detail = reverse("organisations:detail", args=[organisation.pk])
    for person, status in ((coordinator, 200), (admin_user, 200), (representative, 403), (other_coordinator, 403)):
        client.force_login(person)
        assert client.get(url).status_code == status, person
        assert (url in client.get(detail).content.decode()) is (status == 200)


@pytest.mark.parametrize("size", [2, 20])
def test_the_history_page_asks_a_fixed_number_of_queries(client, pending, coordinator, size,
                                                         django_assert_max_num_queries):
    for n in range(size):
        organisation_decide_eligibility(actor=coordinator, organisation=pending, approve=bool(n % 2), reason=f"{n}")
    client.force_login(coordinator)
    url = reverse("organisations:history", args=[pending.pk])
    # session and user, the organisation (themes, municipalities), the coordinator's counties, the
    # navigation's counts of what waits for the coordinator,
    # count and the page of the history, the records, the names of the people.
    with django_assert_max_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == size + 1
    with django_assert_max_num_queries(12):  # the profile's county is named too
        assert client.get(url + "?all=1").status_code == 200
