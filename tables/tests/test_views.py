"""The browser flows through the test client: public pages, coordinator pages, the representative's
request and the annual evaluation. Bad input is refused with a message and nothing is saved."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.tests.factories import UserFactory
from organisations.models import MembershipRole
from organisations.tests.factories import MembershipFactory, OrganisationFactory
from tables.models import (
    AnnualEvaluation,
    EvaluationResponse,
    EvaluationStatus,
    PartnershipTable,
    ProcessStep,
    ProcessTemplate,
    RoleAssignment,
    StandingMember,
    StandingMemberStatus,
    TableStatus,
)
from tables.tests.factories import (
    AnnualEvaluationFactory,
    PartnershipTableFactory,
    ProcessStepFactory,
    RoleAssignmentFactory,
    SectorFactory,
    StandingMemberFactory,
    role,
)

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def page_text(response) -> str:
    return response.content.decode()


def fi(message: str, plural: str | None = None, count: int = 1) -> str:
    """A message as a Finnish-speaking person sees it on a page (HTML-escaped), translated or not yet."""
    with translation.override("fi"):
        text = translation.ngettext(message, plural, count) if plural else translation.gettext(message)
    return escape(text)


# --- Public list, table page, process page -----------------------------------------------


def test_table_list_shows_public_tables_and_filters(client, table, private_table, sector, other_sector):
    other = PartnershipTableFactory(sector=other_sector, name="Lapin pöytä", name_fi="Lapin pöytä",
                                    status=TableStatus.PLANNED)
    response = client.get(reverse("tables:list"))
    assert response.status_code == 200
    text = page_text(response)
    assert table.name in text and other.name in text and private_table.name not in text
    filtered = page_text(client.get(reverse("tables:list"), {"welfare_area": sector.welfare_area_id}))
    assert table.name in filtered and other.name not in filtered
    filtered = page_text(client.get(reverse("tables:list"), {"status": "planned"}))
    assert table.name not in filtered and other.name in filtered
    filtered = page_text(client.get(reverse("tables:list"), {"sector": other_sector.pk}))
    assert table.name not in filtered and other.name in filtered
    assert client.get(reverse("tables:list"), {"status": "nonsense"}).status_code == 200


def test_table_list_is_paginated(client, sector, settings):
    settings.TABLES_PAGE_SIZE = 2
    for _ in range(5):
        PartnershipTableFactory(sector=sector)
    response = client.get(reverse("tables:list"), {"page": 3})
    assert len(response.context["page"].object_list) == 1
    assert 'rel="prev"' in page_text(response)


def test_table_page_shows_the_process_members_and_roles(client, table, standing_member, representative):
    ProcessStepFactory(table=table, position=1, role=role("coordinator"), what="Pyytää aiheita",
                       how="Sähköpostilla", when="8 viikkoa ennen")
    RoleAssignmentFactory(table=table, role=role("chair"), user=representative)
    response = client.get(reverse("tables:detail", args=[table.pk]))
    text = page_text(response)
    assert response.status_code == 200
    for expected in (table.purpose, table.sector.name, standing_member.organisation.name, "Pyytää aiheita",
                     "Sähköpostilla", "8 viikkoa ennen", str(representative), str(table.owner)):
        assert expected in text
    assert "<caption" in text and 'aria-labelledby="process-heading"' in text
    assert reverse("tables:process", args=[table.pk]) in text
    assert reverse("tables:edit", args=[table.pk]) not in text  # anonymous: no management links


def test_private_table_is_404_for_outsiders_and_shown_to_members(client, private_table, organisation, member,
                                                                  outsider):
    StandingMemberFactory(table=private_table, organisation=organisation)
    url = reverse("tables:detail", args=[private_table.pk])
    assert client.get(url).status_code == 404
    assert login(client, outsider).get(url).status_code == 404
    assert client.get(reverse("tables:process", args=[private_table.pk])).status_code == 404
    assert login(client, member).get(url).status_code == 200


def test_missing_table_is_404(client):
    assert client.get(reverse("tables:detail", args=[999999])).status_code == 404


def test_process_page_is_printable(client, table):
    ProcessStepFactory(table=table, position=1, what="Valmistelee esityslistan", role=role("chair"))
    response = client.get(reverse("tables:process", args=[table.pk]))
    text = page_text(response)
    assert response.status_code == 200
    assert "Valmistelee esityslistan" in text and role("chair").name in text
    assert "css/print.css" in text and 'media="print"' in text
    assert "data-print" in text and "js/print.js" in text
    assert "onclick" not in text and "<script>" not in text  # the CSP forbids inline scripts


# --- Query bounds -------------------------------------------------------------------------


def populate(table, size):
    for number in range(size):
        member = StandingMemberFactory(table=table)
        person = MembershipFactory(organisation=member.organisation).user
        member.representative = person
        member.save()
        ProcessStepFactory(table=table, position=number + 1)
        RoleAssignmentFactory(table=table, user=person)
    table.coordinators.add(*[UserFactory() for _ in range(min(size, 5))])


@pytest.mark.parametrize("size", [2, 30])
@pytest.mark.parametrize("persona", ["anonymous", "coordinator", "member"])
def test_table_page_query_count_does_not_grow(client, table, standing_member, size, persona, request,
                                              django_assert_max_num_queries):
    populate(table, size)
    AnnualEvaluationFactory(table=table)
    if persona != "anonymous":
        login(client, request.getfixturevalue(persona))
    # session + user (2), the table with coordinators, standing members, roles and steps (5),
    # the person's coordinated areas and memberships (2), the current evaluation (1), and
    # Django's model permissions of the person (2, asked once when a rule says no), the latest
    # messages for those who may read them (1), and the meetings section: coming meetings and
    # published minutes (2).
    with django_assert_max_num_queries(15):
        response = client.get(reverse("tables:detail", args=[table.pk]))
    assert response.status_code == 200
    assert page_text(response).count('class="card mb-2 process-step"') == size


@pytest.mark.parametrize("size", [2, 30])
def test_process_page_query_count_does_not_grow(client, table, size, django_assert_max_num_queries):
    populate(table, size)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("tables:process", args=[table.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 30])
def test_management_pages_query_count_does_not_grow(client, table, coordinator, size,
                                                    django_assert_max_num_queries):
    populate(table, size)
    login(client, coordinator)
    for name, bound in (("tables:standing_members", 14), ("tables:roles", 14), ("tables:steps", 14)):
        with django_assert_max_num_queries(bound):
            assert client.get(reverse(name, args=[table.pk])).status_code == 200


@pytest.mark.parametrize("size", [2, 30])
def test_table_list_query_count_does_not_grow(client, sector, size, django_assert_max_num_queries):
    for _ in range(size):
        populate(PartnershipTableFactory(sector=sector), 1)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("tables:list")).status_code == 200


# --- Who may open the management pages ----------------------------------------------------


def management_urls(table, standing_member, step, assignment, evaluation):
    return [
        ("get", reverse("tables:edit", args=[table.pk])),
        ("get", reverse("tables:standing_members", args=[table.pk])),
        ("get", reverse("tables:roles", args=[table.pk])),
        ("get", reverse("tables:steps", args=[table.pk])),
        ("get", reverse("tables:evaluations", args=[table.pk])),
        ("get", reverse("tables:step_edit", args=[step.pk])),
        ("get", reverse("tables:step_delete", args=[step.pk])),
        ("post", reverse("tables:step_move", args=[step.pk])),
        ("get", reverse("tables:standing_member_end", args=[standing_member.pk])),
        ("post", reverse("tables:standing_member_decide", args=[standing_member.pk])),
        ("post", reverse("tables:role_assignment_end", args=[assignment.pk])),
        ("post", reverse("tables:coordinator_add", args=[table.pk])),
        ("post", reverse("tables:evaluation_open", args=[evaluation.pk])),
        ("get", reverse("tables:evaluation_close", args=[evaluation.pk])),
        ("post", reverse("tables:evaluation_close", args=[evaluation.pk])),
        ("get", reverse("tables:evaluation_reopen", args=[evaluation.pk])),
        ("post", reverse("tables:evaluation_reopen", args=[evaluation.pk])),
        ("get", reverse("tables:evaluation_publish", args=[evaluation.pk])),
        ("post", reverse("tables:evaluation_publish", args=[evaluation.pk])),
        ("get", reverse("tables:role_assignment_end", args=[assignment.pk])),
        ("get", reverse("tables:evaluation_summary", args=[evaluation.pk])),
        ("get", reverse("tables:evaluation_export", args=[evaluation.pk])),
    ]


@pytest.fixture
def managed(table, standing_member):
    step = ProcessStepFactory(table=table)
    assignment = RoleAssignmentFactory(table=table)
    evaluation = AnnualEvaluationFactory(table=table)
    return table, standing_member, step, assignment, evaluation


@pytest.mark.parametrize(("persona", "status"), [
    ("other_coordinator", 403),  # a coordinator of another county cannot touch the table
    ("member", 403),  # can see the (public) table but not manage it
    ("representative", 403),
    ("outsider", 403),
])
def test_management_pages_refuse_people_without_the_right(client, managed, persona, status, request):
    login(client, request.getfixturevalue(persona))
    for method, url in management_urls(*managed):
        assert getattr(client, method)(url).status_code == status, url
    table = managed[0]
    table.refresh_from_db()
    assert ProcessStep.objects.filter(table=table).count() == 1
    assert AnnualEvaluation.objects.get(table=table).status == EvaluationStatus.OPEN


def test_management_pages_of_a_private_table(client, private_table, organisation, other_coordinator, outsider,
                                             member):
    member_row = StandingMemberFactory(table=private_table, organisation=organisation)
    urls = management_urls(private_table, member_row, ProcessStepFactory(table=private_table),
                           RoleAssignmentFactory(table=private_table), AnnualEvaluationFactory(table=private_table))
    # A coordinator of another county may not see the private table: 404, as for anyone outside it.
    for person, status in ((outsider, 404), (other_coordinator, 404), (member, 403)):
        login(client, person)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == status, (person, url)


def test_management_pages_send_anonymous_people_to_sign_in(client, managed):
    for method, url in management_urls(*managed):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"], url


def test_management_pages_open_for_the_coordinator_and_admin(client, managed, coordinator, admin_user):
    for person in (coordinator, admin_user):
        login(client, person)
        for method, url in management_urls(*managed):
            if method == "get":
                assert client.get(url).status_code == 200, url


def test_owner_manages_the_evaluation_only(client, managed, owner):
    table, _member, _step, _assignment, evaluation = managed
    login(client, owner)
    assert client.get(reverse("tables:evaluations", args=[table.pk])).status_code == 200
    assert client.get(reverse("tables:evaluation_summary", args=[evaluation.pk])).status_code == 200
    assert client.get(reverse("tables:edit", args=[table.pk])).status_code == 403


def test_create_page_is_for_coordinators(client, member):
    assert login(client, member).get(reverse("tables:create")).status_code == 403


# --- Creating and editing a table ---------------------------------------------------------


def test_coordinator_creates_a_table_with_the_template_steps(client, coordinator, sector, owner, other_sector):
    login(client, coordinator)
    response = client.get(reverse("tables:create"))
    sectors = list(response.context["form"].fields["sector"].queryset)
    assert sectors == [sector]  # only the sectors of the coordinator's counties
    template = ProcessTemplate.objects.get(is_default=True)
    response = client.post(reverse("tables:create"), {
        "sector": sector.pk, "name_fi": "Uusi kumppanuuspöytä", "name_sv": "Nytt partnerskapsbord",
        "purpose_fi": "Yhteistyö", "status": "active", "access": "open", "meeting_frequency": "4 kertaa vuodessa",
        "is_public": "on", "meeting_reminder_days": "2", "owner": owner.email.upper(),
        "copy_steps_from": f"template:{template.pk}",
    })
    table = PartnershipTable.objects.get(name_fi="Uusi kumppanuuspöytä")
    assert response.status_code == 302 and response["Location"] == reverse("tables:detail", args=[table.pk])
    assert table.owner == owner and table.access == "open" and table.name_sv == "Nytt partnerskapsbord"
    assert ProcessStep.objects.filter(table=table).count() == template.steps.count()
    assert coordinator in table.coordinators.all()


def test_create_refuses_a_sector_of_another_county_and_an_unknown_owner(client, coordinator, other_sector):
    login(client, coordinator)
    response = client.post(reverse("tables:create"), {
        "sector": other_sector.pk, "name_fi": "Vieras", "status": "active", "access": "members",
        "owner": "nobody@example.org",
    })
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "sector" in errors and "owner" in errors
    assert not PartnershipTable.objects.filter(name_fi="Vieras").exists()


def test_create_copies_steps_of_another_table(client, coordinator, sector, owner, table):
    ProcessStepFactory(table=table, position=1, what="Oma vaihe")
    login(client, coordinator)
    client.post(reverse("tables:create"), {
        "sector": sector.pk, "name_fi": "Kopioitu", "status": "planned", "access": "members",
        "owner": owner.email, "copy_steps_from": f"table:{table.pk}",
    })
    copy = PartnershipTable.objects.get(name_fi="Kopioitu")
    assert list(ProcessStep.objects.filter(table=copy).values_list("what", flat=True)) == ["Oma vaihe"]


def test_coordinator_edits_a_table(client, coordinator, table, owner):
    login(client, coordinator)
    response = client.get(reverse("tables:edit", args=[table.pk]))
    assert response.context["form"]["owner"].value() == owner.email
    response = client.post(reverse("tables:edit", args=[table.pk]), {
        "sector": table.sector_id, "name_fi": "Uusi nimi", "status": "paused", "access": "members",
        "owner": owner.email, "meeting_reminder_days": "",
    })
    assert response.status_code == 302
    table.refresh_from_db()
    assert table.name_fi == "Uusi nimi" and table.status == "paused" and table.meeting_reminder_days is None
    assert table.is_public is False  # an unticked box


def test_edit_refuses_an_owner_from_outside_the_county_on_the_field(client, coordinator, table, owner, outsider):
    login(client, coordinator)
    response = client.post(reverse("tables:edit", args=[table.pk]), {
        "sector": table.sector_id, "name_fi": "X", "status": "active", "access": "members", "owner": outsider.email,
    })
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    table.refresh_from_db()
    assert table.owner == owner


def test_edit_refuses_a_sector_of_another_county(client, coordinator, table, other_sector, owner):
    login(client, coordinator)
    response = client.post(reverse("tables:edit", args=[table.pk]), {
        "sector": other_sector.pk, "name_fi": "X", "status": "active", "access": "members", "owner": owner.email,
    })
    assert "sector" in response.context["form"].errors
    table.refresh_from_db()
    assert table.sector_id != other_sector.pk


# --- Standing members ---------------------------------------------------------------------


def test_coordinator_adds_a_standing_member(client, coordinator, table, organisation):
    login(client, coordinator)
    response = client.post(reverse("tables:standing_members", args=[table.pk]), {"organisation": organisation.pk})
    assert response.status_code == 302
    assert StandingMember.objects.get(table=table, organisation=organisation).status == StandingMemberStatus.ACTIVE


def test_an_organisation_not_approved_is_refused_with_a_message_on_the_field(client, coordinator, table,
                                                                             pending_organisation):
    login(client, coordinator)
    page = client.get(reverse("tables:standing_members", args=[table.pk]))
    assert f"{pending_organisation.name} ({fi('waiting for approval')})" in page_text(page)
    response = client.post(reverse("tables:standing_members", args=[table.pk]),
                           {"organisation": pending_organisation.pk})
    assert response.status_code == 400
    message = response.context["form"].errors["organisation"][0]
    assert pending_organisation.name in message
    assert escape(message) in page_text(response)
    assert not StandingMember.objects.filter(table=table).exists()


def test_coordinator_names_representative_and_substitute(client, coordinator, standing_member, representative,
                                                         member, outsider):
    login(client, coordinator)
    url = reverse("tables:standing_member_edit", args=[standing_member.pk])
    response = client.post(url, {"representative": outsider.pk, "substitute": representative.pk})
    assert response.status_code == 200 and "representative" in response.context["form"].errors
    response = client.post(url, {"representative": member.pk, "substitute": member.pk})
    assert "substitute" in response.context["form"].errors
    response = client.post(url, {"representative": member.pk, "substitute": representative.pk})
    assert response.status_code == 302
    standing_member.refresh_from_db()
    assert (standing_member.representative, standing_member.substitute) == (member, representative)


def test_the_organisations_representative_names_the_substitute(client, representative, member, standing_member,
                                                               outsider):
    login(client, representative)
    table_page = client.get(reverse("tables:detail", args=[standing_member.table_id]))
    url = reverse("tables:standing_member_edit", args=[standing_member.pk])
    assert url in page_text(table_page)
    response = client.post(url, {"representative": representative.pk, "substitute": member.pk})
    assert response.status_code == 302
    assert login(client, member).get(url).status_code == 403
    assert login(client, outsider).get(url).status_code == 403


def test_coordinator_ends_a_standing_membership_after_confirming(client, coordinator, standing_member):
    login(client, coordinator)
    url = reverse("tables:standing_member_end", args=[standing_member.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and standing_member.organisation.name in page_text(confirm)
    standing_member.refresh_from_db()
    assert standing_member.status == StandingMemberStatus.ACTIVE
    assert client.post(url).status_code == 302
    standing_member.refresh_from_db()
    assert standing_member.status == StandingMemberStatus.ENDED


def test_representative_requests_and_coordinator_approves(client, representative, coordinator, table, organisation,
                                                          django_capture_on_commit_callbacks):
    login(client, representative)
    page = client.get(reverse("tables:detail", args=[table.pk]))
    request_url = reverse("tables:request_membership", args=[table.pk])
    assert request_url in page_text(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(request_url, {"organisation": organisation.pk})
    assert response.status_code == 302
    member = StandingMember.objects.get(table=table, organisation=organisation)
    assert member.status == StandingMemberStatus.REQUESTED
    assert mail.outbox[-1].to == [coordinator.email]

    login(client, coordinator)
    decide = reverse("tables:standing_member_decide", args=[member.pk])
    response = client.post(decide, {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.status == StandingMemberStatus.REQUESTED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide, {"decision": "approve"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == StandingMemberStatus.ACTIVE and member.representative == representative
    assert mail.outbox[-1].to == [representative.email]


def test_representative_can_only_request_for_own_approved_organisation(client, representative, table,
                                                                       other_organisation):
    login(client, representative)
    response = client.post(reverse("tables:request_membership", args=[table.pk]),
                           {"organisation": other_organisation.pk})
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert not StandingMember.objects.exists()


def test_members_cannot_request_standing_membership(client, member, table):
    assert login(client, member).get(reverse("tables:request_membership", args=[table.pk])).status_code == 403


def test_request_page_when_every_organisation_is_already_a_member(client, representative, standing_member):
    response = login(client, representative).get(
        reverse("tables:request_membership", args=[standing_member.table_id])
    )
    assert response.status_code == 200 and not response.context["has_choices"]


def test_representative_of_a_pending_organisation_cannot_request(client, table, pending_organisation):
    person = MembershipFactory(organisation=pending_organisation, role=MembershipRole.REPRESENTATIVE).user
    login(client, person)
    response = client.post(reverse("tables:request_membership", args=[table.pk]),
                           {"organisation": pending_organisation.pk})
    assert "organisation" in response.context["form"].errors
    assert not StandingMember.objects.exists()


# --- Roles --------------------------------------------------------------------------------


def test_coordinator_adds_and_ends_a_role_holder(client, coordinator, table, member):
    login(client, coordinator)
    url = reverse("tables:roles", args=[table.pk])
    response = client.post(url, {"role": role("secretary").pk, "email": member.email, "valid_from": "2026-01-01"})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(table=table, user=member)
    response = client.post(reverse("tables:role_assignment_end", args=[assignment.pk]), {"valid_to": "2026-05-31"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.valid_to == datetime.date(2026, 5, 31)
    assert assignment.history.first().history_user == coordinator


def test_role_ending_before_it_starts_is_refused_on_the_field(client, coordinator, table, member):
    login(client, coordinator)
    response = client.post(reverse("tables:roles", args=[table.pk]), {
        "role": role("chair").pk, "email": member.email, "valid_from": "2026-03-01", "valid_to": "2026-02-01",
    })
    assert response.status_code == 400
    assert "valid_to" in response.context["form"].errors
    assert not RoleAssignment.objects.filter(table=table).exists()
    assignment = RoleAssignmentFactory(table=table, valid_from=datetime.date(2026, 3, 1))
    response = client.post(reverse("tables:role_assignment_end", args=[assignment.pk]), {"valid_to": "2026-01-01"},
                           follow=True)
    assert fi("The end date cannot be before the start date.") in page_text(response)
    assignment.refresh_from_db()
    assert assignment.valid_to is None


def test_role_holder_without_an_account_is_invited_to_sign_up(client, coordinator, table):
    login(client, coordinator)
    response = client.post(reverse("tables:roles", args=[table.pk]), {
        "role": role("chair").pk, "email": "Nobody@Example.org", "valid_from": "2026-03-01",
    }, follow=True)
    assignment = RoleAssignment.objects.get(table=table, role__slug="chair")
    assert (assignment.user, assignment.email, assignment.accepted_at) == (None, "nobody@example.org", None)
    assert fi("Invited to sign up") in page_text(response)
    response = client.post(reverse("tables:roles", args=[table.pk]), {
        "role": role("chair").pk, "email": "not an address", "valid_from": "2026-03-01",
    })
    assert response.status_code == 400 and "email" in response.context["form"].errors


def test_coordinator_adds_and_removes_a_coordinator(client, coordinator, table, organisation):
    colleague = UserFactory(email="colleague@example.org")
    MembershipFactory(user=colleague, organisation=organisation)  # a person of the county: named at once
    login(client, coordinator)
    response = client.post(reverse("tables:coordinator_add", args=[table.pk]), {"user": "COLLEAGUE@example.org"})
    assert response.status_code == 302 and table.coordinators.filter(pk=colleague.pk).exists()
    response = client.post(reverse("tables:coordinator_add", args=[table.pk]), {"user": "colleague@example.org"})
    assert response.status_code == 400 and "user" in response.context["coordinator_form"].errors
    response = client.post(reverse("tables:coordinator_remove", args=[table.pk, colleague.pk]))
    assert response.status_code == 302 and not table.coordinators.filter(pk=colleague.pk).exists()


# --- Process steps ------------------------------------------------------------------------


def test_coordinator_edits_the_process(client, coordinator, table):
    login(client, coordinator)
    url = reverse("tables:steps", args=[table.pk])
    for what in ("Kutsuu koolle", "Valmistelee esityslistan", "Kirjoittaa muistion"):
        response = client.post(
            url, {"role": role("coordinator").pk, "what_fi": what, "how_fi": "Näin", "when_fi": "Ajoissa"}
        )
        assert response.status_code == 302
    steps = list(ProcessStep.objects.filter(table=table).order_by("position"))
    assert [s.position for s in steps] == [1, 2, 3]
    client.post(reverse("tables:step_move", args=[steps[2].pk]), {"direction": "up"})
    assert list(ProcessStep.objects.filter(table=table).order_by("position").values_list("what", flat=True)) == [
        "Kutsuu koolle", "Kirjoittaa muistion", "Valmistelee esityslistan"
    ]
    response = client.post(reverse("tables:step_edit", args=[steps[0].pk]),
                           {"role": role("chair").pk, "what_fi": "Avaa kokouksen", "how_fi": "", "when_fi": ""})
    assert response.status_code == 302
    confirm = client.get(reverse("tables:step_delete", args=[steps[0].pk]))
    assert confirm.status_code == 200 and "Avaa kokouksen" in page_text(confirm)
    assert ProcessStep.objects.filter(pk=steps[0].pk).exists()
    client.post(reverse("tables:step_delete", args=[steps[0].pk]))
    assert list(ProcessStep.objects.filter(table=table).order_by("position").values_list("what", "position")) == [
        ("Kirjoittaa muistion", 1), ("Valmistelee esityslistan", 2)
    ]
    page = page_text(client.get(url))
    assert page.count('name="direction" value="up"') == 1 and page.count('name="direction" value="down"') == 1


def test_step_without_what_is_refused(client, coordinator, table):
    login(client, coordinator)
    response = client.post(reverse("tables:steps", args=[table.pk]), {"role": role("chair").pk, "what_fi": ""})
    assert response.status_code == 400 and "what_fi" in response.context["form"].errors
    assert not ProcessStep.objects.filter(table=table).exists()


def test_moving_a_step_with_a_bad_direction_changes_nothing(client, coordinator, table):
    step = ProcessStepFactory(table=table, position=1)
    login(client, coordinator)
    response = client.post(reverse("tables:step_move", args=[step.pk]), {"direction": "sideways"}, follow=True)
    assert fi("Move a step up or down.") in page_text(response)


def test_template_steps_cannot_be_edited_through_table_pages(client, coordinator):
    step = ProcessTemplate.objects.get(is_default=True).steps.first()
    login(client, coordinator)
    assert client.get(reverse("tables:step_edit", args=[step.pk])).status_code == 404


# --- Annual evaluation --------------------------------------------------------------------


def scale_field(evaluation):
    return f"question_{evaluation.template.questions.filter(kind='scale').first().pk}"


def answer_data(evaluation, scale="4", text="Enemmän yhteisiä tilaisuuksia"):
    return {f"question_{q.pk}": scale if q.kind == "scale" else text for q in evaluation.template.questions.all()}


def test_coordinator_schedules_an_evaluation(client, coordinator, table):
    login(client, coordinator)
    url = reverse("tables:evaluations", args=[table.pk])
    form = client.get(url).context["form"]
    assert form["opens_on"].value() is not None and form["template"].value() is not None
    response = client.post(url, {"year": "2027", "template": form["template"].value(), "opens_on": "2027-11-01",
                                 "due_on": "2027-12-01"})
    assert response.status_code == 302
    assert AnnualEvaluation.objects.get(table=table, year=2027).status == EvaluationStatus.SCHEDULED


def test_evaluation_due_before_opening_is_refused(client, coordinator, table):
    login(client, coordinator)
    url = reverse("tables:evaluations", args=[table.pk])
    template = client.get(url).context["form"]["template"].value()
    response = client.post(url, {"year": "2027", "template": template, "opens_on": "2027-11-01",
                                 "due_on": "2027-10-01"})
    assert response.status_code == 400
    assert "due_on" in response.context["form"].errors
    assert fi("The due date cannot be before the opening date.") in page_text(response)
    assert not AnnualEvaluation.objects.exists()
    response = client.post(url, {"year": "1999", "template": template, "opens_on": "1999-11-01",
                                 "due_on": "1999-12-01"})
    assert "year" in response.context["form"].errors


def test_coordinator_opens_and_closes_an_evaluation(client, coordinator, table, standing_member,
                                                    django_capture_on_commit_callbacks):
    evaluation = AnnualEvaluationFactory(table=table, status=EvaluationStatus.SCHEDULED)
    login(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("tables:evaluation_open", args=[evaluation.pk]))
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.OPEN and len(mail.outbox) == 4
    client.post(reverse("tables:evaluation_close", args=[evaluation.pk]))
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.CLOSED
    response = client.post(reverse("tables:evaluation_close", args=[evaluation.pk]), follow=True)
    assert fi("The evaluation is already closed.") in page_text(response)


def test_standing_member_answers_with_radio_buttons_and_changes_the_answers(client, member, evaluation):
    login(client, member)
    url = reverse("tables:evaluation_answer", args=[evaluation.pk])
    page = page_text(client.get(url))
    assert page.count('type="radio"') == 15 and "<fieldset" in page and "<legend" in page
    assert client.post(url, answer_data(evaluation, scale="5")).status_code == 302
    assert client.post(url, answer_data(evaluation, scale="2")).status_code == 302
    response = EvaluationResponse.objects.get(evaluation=evaluation, respondent=member)
    assert set(response.answers.exclude(scale_value=None).values_list("scale_value", flat=True)) == {2}
    assert client.get(url).context["form"][scale_field(evaluation)].value() == 2


@pytest.mark.parametrize("value", ["0", "6", "", "abc"])
def test_answers_outside_the_scale_are_refused_and_nothing_is_saved(client, member, evaluation, value):
    login(client, member)
    data = answer_data(evaluation)
    data[scale_field(evaluation)] = value
    response = client.post(reverse("tables:evaluation_answer", args=[evaluation.pk]), data)
    assert response.status_code == 400
    assert scale_field(evaluation) in response.context["form"].errors
    assert not EvaluationResponse.objects.exists()


def test_people_outside_the_table_cannot_answer(client, evaluation, outsider, owner):
    url = reverse("tables:evaluation_answer", args=[evaluation.pk])
    for person in (outsider, owner):
        login(client, person)
        assert client.get(url).status_code == 403
        assert client.post(url, answer_data(evaluation)).status_code == 403
    assert not EvaluationResponse.objects.exists()


def test_outsiders_get_404_for_the_evaluation_of_a_private_table(client, private_table, outsider):
    evaluation = AnnualEvaluationFactory(table=private_table)
    login(client, outsider)
    for name in ("tables:evaluation_answer", "tables:evaluation_summary", "tables:evaluation_export"):
        assert client.get(reverse(name, args=[evaluation.pk])).status_code == 404
    assert client.post(reverse("tables:evaluation_answer", args=[evaluation.pk]),
                       answer_data(evaluation)).status_code == 404
    assert not EvaluationResponse.objects.exists()


def test_closed_evaluation_is_not_answered(client, member, evaluation):
    evaluation.status = EvaluationStatus.CLOSED
    evaluation.save()
    login(client, member)
    url = reverse("tables:evaluation_answer", args=[evaluation.pk])
    response = client.post(url, answer_data(evaluation))
    assert response.status_code == 200
    assert fi("The evaluation is closed. Thank you to everyone who answered.") in page_text(response)
    assert not EvaluationResponse.objects.exists()


def test_summary_and_csv_export(client, coordinator, representative, member, table, standing_member):
    last_year = AnnualEvaluationFactory(table=table, year=2025, status=EvaluationStatus.CLOSED,
                                        opens_on=datetime.date(2025, 11, 1), due_on=datetime.date(2025, 12, 1))
    evaluation = AnnualEvaluationFactory(table=table, year=2026, opens_on=datetime.date(2026, 11, 1),
                                         due_on=datetime.date(2026, 12, 1))
    from tables import services

    answers = {q.pk: (2 if q.kind == "scale" else "") for q in last_year.template.questions.all()}
    last_year.status = EvaluationStatus.OPEN
    last_year.save()
    services.evaluation_respond(respondent=member, evaluation=last_year, answers=answers)
    for person, scale, text in ((representative, 5, "=HYPERLINK(\"x\")"), (member, 4, "Toimi hyvin")):
        login(client, person)
        client.post(reverse("tables:evaluation_answer", args=[evaluation.pk]),
                    answer_data(evaluation, scale=str(scale), text=text))
    login(client, coordinator)
    response = client.get(reverse("tables:evaluation_summary", args=[evaluation.pk]))
    text = page_text(response)
    assert response.status_code == 200
    assert "4.50" in text or "4,50" in text
    assert "+2.50" in text or "+2,50" in text
    assert "Toimi hyvin" in text and str(representative) not in text  # free text without names
    export = client.get(reverse("tables:evaluation_export", args=[evaluation.pk]))
    assert export["Content-Type"].startswith("text/csv")
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    lines = content.strip().splitlines()
    assert len(lines) == 3 and str(member) in content
    assert "'=HYPERLINK" in content  # formulas are written as text


def test_members_do_not_see_the_summary(client, member, evaluation):
    login(client, member)
    assert client.get(reverse("tables:evaluation_summary", args=[evaluation.pk])).status_code == 403
    assert client.get(reverse("tables:evaluation_export", args=[evaluation.pk])).status_code == 403


# --- My tables ----------------------------------------------------------------------------


def test_my_tables(client, coordinator, member, table, standing_member, sector, owner):
    other = PartnershipTableFactory(sector=SectorFactory(), owner=owner)
    StandingMemberFactory(table=table, organisation=OrganisationFactory(), status=StandingMemberStatus.REQUESTED)
    evaluation = AnnualEvaluationFactory(table=table)
    login(client, coordinator)
    response = client.get(reverse("tables:mine"))
    assert [t.pk for t in response.context["tables"]] == [table.pk]
    assert response.context["tables"][0].request_count == 1
    requests = fi("%(counter)s membership request", "%(counter)s membership requests", 1) % {"counter": 1}
    assert requests in page_text(response)
    login(client, member)
    response = client.get(reverse("tables:mine"))
    assert [t.pk for t in response.context["tables"]] == [table.pk]
    assert [e.pk for e in response.context["evaluations"]] == [evaluation.pk]
    login(client, owner)
    assert {t.pk for t in client.get(reverse("tables:mine")).context["tables"]} == {table.pk, other.pk}


def test_nav_links_to_the_tables(client):
    assert reverse("tables:list") in page_text(client.get(reverse("home")))


# --- Sectors ------------------------------------------------------------------------------


def test_coordinator_adds_and_edits_a_sector(client, coordinator, area, other_area, owner):
    login(client, coordinator)
    url = reverse("tables:sectors")
    assert client.get(url).status_code == 200
    response = client.post(url, {"welfare_area": other_area.pk, "name_fi": "Vieras toimiala"})
    assert response.status_code == 400 and "welfare_area" in response.context["form"].errors
    response = client.post(url, {"welfare_area": area.pk, "name_fi": "Koti- ja asumispalvelut",
                                 "name_sv": "Hem- och boendetjänster", "director": owner.email})
    assert response.status_code == 302
    from tables.models import Sector

    sector = Sector.objects.get(name_fi="Koti- ja asumispalvelut")
    assert sector.welfare_area == area and sector.director == owner
    response = client.post(reverse("tables:sector_edit", args=[sector.pk]),
                           {"name_fi": "Kotipalvelut", "name_sv": "Hemtjänster", "director": ""})
    assert response.status_code == 302
    sector.refresh_from_db()
    assert (sector.name_fi, sector.director) == ("Kotipalvelut", None)


def test_sector_pages_refuse_people_without_the_right(client, member, other_coordinator, sector):
    assert login(client, member).get(reverse("tables:sectors")).status_code == 403
    assert login(client, other_coordinator).get(reverse("tables:sector_edit", args=[sector.pk])).status_code == 403


def test_named_coordinator_from_another_county_edits_the_table(client, other_coordinator, table, owner):
    table.coordinators.add(other_coordinator)
    login(client, other_coordinator)
    response = client.post(reverse("tables:edit", args=[table.pk]), {
        "sector": table.sector_id, "name_fi": "Yhteinen pöytä", "status": "active", "access": "members",
        "owner": owner.email, "is_public": "on",
    })
    assert response.status_code == 302
    table.refresh_from_db()
    assert table.name_fi == "Yhteinen pöytä"


# --- Nothing irreversible with one click ---------------------------------------------------


def test_closing_an_evaluation_asks_first(client, coordinator, evaluation):
    login(client, coordinator)
    evaluations_page = page_text(client.get(reverse("tables:evaluations", args=[evaluation.table_id])))
    url = reverse("tables:evaluation_close", args=[evaluation.pk])
    # The list links to the confirmation page; no form posts straight to closing.
    assert f'href="{url}"' in evaluations_page and f'action="{url}"' not in evaluations_page
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert fi("You can reopen it later, until you publish its results.") in page_text(confirm)
    assert 'method="post"' in page_text(confirm)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.OPEN
    assert client.post(url).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.CLOSED


def test_ending_a_role_asks_first_with_the_chosen_day(client, coordinator, table, member):
    assignment = RoleAssignmentFactory(table=table, user=member, valid_from=datetime.date(2026, 1, 1))
    login(client, coordinator)
    roles_page = page_text(client.get(reverse("tables:roles", args=[table.pk])))
    url = reverse("tables:role_assignment_end", args=[assignment.pk])
    assert f'action="{url}"' in roles_page and 'method="get"' in roles_page
    confirm = client.get(url, {"valid_to": "2026-05-31"})
    assert confirm.status_code == 200
    assert 'value="2026-05-31"' in page_text(confirm) and escape(str(member)) in page_text(confirm)
    assignment.refresh_from_db()
    assert assignment.valid_to is None
    assert client.post(url, {"valid_to": "2026-05-31"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.valid_to == datetime.date(2026, 5, 31)


def test_ending_a_role_with_a_bad_day_shows_the_error_on_the_field(client, coordinator, table):
    assignment = RoleAssignmentFactory(table=table, valid_from=datetime.date(2026, 3, 1))
    login(client, coordinator)
    response = client.post(reverse("tables:role_assignment_end", args=[assignment.pk]), {"valid_to": "not a day"})
    assert response.status_code == 400 and "valid_to" in response.context["form"].errors
    assignment.refresh_from_db()
    assert assignment.valid_to is None


def test_coordinator_reopens_a_closed_evaluation_after_confirming(client, coordinator, evaluation):
    evaluation.status = EvaluationStatus.CLOSED
    evaluation.save()
    login(client, coordinator)
    evaluations_page = page_text(client.get(reverse("tables:evaluations", args=[evaluation.table_id])))
    url = reverse("tables:evaluation_reopen", args=[evaluation.pk])
    assert f'href="{url}"' in evaluations_page
    confirm = client.get(url)
    assert confirm.status_code == 200 and 'name="due_on"' in page_text(confirm)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.CLOSED
    past = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
    response = client.post(url, {"due_on": past})
    assert response.status_code == 400
    assert fi("The new due date cannot be in the past.") in page_text(response)
    due = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    assert client.post(url, {"due_on": due}).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.OPEN and evaluation.due_on.isoformat() == due


def test_published_results_are_final_and_shown_to_the_table_people(client, coordinator, member, outsider, evaluation):
    summary = reverse("tables:evaluation_summary", args=[evaluation.pk])
    export = reverse("tables:evaluation_export", args=[evaluation.pk])
    evaluation.status = EvaluationStatus.CLOSED
    evaluation.save()
    # Before publishing, the summary is for those who run the evaluation only.
    assert login(client, member).get(summary).status_code == 403
    login(client, coordinator)
    publish = reverse("tables:evaluation_publish", args=[evaluation.pk])
    confirm = client.get(publish)
    assert confirm.status_code == 200
    assert fi("This cannot be undone: after publishing, the evaluation cannot be reopened.") in page_text(confirm)
    evaluation.refresh_from_db()
    assert evaluation.results_published_at is None
    assert client.post(publish).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.results_published_at is not None
    evaluations_page = page_text(client.get(reverse("tables:evaluations", args=[evaluation.table_id])))
    assert reverse("tables:evaluation_reopen", args=[evaluation.pk]) not in evaluations_page
    response = client.post(reverse("tables:evaluation_reopen", args=[evaluation.pk]),
                           {"due_on": (datetime.date.today() + datetime.timedelta(days=10)).isoformat()})
    assert response.status_code == 400
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.CLOSED
    # Now the standing members read the summary (without names), from the table page; not the CSV with names.
    login(client, member)
    assert summary in page_text(client.get(reverse("tables:detail", args=[evaluation.table_id])))
    page = client.get(summary)
    assert page.status_code == 200 and export not in page_text(page)
    assert client.get(export).status_code == 403
    assert login(client, outsider).get(summary).status_code == 403


def test_table_page_shows_a_pending_standing_membership_request_instead_of_the_offer(
    client, representative, table, organisation
):
    login(client, representative)
    request_url = reverse("tables:request_membership", args=[table.pk])
    assert request_url in page_text(client.get(reverse("tables:detail", args=[table.pk])))
    client.post(request_url, {"organisation": organisation.pk})
    page = page_text(client.get(reverse("tables:detail", args=[table.pk])))
    assert request_url not in page
    assert fi(
        "%(name)s has asked for standing membership of this table. A coordinator decides; you will get an e-mail."
    ) % {"name": escape(organisation.name)} in page
