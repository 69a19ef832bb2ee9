"""Services own every write: registration, profile changes, eligibility and membership decisions."""

import threading
import time

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from organisations.models import (
    Eligibility,
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    OrganisationKind,
)
from organisations.services import (
    membership_decide,
    membership_remove,
    membership_request,
    membership_set_role,
    organisation_decide_eligibility,
    organisation_register,
    organisation_update,
)
from organisations.tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ThemeFactory,
    WelfareAreaFactory,
)

pytestmark = pytest.mark.django_db

SETTINGS_URL = "http://testserver" + "/me/profile/"


@pytest.fixture
def pending_organisation(area):
    organisation = OrganisationFactory(name="Uusi Yhdistys ry", welfare_area=area, eligibility=Eligibility.PENDING)
    MembershipFactory(
        organisation=organisation,
        role=MembershipRole.REPRESENTATIVE,
        user=UserFactory(email="founder@example.org", language="sv", full_name="Sven Grundare"),
    )
    return organisation


@pytest.fixture
def join_request(organisation):
    requester = UserFactory(email="requester@example.org", full_name="Reija Pyytäjä")
    return MembershipFactory(organisation=organisation, user=requester, status=MembershipStatus.PENDING)


# --- organisation_register ------------------------------------------------------


def test_register_creates_pending_organisation_with_actor_as_representative(area):
    actor = UserFactory()
    theme = ThemeFactory()
    municipality = MunicipalityFactory(welfare_area=area)

    organisation = organisation_register(
        actor=actor,
        name="Vaasan Vertaistuki ry",
        kind=OrganisationKind.REGISTERED_ASSOCIATION,
        welfare_area=area,
        business_id=" 112038-9 ",
        themes=[theme],
        municipalities=[municipality],
    )

    organisation.refresh_from_db()
    assert organisation.eligibility == Eligibility.PENDING
    assert organisation.business_id == "0112038-9"  # normalised to the seven-digit form
    assert list(organisation.themes.all()) == [theme]
    assert list(organisation.municipalities.all()) == [municipality]
    membership = Membership.objects.get(organisation=organisation)
    assert membership.user == actor
    assert membership.role == MembershipRole.REPRESENTATIVE
    assert membership.status == MembershipStatus.APPROVED
    assert organisation.history.get().history_user == actor


def test_register_refuses_bad_business_id_and_saves_nothing(area):
    actor = UserFactory()
    with pytest.raises(ValidationError) as caught:
        organisation_register(
            actor=actor,
            name="Väärä ry",
            kind=OrganisationKind.REGISTERED_ASSOCIATION,
            welfare_area=area,
            business_id="0112038-8",
        )
    assert "business_id" in caught.value.error_dict
    assert not Organisation.objects.filter(name="Väärä ry").exists()
    assert not Membership.objects.filter(user=actor).exists()


def test_register_refuses_duplicate_business_id(area):
    OrganisationFactory(business_id="0112038-9", welfare_area=area)
    with pytest.raises(ValidationError) as caught:
        organisation_register(
            actor=UserFactory(),
            name="Kopio ry",
            kind=OrganisationKind.REGISTERED_ASSOCIATION,
            welfare_area=area,
            business_id="112038-9",
        )
    assert "business_id" in caught.value.error_dict
    assert Organisation.objects.filter(business_id="0112038-9").count() == 1


def test_register_without_business_id_stores_null_so_many_may_lack_one(area):
    first = organisation_register(
        actor=UserFactory(),
        name="Eka ry",
        kind=OrganisationKind.OTHER_NGO,
        welfare_area=area,
        business_id="",
    )
    second = organisation_register(
        actor=UserFactory(),
        name="Toka ry",
        kind=OrganisationKind.OTHER_NGO,
        welfare_area=area,
    )
    assert first.business_id is None and second.business_id is None


# --- organisation_update --------------------------------------------------------


