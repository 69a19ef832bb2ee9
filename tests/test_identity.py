"""Identity (issue 11, items 1 and 2): which person an e-mail address is.

1. An address is a person's only once verified. Anyone can type any address into allauth's "add
   e-mail" (or sign up with it and never confirm); that must not give them the address owner's
   invitations, RSVP notes, personal data, roles, nor let deleting their account destroy the
   owner's rows.
2. Look-alike addresses: on PostgreSQL ``iexact`` compares ``UPPER()``, and ``upper('kıva')``
   (dotless ı) is ``upper('kiva')``. An address is stored in one normalised form and compared
   exactly, so ``alice@kıva.fi`` is never ``alice@kiva.fi``.

Each test failed on main before the fix (its docstring says what main did), but the one marked as
a guard, which holds a place that was already right.
"""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory
from meetings.models import Invitation, Rsvp, RsvpResponse
from meetings.permissions import invitation_for
from meetings.selectors import invitations_of
from meetings.services import meeting_add_invitees
from meetings.services.rsvp import rsvp_record_for_user
from meetings.tests.factories import MeetingFactory, in_days, invite
from privacy.selectors import personal_data_export
from privacy.services import account_delete
from tables.forms import PersonField
from tables.tests.factories import PartnershipTableFactory

pytestmark = pytest.mark.django_db

VICTIM = "veera.uhri@example.org"
NOTE = "Tarvitsen pyörätuolipaikan"  # health information, in the victim's RSVP
REAL = "alice@kiva.fi"
LOOK_ALIKE = "alice@kıva.fi"  # dotless ı: upper() makes both ALICE@KIVA.FI


@pytest.fixture
def private_meeting(area, coordinator):
    table = PartnershipTableFactory(sector__welfare_area=area, is_public=False)
    return MeetingFactory(table=table, starts_at=in_days(10))


@pytest.fixture
def victim_invitation(private_meeting):
    """The victim was invited by address (no account linked) and answered with a note."""
    invitation = invite(private_meeting, None, email=VICTIM, name="Veera Uhri", response=RsvpResponse.ATTENDING_ONLINE)
    Rsvp.objects.filter(invitation=invitation).update(note=NOTE)
    return invitation


@pytest.fixture
def attacker():
    return UserFactory(email="mallory@example.org", full_name="Mallory Hyökkääjä")


def claim_unverified(user, address):
    """What allauth's "add e-mail" stored on main for any address: a pending row of the user's."""
    EmailAddress.objects.create(user=user, email=address, verified=False, primary=False)


# --- 1. An unverified address is not the person's ------------------------------------------


def test_add_email_keeps_no_pending_address_that_another_account_has_verified(client, attacker):
    """On main allauth accepted the victim's address as a pending one of the attacker's account."""
    UserFactory(email=VICTIM)
    assert client.login(email=attacker.email, password=PASSWORD)
    mail.outbox.clear()

    response = client.post(reverse("account_email"), {"email": VICTIM.upper(), "action_add": ""})

    assert response.status_code == 302  # the same answer as for a free address: no enumeration
    assert not EmailAddress.objects.filter(user=attacker, email=VICTIM).exists()
    assert [message.to for message in mail.outbox] == [[VICTIM]]  # the owner hears of it
    # A free address is still added as a pending one and sent a confirmation.
    client.post(reverse("account_email"), {"email": "Mallory.Toinen@Example.org", "action_add": ""})
    assert EmailAddress.objects.filter(user=attacker, email="mallory.toinen@example.org", verified=False).exists()


def test_download_leaves_out_invitations_to_an_unverified_address(attacker, victim_invitation):
    """On main the attacker's download held the victim's invitation to a private meeting and her RSVP note."""
    claim_unverified(attacker, VICTIM)

    data = personal_data_export(attacker)

    assert data["invitations"] == []
    assert NOTE not in str(data) and VICTIM in str(data["email_addresses"])  # the typed address is listed, as typed


