"""Admins edit process roles, assignments, steps and standing members; every change is in the audit history."""

import datetime

import pytest
from django.urls import reverse

from tables.models import ProcessRole, RoleAssignment
from tables.tests.factories import (
    AnnualEvaluationFactory,
    ProcessStepFactory,
    RoleAssignmentFactory,
    role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def form_data(response) -> dict:
    """The data the admin change page would post back unchanged: the main form and every inline."""
    data = {}

    def add(form):
        for field in form:
            value = field.value()
            if value is None:
                continue
            if isinstance(value, (list, tuple)):
                data[field.html_name] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, (datetime.date, datetime.datetime)):
                data[field.html_name] = value.isoformat()
            else:
                data[field.html_name] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{formset.prefix}-{name}"] = management[name].value()
        for form in formset.initial_forms:
            add(form)
    return data


def test_changing_a_process_role_in_the_admin_is_recorded_with_the_admin(admin_client, admin_user):
    chair = role("chair")
    url = reverse("admin:tables_processrole_change", args=[chair.pk])
    data = form_data(admin_client.get(url))
    data.update(name_sv="Ordförande (roterande)", description_fi="Kiertävä puheenjohtaja valmistelee esityslistan.")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    chair.refresh_from_db()
    assert chair.name_sv == "Ordförande (roterande)"
    record = chair.history.first()
    assert record.history_user == admin_user
    assert record.name_sv == "Ordförande (roterande)"  # every language is in the history
    assert record.history_type == "~" and record.description_fi.startswith("Kiertävä")
    # A second change can be compared with the first, field by field.
    data.update(name_en="Rotating chair")
    admin_client.post(url, data)
    latest = chair.history.first()
    assert [change.field for change in latest.diff_against(latest.prev_record).changes] == ["name_en"]
    history = admin_client.get(reverse("admin:tables_processrole_history", args=[chair.pk]))
    assert history.status_code == 200
    assert admin_user.email in history.content.decode() or str(admin_user) in history.content.decode()


def test_changing_a_role_assignment_in_the_admin_is_recorded_with_the_admin(admin_client, admin_user, table, member):
    assignment = RoleAssignmentFactory(table=table, role=role("secretary"), user=member,
                                       valid_from=datetime.date(2026, 1, 1))
    url = reverse("admin:tables_roleassignment_change", args=[assignment.pk])
    data = form_data(admin_client.get(url))
    data["valid_to"] = "2026-06-30"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.valid_to == datetime.date(2026, 6, 30)
    assert assignment.history.first().history_user == admin_user
    assert admin_client.get(reverse("admin:tables_roleassignment_history", args=[assignment.pk])).status_code == 200


def test_admin_refuses_an_assignment_ending_before_it_starts(admin_client, table, member):
    assignment = RoleAssignmentFactory(table=table, valid_from=datetime.date(2026, 3, 1))
    url = reverse("admin:tables_roleassignment_change", args=[assignment.pk])
    data = form_data(admin_client.get(url))
    data["valid_to"] = "2026-02-01"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "valid_to" in response.context["adminform"].form.errors
    assignment.refresh_from_db()
    assert assignment.valid_to is None


def test_assignments_steps_and_members_edited_inline_on_the_table_are_recorded(
    admin_client, admin_user, table, standing_member, member
):
    assignment = RoleAssignmentFactory(table=table, role=role("chair"), user=member,
                                       valid_from=datetime.date(2026, 1, 1))
    step = ProcessStepFactory(table=table, position=1, what="Kutsuu koolle")
    url = reverse("admin:tables_partnershiptable_change", args=[table.pk])
    data = form_data(admin_client.get(url))
    prefixes = {}
    for key, value in data.items():
        if key.endswith("-id") and value:
            prefixes[int(value)] = key[: -len("-id")]
    data[f"{prefixes[assignment.pk]}-valid_to"] = "2026-12-31"
    data[f"{prefixes[step.pk]}-when_fi"] = "10 viikkoa ennen"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and [
        f.errors for f in response.context["inline_admin_formsets"]
    ]
    assert assignment.history.first().history_user == admin_user
    assert assignment.history.first().valid_to == datetime.date(2026, 12, 31)
    assert step.history.first().history_user == admin_user and step.history.first().when_fi == "10 viikkoa ennen"


def test_standing_member_changed_in_the_admin_is_recorded(admin_client, admin_user, standing_member):
    url = reverse("admin:tables_standingmember_change", args=[standing_member.pk])
    data = form_data(admin_client.get(url))
    data["status"] = "ended"
    assert admin_client.post(url, data).status_code == 302
    assert standing_member.history.first().history_user == admin_user
    assert standing_member.history.first().status == "ended"


@pytest.mark.parametrize(
    "name",
    [
        "processrole", "partnershiptable", "roleassignment", "standingmember", "processstep", "sector",
        "processtemplate", "evaluationtemplate", "annualevaluation", "evaluationreminder",
    ],
)
def test_admin_lists_search_and_filter(admin_client, name, evaluation, standing_member):
    url = reverse(f"admin:tables_{name}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "kumppanuus"}).status_code == 200


def test_admin_change_pages_open(admin_client, table, evaluation):
    template = evaluation.template
    for url in [
        reverse("admin:tables_partnershiptable_change", args=[table.pk]),
        reverse("admin:tables_processrole_add"),
        reverse("admin:tables_evaluationtemplate_change", args=[template.pk]),
        reverse("admin:tables_processtemplate_change", args=[1]),
        reverse("admin:tables_sector_change", args=[table.sector_id]),
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_annual_evaluation_admin_links_to_the_summary(admin_client, table):
    evaluation = AnnualEvaluationFactory(table=table)
    response = admin_client.get(reverse("admin:tables_annualevaluation_change", args=[evaluation.pk]))
    assert reverse("tables:evaluation_summary", args=[evaluation.pk]) in response.content.decode()


def test_role_identifier_cannot_be_changed_in_the_admin(admin_client):
    chair = role("chair")
    url = reverse("admin:tables_processrole_change", args=[chair.pk])
    data = form_data(admin_client.get(url))
    data["slug"] = "puheenjohtaja"
    admin_client.post(url, data)
    assert ProcessRole.objects.filter(slug="chair").exists()
    assert RoleAssignment.objects.count() == 0