def test_update_changes_profile_but_not_eligibility(organisation, representative):
    theme = ThemeFactory()
    organisation_update(
        actor=representative,
        organisation=organisation,
        data={"name": "Vaasan Mielenterveysseura ry", "description": "Uusi kuvaus", "eligibility": "rejected"},
        themes=[theme],
    )
    organisation.refresh_from_db()
    assert organisation.name == "Vaasan Mielenterveysseura ry"
    assert organisation.description == "Uusi kuvaus"
    assert organisation.eligibility == Eligibility.APPROVED
    assert list(organisation.themes.all()) == [theme]
    assert organisation.history.first().history_user == representative


def test_update_with_too_long_name_saves_nothing(organisation, representative):
    with pytest.raises(ValidationError) as caught:
        organisation_update(actor=representative, organisation=organisation, data={"name": "x" * 201})
    assert "name" in caught.value.error_dict
    organisation.refresh_from_db()
    assert organisation.name == "Vaasan Mielenterveysyhdistys ry"


# --- organisation_decide_eligibility -------------------------------------------


def test_approve_records_who_and_when_and_mails_the_representatives(
    pending_organisation, coordinator, django_capture_on_commit_callbacks
):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        organisation_decide_eligibility(actor=coordinator, organisation=pending_organisation, approve=True)

    assert len(callbacks) == 1
    pending_organisation.refresh_from_db()
    assert pending_organisation.eligibility == Eligibility.APPROVED
    assert pending_organisation.eligibility_decided_by == coordinator
    assert pending_organisation.eligibility_decided_at >= before
    assert pending_organisation.eligibility_reason == ""

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["founder@example.org"]
    assert message.subject.startswith("[Kumppanuus] ")
    assert "Uusi Yhdistys ry" in message.subject
    assert SETTINGS_URL in message.body
    organisation_url = "http://testserver" + reverse("organisations:detail", args=[pending_organisation.pk])
    assert organisation_url in message.body
    html = message.alternatives[0][0]
    assert SETTINGS_URL in html
    # Rendered for the recipient, whose language is Swedish.
    assert '<html lang="sv">' in html


def test_reject_needs_a_reason_and_changes_nothing_without_one(pending_organisation, coordinator):
    with pytest.raises(ValidationError) as caught:
        organisation_decide_eligibility(actor=coordinator, organisation=pending_organisation, approve=False, reason=" ")
    assert "reason" in caught.value.error_dict
    pending_organisation.refresh_from_db()
    assert pending_organisation.eligibility == Eligibility.PENDING
    assert pending_organisation.eligibility_decided_by is None