def test_deleting_an_account_leaves_the_invitations_to_its_unverified_address(attacker, victim_invitation):
    """On main deleting the attacker's account deleted the victim's invitation and RSVP."""
    claim_unverified(attacker, VICTIM)

    account_delete(user=attacker)

    victim_invitation.refresh_from_db()
    assert victim_invitation.email == VICTIM and victim_invitation.anonymised_at is None
    assert victim_invitation.rsvp.note == NOTE


def test_verified_addresses_still_count(attacker, victim_invitation):
    """Only unverified addresses are cut: a verified second address is the owner's everywhere (on main
    the meeting pages knew only the sign-in address, so this failed too)."""
    owner = UserFactory(email="veera@example.org")
    EmailAddress.objects.create(user=owner, email=VICTIM, verified=True, primary=False)

    assert [row["email"] for row in personal_data_export(owner)["invitations"]] == [VICTIM]
    assert list(invitations_of(owner)) == [victim_invitation]
    assert invitation_for(owner, victim_invitation.meeting) == victim_invitation


def test_a_picker_does_not_choose_an_account_whose_address_is_unverified():
    """On main a coordinator typing the victim's address chose an account that signed up with it and never confirmed."""
    UserFactory(email=VICTIM, verified=False)

    with pytest.raises(ValidationError):
        PersonField().clean(VICTIM)


def test_an_invitee_added_by_address_is_not_linked_to_an_unverified_account(private_meeting, admin_user):
    """On main the invitation to the victim's address was linked to the account that signed up with it unverified."""
    squatter = UserFactory(email=VICTIM, verified=False, language="sv")

    (invitation,) = meeting_add_invitees(actor=admin_user, meeting=private_meeting, people=[("Veera", VICTIM)])

    assert invitation.user is None and invitation.email == VICTIM and invitation.language == "fi"
    assert not invitations_of(squatter).exists()


# --- 2. Look-alike addresses (PostgreSQL) ----------------------------------------------------


@pytest.fixture
def look_alike():
    """An attacker who controls kıva.fi and has verified alice@kıva.fi."""
    return UserFactory(email=LOOK_ALIKE, full_name="Alice Valekas")


def test_a_picker_does_not_choose_a_look_alike_address(look_alike):
    """On main (PostgreSQL) the coordinator typing alice@kiva.fi named the look-alike account table coordinator."""
    with pytest.raises(ValidationError):
        PersonField().clean(REAL)
    assert PersonField().clean(" Alice@kıva.fi ") == look_alike  # its own address, in any letter case


def test_a_look_alike_account_does_not_answer_the_victims_invitation(private_meeting, look_alike):
    """On main (PostgreSQL) the look-alike saw the victim's invitation and answering re-linked it to itself."""
    invitation = invite(private_meeting, None, email=REAL, name="Alice")

    assert invitation_for(look_alike, private_meeting) is None
    assert not invitations_of(look_alike).exists()
    with pytest.raises((PermissionDenied, ValidationError)):
        rsvp_record_for_user(user=look_alike, meeting=private_meeting, response=RsvpResponse.ATTENDING_IN_PERSON)
    invitation.refresh_from_db()
    assert invitation.user is None and not Rsvp.objects.filter(invitation=invitation).exists()


def test_an_invitee_added_by_address_is_not_linked_to_a_look_alike_account(private_meeting, admin_user, look_alike):
    """Guard: the invitation to alice@kiva.fi stays the real Alice's, not the look-alike account's
    (main compared exactly here already)."""
    (invitation,) = meeting_add_invitees(actor=admin_user, meeting=private_meeting, people=[("Alice", REAL)])

    assert invitation.user is None and invitation.email == REAL
    assert not Invitation.objects.filter(user=look_alike).exists()


def test_the_download_and_deletion_of_a_look_alike_leave_the_victims_invitation(private_meeting, look_alike):
    """On main (PostgreSQL) the look-alike's download held alice@kiva.fi's invitation, and deletion took it."""
    invitation = invite(private_meeting, None, email=REAL, name="Alice", response=RsvpResponse.NOT_ATTENDING)

    assert personal_data_export(look_alike)["invitations"] == []
    account_delete(user=look_alike)
    invitation.refresh_from_db()
    assert invitation.email == REAL and invitation.anonymised_at is None
