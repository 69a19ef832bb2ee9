"""A table's audit history in the app (issue 13): who, when (Helsinki time), from → to, translated;
baselines for rows made without history; the page's permissions and query bounds."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.tests.factories import UserFactory
from kumppanuus.history import BASELINE_REASON, history_baselines_create
from tables import services
from tables.models import ProcessRole, RoleAssignment, StandingMemberStatus
from tables.selectors import table_history_page
from tables.tests.factories import ProcessStepFactory, RoleAssignmentFactory, StandingMemberFactory, role

pytestmark = pytest.mark.django_db


def entries(table, kind=None, language="fi"):
    with translation.override(language):
        return list(table_history_page(table, kind=kind, page_number=1).object_list)


def test_a_changed_end_date_shows_from_and_to_with_the_person_and_helsinki_time(table, coordinator):
    holder = UserFactory(full_name="Helmi Hoitaja")
    assignment = RoleAssignmentFactory(table=table, user=holder, valid_from=datetime.date(2026, 1, 1))
    services.role_assignment_end(actor=coordinator, assignment=assignment, valid_to=datetime.date(2026, 12, 31))
    # Pin the moment: 10.15 UTC on 15 June is 13.15 in Helsinki (summer time).
    RoleAssignment.history.filter(id=assignment.pk, history_type="+").update(
        history_date=datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC)
    )
    RoleAssignment.history.filter(id=assignment.pk, history_type="~").update(
        history_date=datetime.datetime(2026, 6, 15, 10, 15, tzinfo=datetime.UTC)
    )
    change, created = entries(table, "roles")
    assert change.who == str(coordinator) and change.action == "Muutettu"
    assert change.subject == f"{ProcessRole.objects.get(slug='chair').name_fi} – Helmi Hoitaja"
    assert [(c.label, c.old, c.new) for c in change.changes] == [("Päättyen", "–", "31.12.2026")]
    assert created.action == "Luotu" and created.who == "järjestelmä"

    with translation.override("fi"):
        body = _page(table, coordinator)
    assert "15.6.2026 13.15" in body
    assert '<time datetime="2026-06-15T13:15:00+03:00">' in body
    assert "31.12.2026" in body


def _page(table, user, query=""):
    from django.test import Client

    client = Client()
    client.force_login(user)
    response = client.get(reverse("tables:history", args=[table.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_choices_are_shown_by_their_translated_labels_in_finnish_and_swedish(table, coordinator, organisation):
    member = StandingMemberFactory(table=table, organisation=organisation, status=StandingMemberStatus.REQUESTED)
    services.standing_member_decide(actor=coordinator, standing_member=member, approve=True)
    for language, expected in (("fi", ("Haettu", "Vakituinen jäsen")), ("sv", ("Ansökt", "Ständig medlem"))):
        decided = entries(table, "members", language)[0]
        status = next(c for c in decided.changes if c.new == expected[1])
        assert status.old == expected[0]
        assert decided.subject == organisation.name
        who = next(c for c in decided.changes if c.old == "–" and c.new == str(coordinator))
        assert who.label == {"fi": "Päättäjä", "sv": "Beslutad av"}[language]


def test_foreign_keys_are_shown_by_name(table, coordinator):
    assignment = RoleAssignmentFactory(table=table, role=role("chair"))
    assignment.role = role("secretary")
    assignment._history_user = coordinator
    assignment.save()
    with translation.override("sv"):
        change = entries(table, "roles", "sv")[0]
    roles = next(c for c in change.changes if c.label == "Roll")
    assert (roles.old, roles.new) == (str(ProcessRole.objects.get(slug="chair").name_sv),
                                       str(ProcessRole.objects.get(slug="secretary").name_sv))


def test_process_roles_the_table_uses_are_in_its_history_and_others_are_not(table, admin_user):
    RoleAssignmentFactory(table=table, role=role("chair"))
    ProcessStepFactory(table=table, role=role("coordinator"))
    for slug in ("chair", "experience-expert"):
        process_role = ProcessRole.objects.get(slug=slug)
        process_role.name_sv = f"Ny {slug}"
        process_role._history_user = admin_user
        process_role.save()
    changed = [e for e in entries(table, "process_roles", "sv") if e.action_code == "~"]
    assert len(changed) == 1
    assert changed[0].who == str(admin_user)
    assert changed[0].subject == "Ny chair"
    assert [c.new for c in changed[0].changes] == ["Ny chair"]
    assert changed[0].changes[0].label == "Namn [sv]"


def test_the_seeded_process_roles_have_a_baseline(db):
    """Migration 0002 seeds the roles without history; 0008 gave them their baseline."""
    for process_role in ProcessRole.objects.all():
        assert process_role.history.exists(), process_role.slug
    chair = ProcessRole.objects.get(slug="chair")
    if chair.history.filter(history_change_reason=BASELINE_REASON).exists():
        assert chair.history.earliest().history_type == "+"


def test_the_baseline_migration_gives_rows_without_history_a_first_record(db):
    import importlib

    from django.apps import apps

    ProcessRole.objects.bulk_create([ProcessRole(slug="seeded", name="Siemen", name_fi="Siemen", position=99)])
    seeded = ProcessRole.objects.get(slug="seeded")
    assert not seeded.history.exists()
    importlib.import_module("tables.migrations.0008_history_baselines").add_baselines(apps, None)
    baseline = seeded.history.get()
    assert (baseline.history_type, baseline.history_change_reason, baseline.name_fi) == ("+", BASELINE_REASON, "Siemen")
    seeded.name_fi = "Uusi nimi"
    seeded.save()
    change = seeded.history.first()
    delta = change.diff_against(change.prev_record)
    assert ("name_fi", "Siemen", "Uusi nimi") in [(c.field, c.old, c.new) for c in delta.changes]


def test_a_row_made_without_history_gets_a_baseline_and_its_first_edit_shows_the_difference(table, coordinator):
    holder = UserFactory(full_name="Bertta Bulkki")
    RoleAssignment.objects.bulk_create([
        RoleAssignment(table=table, role=role("secretary"), user=holder, valid_from=datetime.date(2026, 2, 1),
                       accepted_at=timezone.now()),
    ])
    assignment = RoleAssignment.objects.get(user=holder)
    assert not assignment.history.exists()

    assert history_baselines_create(RoleAssignment) == 1
    assert history_baselines_create(RoleAssignment) == 0  # idempotent
    services.role_assignment_end(actor=coordinator, assignment=assignment, valid_to=datetime.date(2026, 3, 31))

    change, baseline = entries(table, "roles")
    assert [(c.old, c.new) for c in change.changes] == [("–", "31.3.2026")]
    assert baseline.who == "tuonti" and baseline.action == "Lähtötilanne (aiemmat tiedot)"
    assert ("Alkaen", "1.2.2026") in [(c.label, c.new) for c in baseline.changes]

    with translation.override("sv"):
        body = _page(table, coordinator, "?kind=roles")
    assert "31.3.2026" in body and "Bertta Bulkki" in body


def test_the_command_writes_baselines_for_every_tracked_model(table, organisation):
    from django.core.management import call_command

    from organisations.models import Organisation

    Organisation.history.filter(id=organisation.pk).delete()
    call_command("create_history_baselines", stdout=open("/dev/null", "w"))
    assert organisation.history.get().history_change_reason == BASELINE_REASON


def test_deleted_rows_and_the_kind_filter(table, coordinator):
    step = ProcessStepFactory(table=table, what="Kutsu lähtee")
    services.process_step_delete(actor=coordinator, step=step)
    deleted = entries(table, "process")[0]
    assert deleted.action == "Poistettu" and deleted.subject == "Kutsu lähtee" and deleted.who == str(coordinator)
    assert {e.kind for e in entries(table, "members")} <= {"members"}


@pytest.mark.parametrize("size", [2, 20])
def test_the_history_page_asks_a_fixed_number_of_queries(client, table, coordinator, organisation, size,
                                                         django_assert_max_num_queries):
    for n in range(size):
        assignment = RoleAssignmentFactory(table=table, role=role("chair" if n % 2 else "secretary"))
        services.role_assignment_end(actor=coordinator, assignment=assignment)
        ProcessStepFactory(table=table)
        other = StandingMemberFactory(table=table, status=StandingMemberStatus.REQUESTED)
        services.standing_member_decide(actor=coordinator, standing_member=other, approve=False, reason="Ei nyt.")
    client.force_login(coordinator)
    url = reverse("tables:history", args=[table.pk])
    # session and user, the table with its page data (several prefetches) and the permission checks,
    # the count and the page of the merged history, the records of each kind (4), the names of
    # people, roles and organisations (3).
    with django_assert_max_num_queries(18):
        response = client.get(url)
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count >= size * 5  # per round: a role created and ended, a step, a request and its decision
    assert len(page.object_list) == min(page.paginator.per_page, page.paginator.count)
    with django_assert_max_num_queries(18):
        assert client.get(url + "?kind=members&page=2").status_code == 200


def test_the_owner_sees_the_history_a_member_does_not(client, table, owner, member, other_coordinator):
    url = reverse("tables:history", args=[table.pk])
    client.force_login(owner)
    assert client.get(url).status_code == 200
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(other_coordinator)
    assert client.get(url).status_code == 403  # the table is public: seen, not its history


def test_the_table_page_links_to_the_history_for_those_allowed(client, table, coordinator, owner, member):
    url = reverse("tables:history", args=[table.pk])
    for person in (coordinator, owner):  # in the management tabs; for the owner beside the evaluation
        client.force_login(person)
        assert url in client.get(reverse("tables:detail", args=[table.pk])).content.decode()
    client.force_login(member)
    assert url not in client.get(reverse("tables:detail", args=[table.pk])).content.decode()
