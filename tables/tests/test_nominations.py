"""Consent to a role (issue 11, item 10) and nominating people without an account (issue 12).

A person of the table's county holds a role from the moment a coordinator names them; anyone else is
nominated and holds it only once they accept; someone without an account is nominated by address,
asked to sign up, and the nomination becomes theirs when they verify that address.
"""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from outbox.models import Notification, OutboxStatus
from tables import services
from tables.models import PartnershipTable, RoleAssignment
from tables.selectors import role_nominations_waiting, table_get_for_user
from tables.tests.factories import RoleAssignmentFactory, role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def nominate(coordinator, table, slug="chair", capture=None, **person):
    with capture(execute=True):
        return services.role_assignment_create(
            actor=coordinator, table=table, role=role(slug), valid_from=TODAY(), **person
        )


def holders(table, user) -> list:
    """The current role holders the table page shows."""
    shown = table_get_for_user(user=user, pk=table.pk)
    return [assignment.user for assignment in shown.current_role_assignments]


def test_a_person_of_the_county_holds_the_role_at_once(table, coordinator, member,
                                                      django_capture_on_commit_callbacks):
    assignment = nominate(coordinator, table, user=member, capture=django_capture_on_commit_callbacks)
    assert assignment.is_accepted
    assert member in holders(table, coordinator)
    assert mail.outbox == []  # nothing to accept, so no nomination is sent


def test_an_outsider_is_nominated_and_holds_nothing_until_they_accept(table, coordinator,
                                                                     django_capture_on_commit_callbacks):
    outsider = UserFactory(email="outsider@example.org", language="sv", full_name="Olle Utomstående")
    assignment = nominate(coordinator, table, user=outsider, capture=django_capture_on_commit_callbacks)
    assert not assignment.is_accepted
    assert outsider not in holders(table, coordinator)
    # The nominee is told once, in their language, with the page where they answer.
    (message,) = mail.outbox
    assert message.to == ["outsider@example.org"]
    assert "nominerad" in message.subject.lower() or "nominerar" in message.body.lower()
    assert reverse("tables:nominations") in message.body
    assert role_nominations_waiting(outsider) == [assignment]

    services.role_nomination_accept(actor=outsider, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.is_accepted and outsider in holders(table, coordinator)
    assert role_nominations_waiting(outsider) == []
    with pytest.raises(ValidationError):
        services.role_nomination_accept(actor=outsider, assignment=assignment)


def test_only_the_nominee_answers_a_nomination(table, coordinator, member, django_capture_on_commit_callbacks):
    outsider = UserFactory()
    assignment = nominate(coordinator, table, user=outsider, capture=django_capture_on_commit_callbacks)
    for someone in (coordinator, member):
        with pytest.raises(PermissionDenied):
            services.role_nomination_accept(actor=someone, assignment=assignment)
        with pytest.raises(PermissionDenied):
            services.role_nomination_decline(actor=someone, assignment=assignment)
    assignment.refresh_from_db()
    assert not assignment.is_accepted


def test_declining_withdraws_the_nomination_and_the_history_keeps_it(table, coordinator,
                                                                      django_capture_on_commit_callbacks):
    outsider = UserFactory()
    assignment = nominate(coordinator, table, user=outsider, capture=django_capture_on_commit_callbacks)
    services.role_nomination_decline(actor=outsider, assignment=assignment)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    kinds = list(RoleAssignment.history.filter(id=assignment.pk).values_list("history_type", "history_user"))
    assert kinds == [("-", outsider.pk), ("+", coordinator.pk)]


def test_a_nomination_withdrawn_before_the_mail_is_not_sent(table, coordinator, django_capture_on_commit_callbacks):
    outsider = UserFactory()
    assignment = services.role_assignment_create(
        actor=coordinator, table=table, role=role("chair"), user=outsider, valid_from=TODAY()
    )  # queued, but the on-commit send has not run
    services.role_assignment_end(actor=coordinator, assignment=assignment)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        from outbox.engine import queue_sends
        queue_sends(Notification, list(Notification.objects.values_list("pk", flat=True)))
    assert mail.outbox == []
    assert Notification.objects.get().delivery_status == OutboxStatus.SKIPPED


def test_an_outsider_named_owner_takes_the_table_over_only_by_accepting(table, coordinator, owner,
                                                                        django_capture_on_commit_callbacks):
    RoleAssignmentFactory(table=table, role=role("owner"), user=owner)
    outsider = UserFactory()
    assignment = nominate(coordinator, table, slug="owner", user=outsider, capture=django_capture_on_commit_callbacks)
    assert PartnershipTable.objects.get(pk=table.pk).owner == owner
    services.role_nomination_accept(actor=outsider, assignment=assignment)
    assert PartnershipTable.objects.get(pk=table.pk).owner == outsider
    previous = RoleAssignment.objects.get(table=table, role__slug="owner", user=owner)
    assert previous.valid_to == TODAY()


def test_an_outsider_named_coordinator_manages_the_table_only_by_accepting(table, coordinator, client,
                                                                           django_capture_on_commit_callbacks):
    outsider = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.table_add_coordinator(actor=coordinator, table=table, user=outsider)
    assert not table.coordinators.filter(pk=outsider.pk).exists()
    assert not outsider.has_perm("tables.change_table", PartnershipTable.objects.get(pk=table.pk))
    with pytest.raises(ValidationError) as error:
        services.table_add_coordinator(actor=coordinator, table=table, user=outsider)
    assert "user" in error.value.error_dict
    (assignment,) = role_nominations_waiting(outsider)
    services.role_nomination_accept(actor=outsider, assignment=assignment)
    assert table.coordinators.filter(pk=outsider.pk).exists()
    assert UserFactory._meta.model.objects.get(pk=outsider.pk).has_perm(
        "tables.change_table", PartnershipTable.objects.get(pk=table.pk)
    )


def test_coordinators_named_at_creation_are_people_of_the_county(sector, owner, coordinator):
    with pytest.raises(ValidationError) as error:
        services.table_create(actor=coordinator, sector=sector, name_fi="Uusi pöytä", owner=owner,
                              coordinators=[UserFactory()])
    assert "coordinators" in error.value.error_dict
    assert not PartnershipTable.objects.filter(name_fi="Uusi pöytä").exists()


def test_a_person_without_an_account_is_invited_and_the_nomination_binds_on_sign_up(
    client, table, coordinator, django_capture_on_commit_callbacks
):
    assignment = nominate(coordinator, table, email="Uusi.Henkilo@Example.org",
                          capture=django_capture_on_commit_callbacks)
    assert (assignment.user, assignment.email) == (None, "uusi.henkilo@example.org")
    (invitation,) = mail.outbox
    assert invitation.to == ["uusi.henkilo@example.org"]
    assert reverse("account_signup") in invitation.body
    # The same address again is the same nomination.
    with pytest.raises(ValidationError):
        nominate(coordinator, table, email="uusi.henkilo@example.org", capture=django_capture_on_commit_callbacks)

    # Signing up is not enough: an address is a person's only once verified.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), {
            "email": "uusi.henkilo@example.org", "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase", "full_name": "Uusi Henkilö", "language": "fi",
        })
    person = UserFactory._meta.model.objects.get(email="uusi.henkilo@example.org")
    assignment.refresh_from_db()
    assert assignment.user is None
    key = re.search(r"/confirm-email/([^/\s]+)/", mail.outbox[-1].body).group(1)
    client.post(reverse("account_confirm_email", args=[key]))
    assignment.refresh_from_db()
    assert (assignment.user, assignment.email, assignment.is_accepted) == (person, "", False)
    assert person not in holders(table, coordinator)

    # The nominee answers on their own page.
    client.force_login(person)
    page = client.get(reverse("tables:nominations"))
    assert table.name in page.content.decode()
    response = client.post(reverse("tables:nomination_accept", args=[assignment.pk]))
    assert response.status_code == 302
    assert person in holders(table, coordinator)


