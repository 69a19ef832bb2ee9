"""The audit history in the app (issue 13), in Finnish: the table's coordinator opens the table's
history from its page and sees who changed what, from → to, and filters it to the process roles;
then the history of an organisation's eligibility decision. Every page is checked with axe-core.

The county, its organisations and the table are those of the table journeys (their fixtures).
"""

import re

from django.utils import translation
from playwright.sync_api import expect

from e2e.helpers import label, t
from e2e.test_journeys_tables_meetings import (  # noqa: F401  (people and table are fixtures)
    FI,
    _check,
    _heading,
    _signed_in_page,
    people,
    table,
)


def _history_link_text() -> str:
    with translation.override(FI):
        return translation.pgettext("audit history", "History")


def _from_to(old: str, new: str) -> re.Pattern:
    """A change as the page reads it: the old value, an arrow (and "to" for screen readers), the new."""
    return re.compile(rf"{re.escape(old)}\s*→.{{0,30}}{re.escape(new)}")


def test_journey_coordinator_reads_the_history_of_a_table_and_of_an_eligibility_decision(
    new_context, people, table  # noqa: F811
):
    from accounts.tests.factories import UserFactory
    from kumppanuus.history import history_baselines_create_all
    from organisations.models import Eligibility
    from organisations.services import organisation_decide_eligibility
    from organisations.tests.factories import OrganisationFactory
    from tables import services
    from tables.models import ProcessRole, RoleAssignment, RoleSlug

    # The browser tests' flush empties the history of the seeded roles; the baseline puts it back,
    # as migration 0008 and create_history_baselines do.
    history_baselines_create_all()
    admin = UserFactory(email="yllapito@example.org", full_name="Aino Ylläpitäjä", is_staff=True, is_superuser=True)
    secretary = ProcessRole.objects.get(slug=RoleSlug.SECRETARY)
    old_name = secretary.name_fi
    secretary.name_fi = "Muistion kirjoittaja"
    secretary._history_user = admin
    secretary.save()
    eevas = RoleAssignment.objects.get(table=table, user=people.eeva)
    services.role_assignment_end(actor=people.coordinator, assignment=eevas)
    applicant = OrganisationFactory(name="Vaasan Vertaistuki ry", welfare_area=people.area,
                                    eligibility=Eligibility.PENDING)
    organisation_decide_eligibility(actor=people.coordinator, organisation=applicant, approve=True)

    page = _signed_in_page(new_context, people.coordinator)
    main = page.get_by_role("main")
    page.goto(f"/tables/{table.pk}/")
    main.get_by_role("navigation", name=t(FI, "Table management")).get_by_role(
        "link", name=_history_link_text(), exact=True
    ).click()
    expect(_heading(page)).to_have_text(t(FI, "History: %(name)s", name=table.name_fi))
    history = main.get_by_role("region", name=t(FI, "Changes to the table, newest first"))
    ended = history.get_by_role("row").filter(has_text=people.eeva.full_name).filter(
        has_text=people.coordinator.full_name
    )
    expect(ended).to_have_count(1)
    expect(ended).to_contain_text(label(FI, "valid to"))
    _check(page, "table-history")

    main.get_by_role("link", name=t(FI, "Process roles"), exact=True).click()
    renamed = history.get_by_role("row").filter(has_text=admin.full_name)
    expect(renamed).to_have_count(1)
    expect(renamed).to_contain_text(_from_to(old_name, "Muistion kirjoittaja"))
    _check(page, "table-history-process-roles")

    page.goto(f"/organisations/{applicant.pk}/")
    main.get_by_role("link", name=_history_link_text(), exact=True).click()
    decisions = main.get_by_role("region", name=t(FI, "Eligibility decisions, newest first"))
    decided = decisions.get_by_role("row").filter(has_text=people.coordinator.full_name)
    expect(decided).to_have_count(1)
    expect(decided).to_contain_text(
        _from_to(t(FI, "Waiting for approval"), t(FI, "Approved"))
    )
    _check(page, "organisation-history")
