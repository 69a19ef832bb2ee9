"""One form of an e-mail address, stored and compared exactly (kumppanuus/addresses.py)."""

import re
import unicodedata
from pathlib import Path

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.db.models import Value
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from kumppanuus.addresses import normalise_email, normalise_stored_addresses
from meetings.models import Invitation
from meetings.tests.factories import MeetingFactory

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Maija.Meikäläinen@Example.ORG\n", "maija.meikäläinen@example.org"),
        ("ma\u0308ija@example.org", "m\u00e4ija@example.org"),  # a + combining diaeresis is ä
        ("alice@kıva.fi", "alice@kıva.fi"),  # dotless ı stays dotless: not alice@kiva.fi
        ("ALICE@KIVA.FI", "alice@kiva.fi"),
        ("strasse@straße.de", "strasse@straße.de"),  # no case folding: ß is not ss
        ("", ""),
    ],
)
def test_normalise_email(typed, stored):
    assert normalise_email(typed) == stored


def test_look_alikes_stay_apart():
    assert normalise_email("alice@kıva.fi") != normalise_email("alice@kiva.fi")
    assert normalise_email("alice@kİva.fi") != normalise_email("alice@kiva.fi")


@given(st.text())
def test_normalising_twice_changes_nothing_and_allauth_would_not_either(text):
    once = normalise_email(text)
    assert normalise_email(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert once.lower() == once  # what allauth does to the addresses it stores


@pytest.mark.django_db
def test_stored_addresses_are_normalised_and_compared_exactly():
    user = User.objects.create_user(" Maija@Example.ORG ", password="x")
    assert user.email == "maija@example.org"
    assert User.objects.get(email="MAIJA@example.org") == user  # the lookup value is normalised too
    meeting = MeetingFactory()
    Invitation.objects.bulk_create([Invitation(meeting=meeting, email="Ma\u0308ija@Example.org", name="")])
    assert Invitation.objects.filter(email__in=["m\u00e4ija@example.org"]).count() == 1
    look_alike = UserFactory(email="alice@kıva.fi")
    assert not User.objects.filter(email="alice@kiva.fi").exists()
    assert User.objects.get(email="Alice@kıva.fi") == look_alike


def test_allauth_stores_our_form():
    assert get_adapter().clean_email(" Ma\u0308ija@Example.org") == "m\u00e4ija@example.org"


@pytest.mark.django_db
def test_signing_in_finds_the_account_whatever_the_form_of_the_address(client):
    """Failed on main: allauth lower-cased the typed address, but NFD ä is not the stored NFC ä."""
    UserFactory(email="maija@m\u00e4ki.fi")
    response = client.post(reverse("account_login"), {"login": " Maija@MA\u0308KI.fi", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db
def test_the_data_migration_rewrites_old_rows_and_refuses_to_merge_two():
    user = UserFactory(email="vanha@example.org")
    User.objects.filter(pk=user.pk).update(email=Value(" Vanha@Example.org"))  # as stored before
    EmailAddress.objects.filter(user=user).update(email=Value("va\u0308nha@example.org"))

    normalise_stored_addresses(User)
    normalise_stored_addresses(EmailAddress)

    assert User.objects.filter(pk=user.pk, email="vanha@example.org").exists()
    assert EmailAddress.objects.get(user=user).email == "v\u00e4nha@example.org"
    other = UserFactory(email="toinen@example.org")
    User.objects.filter(pk=other.pk).update(email=Value("VANHA@example.org"))
    with pytest.raises(RuntimeError, match=f"User {other.pk}"):
        normalise_stored_addresses(User)


# --- No case-insensitive comparison of an address anywhere -----------------------------------

# iexact on any field named like an e-mail address (email, emailaddress__email, contact_e_mail…),
# in keyword or string form, and UPPER()/LOWER() of one: on PostgreSQL they make look-alikes equal.
CASE_INSENSITIVE_ADDRESS = re.compile(
    r"e_?mail\w*__iexact|(?:Upper|Lower)\(\s*[\"']\w*e_?mail", re.IGNORECASE
)


def _sources():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0].startswith(".") or "migrations" in parts or "node_modules" in parts or path == Path(__file__):
            continue
        yield path


def test_no_case_insensitive_lookup_of_an_address_in_the_source():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _sources()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if CASE_INSENSITIVE_ADDRESS.search(line)
    ]
    assert not found, "Compare normalised addresses exactly (kumppanuus/addresses.py):\n" + "\n".join(found)


def test_the_scan_finds_what_it_looks_for():
    assert CASE_INSENSITIVE_ADDRESS.search('User.objects.filter(email__iexact=address)')
    assert CASE_INSENSITIVE_ADDRESS.search('Q(**{"user__email__iexact": x})')
    assert CASE_INSENSITIVE_ADDRESS.search('.annotate(e=Lower("email"))')
    assert not CASE_INSENSITIVE_ADDRESS.search('Q(name__iexact=x)')