def test_a_verified_address_names_its_account(table, coordinator, member, django_capture_on_commit_callbacks):
    assignment = nominate(coordinator, table, email="MEMBER@example.org", capture=django_capture_on_commit_callbacks)
    assert assignment.user == member and assignment.email == "" and assignment.is_accepted


def test_someone_elses_nomination_is_not_found(client, table, coordinator, member,
                                               django_capture_on_commit_callbacks):
    outsider = UserFactory()
    assignment = nominate(coordinator, table, user=outsider, capture=django_capture_on_commit_callbacks)
    client.force_login(member)
    for name in ("tables:nomination_accept", "tables:nomination_decline"):
        assert client.post(reverse(name, args=[assignment.pk])).status_code == 404
    assignment.refresh_from_db()
    assert not assignment.is_accepted
    assert table.name not in client.get(reverse("tables:nominations")).content.decode()


def test_an_ended_period_cannot_be_accepted(table, coordinator, django_capture_on_commit_callbacks):
    outsider = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.role_assignment_create(
            actor=coordinator, table=table, role=role("chair"), user=outsider,
            valid_from=TODAY() - datetime.timedelta(days=30), valid_to=TODAY() - datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        services.role_nomination_accept(actor=outsider, assignment=assignment)


def test_a_nomination_gives_no_rights_until_accepted(table, coordinator, django_capture_on_commit_callbacks):
    """Role holders read the table's messages (tables.permissions); a nominee does not, yet."""
    outsider = UserFactory()
    assignment = nominate(coordinator, table, user=outsider, capture=django_capture_on_commit_callbacks)
    assert not outsider.has_perm("tables.view_messages", PartnershipTable.objects.get(pk=table.pk))
    services.role_nomination_accept(actor=outsider, assignment=assignment)
    assert outsider.has_perm("tables.view_messages", PartnershipTable.objects.get(pk=table.pk))