def test_reject_with_reason_mails_the_reason(pending_organisation, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        organisation_decide_eligibility(
            actor=coordinator,
            organisation=pending_organisation,
            approve=False,
            reason="Ei sote-alan järjestö.",
        )
    pending_organisation.refresh_from_db()
    assert pending_organisation.eligibility == Eligibility.REJECTED
    assert pending_organisation.eligibility_reason == "Ei sote-alan järjestö."
    assert pending_organisation.eligibility_decided_by == coordinator
    [message] = mail.outbox
    assert "Ei sote-alan järjestö." in message.body


def test_eligibility_mail_is_not_sent_before_commit(
    pending_organisation, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        organisation_decide_eligibility(actor=coordinator, organisation=pending_organisation, approve=True)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_coordinator_of_another_area_may_not_decide(pending_organisation, other_coordinator):
    with pytest.raises(PermissionDenied):
        organisation_decide_eligibility(actor=other_coordinator, organisation=pending_organisation, approve=True)
    pending_organisation.refresh_from_db()
    assert pending_organisation.eligibility == Eligibility.PENDING


def test_representative_may_not_approve_own_organisation(pending_organisation):
    founder = pending_organisation.memberships.get().user
    with pytest.raises(PermissionDenied):
        organisation_decide_eligibility(actor=founder, organisation=pending_organisation, approve=True)


def test_admin_may_decide_in_any_area(pending_organisation, admin_user):
    organisation_decide_eligibility(actor=admin_user, organisation=pending_organisation, approve=True)
    pending_organisation.refresh_from_db()
    assert pending_organisation.eligibility_decided_by == admin_user


def test_eligibility_history_records_the_deciding_user(pending_organisation, coordinator):
    organisation_decide_eligibility(actor=coordinator, organisation=pending_organisation, approve=False, reason="Ei.")
    latest = pending_organisation.history.first()
    assert latest.eligibility == Eligibility.REJECTED
    assert latest.history_user == coordinator
    assert latest.prev_record.eligibility == Eligibility.PENDING


# --- membership_request ---------------------------------------------------------


def test_request_creates_pending_membership_and_tells_the_representatives(
    organisation, representative, django_capture_on_commit_callbacks
):
    requester = UserFactory(full_name="Uusi Jäsen")
    with django_capture_on_commit_callbacks(execute=True):
        membership = membership_request(user=requester, organisation=organisation, message="Olen mukana.")
    assert membership.status == MembershipStatus.PENDING
    assert membership.role == MembershipRole.MEMBER
    [message] = mail.outbox
    assert message.to == [representative.email]
    assert "Uusi Jäsen" in message.subject
    assert "Olen mukana." in message.body
    assert "http://testserver" + reverse("organisations:review_queue") in message.body


def test_request_without_representatives_goes_to_the_area_coordinators(
    area, coordinator, django_capture_on_commit_callbacks
):
    orphan = OrganisationFactory(welfare_area=area)
    with django_capture_on_commit_callbacks(execute=True):
        membership_request(user=UserFactory(), organisation=orphan)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]


def test_duplicate_request_is_refused(join_request):
    with pytest.raises(ValidationError):
        membership_request(user=join_request.user, organisation=join_request.organisation)
    assert Membership.objects.filter(user=join_request.user).count() == 1


def test_member_cannot_request_again(organisation, member):
    with pytest.raises(ValidationError):
        membership_request(user=member, organisation=organisation)
    assert Membership.objects.get(user=member).status == MembershipStatus.APPROVED


def test_rejected_organisation_cannot_be_joined(area):
    rejected = OrganisationFactory(welfare_area=area, eligibility=Eligibility.REJECTED)
    with pytest.raises(ValidationError):
        membership_request(user=UserFactory(), organisation=rejected)
    assert not rejected.memberships.exists()


def test_rejected_person_may_request_again(join_request, representative):
    membership_decide(actor=representative, membership=join_request, approve=False, reason="Emme tunne.")
    again = membership_request(user=join_request.user, organisation=join_request.organisation, message="Toinen yritys")
    assert again.pk == join_request.pk
    again.refresh_from_db()
    assert again.status == MembershipStatus.PENDING
    assert again.message == "Toinen yritys"
    assert again.decided_by is None and again.decision_reason == ""


# --- membership_decide ----------------------------------------------------------


def test_representative_approves_and_the_requester_is_mailed(
    join_request, representative, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership_decide(actor=representative, membership=join_request, approve=True)
    join_request.refresh_from_db()
    assert join_request.status == MembershipStatus.APPROVED
    assert join_request.decided_by == representative
    assert join_request.decided_at is not None
    assert join_request.history.first().history_user == representative
    [message] = mail.outbox
    assert message.to == ["requester@example.org"]
    assert "Vaasan Mielenterveysyhdistys ry" in message.subject
    assert SETTINGS_URL in message.body


def test_area_coordinator_may_reject_with_reason(join_request, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        membership_decide(actor=coordinator, membership=join_request, approve=False, reason="Ei jäsen.")
    join_request.refresh_from_db()
    assert join_request.status == MembershipStatus.REJECTED
    assert join_request.decision_reason == "Ei jäsen."
    [message] = mail.outbox
    assert "Ei jäsen." in message.body


def test_reject_membership_needs_reason(join_request, representative):
    with pytest.raises(ValidationError) as caught:
        membership_decide(actor=representative, membership=join_request, approve=False)
    assert "reason" in caught.value.error_dict
    join_request.refresh_from_db()
    assert join_request.status == MembershipStatus.PENDING


@pytest.mark.parametrize("persona", ["member", "outsider", "other_coordinator"])
def test_others_may_not_decide_a_membership(join_request, persona, request):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        membership_decide(actor=actor, membership=join_request, approve=True)
    join_request.refresh_from_db()
    assert join_request.status == MembershipStatus.PENDING


def test_already_decided_membership_is_refused(join_request, representative, coordinator):
    membership_decide(actor=representative, membership=join_request, approve=True)
    with pytest.raises(ValidationError):
        membership_decide(actor=coordinator, membership=join_request, approve=False, reason="Myöhässä")
    join_request.refresh_from_db()
    assert join_request.status == MembershipStatus.APPROVED
    assert join_request.decided_by == representative


# --- membership_set_role --------------------------------------------------------


def test_representative_promotes_a_member(organisation, representative, member):
    membership = Membership.objects.get(user=member, organisation=organisation)
    membership_set_role(actor=representative, membership=membership, role=MembershipRole.REPRESENTATIVE)
    membership.refresh_from_db()
    assert membership.role == MembershipRole.REPRESENTATIVE


def test_last_representative_cannot_step_down(organisation, representative):
    membership = Membership.objects.get(user=representative, organisation=organisation)
    with pytest.raises(ValidationError):
        membership_set_role(actor=representative, membership=membership, role=MembershipRole.MEMBER)
    membership.refresh_from_db()
    assert membership.role == MembershipRole.REPRESENTATIVE


def test_representative_may_step_down_when_another_remains(organisation, representative, member):
    promoted = Membership.objects.get(user=member, organisation=organisation)
    membership_set_role(actor=representative, membership=promoted, role=MembershipRole.REPRESENTATIVE)
    own = Membership.objects.get(user=representative, organisation=organisation)
    membership_set_role(actor=representative, membership=own, role=MembershipRole.MEMBER)
    own.refresh_from_db()
    assert own.role == MembershipRole.MEMBER


def test_member_may_not_change_roles(organisation, representative, member):
    own = Membership.objects.get(user=member, organisation=organisation)
    with pytest.raises(PermissionDenied):
        membership_set_role(actor=member, membership=own, role=MembershipRole.REPRESENTATIVE)
    own.refresh_from_db()
    assert own.role == MembershipRole.MEMBER


def test_pending_member_cannot_get_a_role(join_request, representative):
    with pytest.raises(ValidationError):
        membership_set_role(actor=representative, membership=join_request, role=MembershipRole.REPRESENTATIVE)


def test_unknown_role_is_refused(organisation, representative, member):
    membership = Membership.objects.get(user=member, organisation=organisation)
    with pytest.raises(ValidationError):
        membership_set_role(actor=representative, membership=membership, role="owner")


# --- moving an organisation to another county -------------------------------------


def test_representative_moving_the_organisation_sends_it_back_to_review(
    organisation, representative, other_area, other_coordinator
):
    organisation.eligibility_decided_by = representative  # any earlier decision
    organisation.save()
    organisation_update(actor=representative, organisation=organisation, data={"welfare_area": other_area})
    organisation.refresh_from_db()
    assert organisation.welfare_area == other_area
    assert organisation.eligibility == Eligibility.PENDING
    assert organisation.eligibility_decided_by is None
    # The new county's coordinator now has it in the queue.
    from organisations.selectors import review_queue_for_user

    assert list(review_queue_for_user(other_coordinator)["organisations"]) == [organisation]


def test_representative_editing_other_fields_keeps_the_approval(organisation, representative, area):
    organisation_update(actor=representative, organisation=organisation, data={"welfare_area": area, "phone": "040"})
    organisation.refresh_from_db()
    assert organisation.eligibility == Eligibility.APPROVED


def test_admin_moving_the_organisation_keeps_the_approval(organisation, admin_user, other_area):
    organisation_update(actor=admin_user, organisation=organisation, data={"welfare_area": other_area})
    organisation.refresh_from_db()
    assert organisation.eligibility == Eligibility.APPROVED


def test_moving_an_instance_the_form_already_changed_is_still_noticed(organisation, representative, other_area):
    # A ModelForm sets the new county on the instance before the service runs.
    organisation.welfare_area = other_area
    organisation_update(actor=representative, organisation=organisation, data={"welfare_area": other_area})
    organisation.refresh_from_db()
    assert organisation.eligibility == Eligibility.PENDING


# --- racing requests: the unique constraints decide, and the loser gets a ValidationError ----


def _race(first_call, second_call):
    """Runs first_call in a transaction that stays open until second_call is waiting on its row."""
    holding, release, outcome = threading.Event(), threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                first_call()
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    def second():
        try:
            outcome["result"] = second_call()
        except Exception as error:  # noqa: BLE001 - the test inspects whatever was raised
            outcome["error"] = error
        finally:
            connection.close()

    first_thread = threading.Thread(target=first)
    first_thread.start()
    assert holding.wait(10)
    second_thread = threading.Thread(target=second)
    second_thread.start()
    # The second passes full_clean() (the first row is not committed) and then waits on the
    # unique index for the first transaction; committing it makes the second one's INSERT fail.
    time.sleep(0.5)
    release.set()
    first_thread.join(10)
    second_thread.join(10)
    return outcome


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_registrations_of_one_business_id_give_one_organisation_and_a_form_error():
    area = WelfareAreaFactory()
    first_user, second_user = UserFactory(), UserFactory()

    def register(user, name):
        return organisation_register(
            actor=user, name=name, kind=OrganisationKind.REGISTERED_ASSOCIATION, welfare_area=area,
            business_id="0112038-9",
        )

    outcome = _race(lambda: register(first_user, "Eka ry"), lambda: register(second_user, "Toka ry"))

    assert isinstance(outcome.get("error"), ValidationError), outcome
    assert "business_id" in outcome["error"].error_dict
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Eka ry"]
    assert not Membership.objects.filter(user=second_user).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_clicked_join_request_gives_one_request_and_an_error():
    organisation = OrganisationFactory()
    user = UserFactory()

    outcome = _race(
        lambda: membership_request(user=user, organisation=organisation),
        lambda: membership_request(user=user, organisation=organisation),
    )

    assert isinstance(outcome.get("error"), ValidationError), outcome
    assert Membership.objects.filter(user=user).count() == 1


# --- membership_remove ------------------------------------------------------------


def test_representative_removes_a_member_and_the_history_says_who(organisation, representative, member):
    membership = Membership.objects.get(user=member, organisation=organisation)
    membership_remove(actor=representative, membership=membership)
    assert not Membership.objects.filter(user=member, organisation=organisation).exists()
    assert Membership.history.filter(id=membership.pk, history_type="-").get().history_user == representative


def test_the_last_representative_cannot_be_removed(organisation, representative, coordinator, admin_user):
    own = Membership.objects.get(user=representative, organisation=organisation)
    for actor in (representative, coordinator, admin_user):
        with pytest.raises(ValidationError):
            membership_remove(actor=actor, membership=own)
    assert Membership.objects.filter(pk=own.pk).exists()


def test_a_representative_is_removed_while_another_remains(organisation, representative, member):
    other = Membership.objects.get(user=member, organisation=organisation)
    membership_set_role(actor=representative, membership=other, role=MembershipRole.REPRESENTATIVE)
    membership_remove(actor=member, membership=Membership.objects.get(user=representative, organisation=organisation))
    assert list(Membership.objects.filter(organisation=organisation).values_list("user", flat=True)) == [member.pk]


def test_members_and_outsiders_cannot_remove_anyone(organisation, representative, member, outsider,
                                                    other_coordinator):
    membership = Membership.objects.get(user=representative, organisation=organisation)
    MembershipFactory(organisation=organisation, role=MembershipRole.REPRESENTATIVE)
    for actor in (member, outsider, other_coordinator):
        with pytest.raises(PermissionDenied):
            membership_remove(actor=actor, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_pending_request_is_decided_not_removed(organisation, representative):
    pending = MembershipFactory(organisation=organisation, status=MembershipStatus.PENDING)
    with pytest.raises(ValidationError):
        membership_remove(actor=representative, membership=pending)
    assert Membership.objects.filter(pk=pending.pk).exists()
