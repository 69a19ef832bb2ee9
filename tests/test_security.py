"""Security: no IDOR, secrets that stay secret, signed tokens, production settings, headers,
rate limits and account enumeration (issue 6, "Security (tests)").

The world and the table of every URL come from ``test_permission_matrix``; these tests use them
to sweep every page for secrets, and add what a status code cannot show: that nothing changed,
that the online link, the feed token and the RSVP token never reach the wrong person, and that
the production settings really produce the headers they promise.
"""

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import PASSWORD
from meetings.models import AgendaItem, Invitation, MeetingStatus, Rsvp
from meetings.tokens import SALT, rsvp_token
from organisations.models import Membership, MembershipRole, MembershipStatus
from organisations.tests.factories import MembershipFactory
from tables.models import EvaluationResponse, StandingMember
from tables.tests.factories import StandingMemberFactory
from tests import test_permission_matrix as matrix
from tests.test_permission_matrix import MATRIX, PAST_LINK, PRIVATE_LINK, PUBLIC_LINK, ROLES, fetch

# The same world and browsers as the permission matrix (fixtures).
world = matrix.world
clients = matrix.clients

ROOT = Path(__file__).resolve().parents[1]
LINKS = (PUBLIC_LINK, PRIVATE_LINK, PAST_LINK)
# Rows whose address carries the member's own secret: whoever holds it is the member (by design).
TOKEN_ROWS = {"meetings:rsvp_link", "meetings:feed_personal"}
NOT_INVITED = ("anonymous", "outsider", "other_coordinator")


def body(response) -> str:
    """The text of a response read by ``fetch``; calendar files are unfolded (RFC 5545 splits long
    lines with a line break and a space), so a long link cannot hide from a search."""
    text = response._read_content.decode("utf-8", errors="replace")
    return text.replace("\r\n ", "").replace("\r\n\t", "")


CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def same_page(text: str, *specifics: str) -> str:
    """A page's text without what differs on every rendering (the CSRF token) or names the request."""
    text = CSRF_VALUE.sub('name="csrfmiddlewaretoken"', text)
    for specific in specifics:
        text = text.replace(specific, "…")
    return text


# --- One pass over every answer to everyone ---------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)


def _csp(response) -> dict[str, list[str]]:
    policy = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        policy[name] = values
    return policy


def test_every_answer_to_everyone_keeps_the_secrets_and_the_headers(world, clients):
    """Every row of MATRIX for every role (the requests of the matrix), checking on each answer
    what a status code cannot show:

    - the online links reach no one who is not invited (anonymous, outsider, the other county's
      coordinator): not on a page, in an .ics file, the public feed, the minutes or a dashboard;
    - the member's calendar feed token reaches no one else, and their RSVP token (only ever in
      the invitation e-mail) no page at all;
    - every answer to a signed-in person (page, file, redirect, error) says Cache-Control: no-store;
    - every answer has a Content-Security-Policy without 'unsafe-inline' or 'unsafe-eval', with
      object-src 'none', base-uri and frame-ancestors 'none';
    - and, since that policy blocks inline code, no page of ours relies on any.

    The addresses that carry the member's own secret (the RSVP link, the personal feed) are left
    out of the first two: whoever holds them is, by design, the member.
    """
    token = world.users["member"].calendar_token
    problems = []
    for row in MATRIX:
        url = row.url(world)
        for role in ROLES:
            response = fetch(clients[role], row.method, url, row.data(world))
            text = body(response)
            where = f"{role} {row.method.upper()} {url}"
            if row.name not in TOKEN_ROWS:
                if role in NOT_INVITED:
                    problems += [f"online link to {where}: {link}" for link in LINKS if link in text]
                if role != "member" and token in text:
                    problems.append(f"the member's feed token to {where}")
                if world.rsvp_token in text:  # it is only ever in the invitation e-mail
                    problems.append(f"the member's RSVP token to {where}")
            if role != "anonymous" and not row.signs_out:
                assert response.wsgi_request.user.is_authenticated, where
                if "no-store" not in response.get("Cache-Control", ""):
                    problems.append(f"no no-store for {where}: {response.get('Cache-Control')!r}")
            policy = _csp(response)
            sources = {source for sources in policy.values() for source in sources}
            if sources & {"'unsafe-inline'", "'unsafe-eval'"} or policy.get("object-src") != ["'none'"]:
                problems.append(f"weak CSP for {where}: {response['Content-Security-Policy']}")
            if "base-uri" not in policy or policy.get("frame-ancestors") != ["'none'"]:
                problems.append(f"CSP without base-uri or frame-ancestors for {where}")
            if response.get("Content-Type", "").startswith("text/html"):
                for kind, pattern in (("script", INLINE_SCRIPT), ("handler", INLINE_HANDLER), ("style", INLINE_STYLE)):
                    match = pattern.search(text)
                    if match:
                        problems.append(f"inline {kind} the CSP blocks, for {where}: {match.group(0)[:80]!r}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


# --- Secrets never reach the wrong person ----------------------------------------------------------


def test_the_invited_and_the_coordinators_do_get_the_link(world, clients):
    """The other side of the test above, so that it cannot pass by never showing the link at all."""
    for role in ("member", "representative", "coordinator"):
        for meeting, link in ((world.public_meeting, PUBLIC_LINK), (world.private_meeting, PRIVATE_LINK)):
            for name in ("meetings:detail", "meetings:ics"):
                assert link in body(fetch(clients[role], "get", reverse(name, args=[meeting.pk]))), (role, name)
    feed = fetch(Client(), "get", reverse("meetings:feed_personal", args=[world.users["member"].calendar_token]))
    assert PUBLIC_LINK in body(feed) and PRIVATE_LINK in body(feed)


def test_a_standing_member_who_is_not_invited_sees_the_meeting_but_not_its_link(world, organisation):
    """A colleague in the standing member organisation may read the private table's meeting, but the
    link is for the invited: not on the page, the .ics, the table's pages or their own feed."""
    colleague = MembershipFactory(organisation=organisation, user__email="colleague@example.org").user
    client = Client()
    client.force_login(colleague)
    meeting = world.private_meeting
    pages = [
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:ics", args=[meeting.pk]),
        reverse("tables:detail", args=[world.private_table.pk]),
        reverse("meetings:table_meetings", args=[world.private_table.pk]),
        reverse("meetings:minutes", args=[world.past_private_meeting.pk]),
        reverse("meetings:mine"),
        reverse("dashboard"),
        reverse("meetings:feed_personal", args=[colleague.calendar_token]),
    ]
    for url in pages:
        response = fetch(client, "get", url)
        assert response.status_code == 200, url
        for link in LINKS:
            assert link not in body(response), url
    assert meeting.title in body(fetch(client, "get", pages[0]))


def test_the_public_feed_carries_no_link_even_for_the_invited(world, clients):
    url = reverse("meetings:feed_table", args=[world.public_table.pk])
    for role in ROLES:
        response = fetch(clients[role], "get", url)
        assert response.status_code == 200
        assert world.public_meeting.title in body(response)
        assert PUBLIC_LINK not in body(response)


def test_the_member_does_see_their_own_feed_address(world, clients):
    """The other side of the token check in the sweep above."""
    token = world.users["member"].calendar_token
    assert token in body(fetch(clients["member"], "get", reverse("meetings:feed_reset")))
    assert token in body(fetch(clients["member"], "get", reverse("meetings:mine")))


def test_an_organisations_members_and_requests_are_for_its_representatives(world, clients):
    url = reverse("organisations:detail", args=[world.organisation.pk])
    for role in ("anonymous", "member", "outsider", "other_coordinator"):
        text = body(fetch(clients[role], "get", url))
        assert "applicant@example.org" not in text and "member@example.org" not in text, role
    for role in ("representative", "coordinator", "admin"):
        assert "applicant@example.org" in body(fetch(clients[role], "get", url)), role


def test_evaluation_answers_are_only_in_the_summary_for_its_managers(world, clients, member):
    from tables.services import answer_field_name
    from tables.tests.factories import default_evaluation_template

    questions = list(default_evaluation_template().questions.order_by("position"))
    answers = {
        answer_field_name(q.pk): "3" if q.kind == "scale" else "Salainen palaute 8812" for q in questions
    }
    client = Client()
    client.force_login(member)
    url = reverse("tables:evaluation_answer", args=[world.private_evaluation.pk])
    assert client.post(url, answers).status_code == 302
    for name in ("tables:evaluation_summary", "tables:evaluation_export", "tables:evaluation_answer"):
        url = reverse(name, args=[world.private_evaluation.pk])
        for role in ("outsider", "other_coordinator", "representative"):
            response = fetch(clients[role], "get", url)
            assert "Salainen palaute 8812" not in body(response), (role, name)
    for name in ("tables:evaluation_summary", "tables:evaluation_export"):
        url = reverse(name, args=[world.private_evaluation.pk])
        assert "Salainen palaute 8812" in body(fetch(clients["coordinator"], "get", url)), name


# --- IDOR: guessing ids of other people's objects changes nothing ------------------------------------


def test_guessed_ids_of_other_organisations_change_nothing(world, clients, other_organisation, outsider):
    other_request = MembershipFactory(organisation=other_organisation, status=MembershipStatus.PENDING)
    outsider_membership = Membership.objects.get(user=outsider)
    representative = clients["representative"]
    # The representative of one organisation guesses the ids of another's memberships.
    assert representative.post(
        reverse("organisations:decide_membership", args=[other_request.pk]), {"decision": "approve"}
    ).status_code == 404
    assert representative.post(
        reverse("organisations:set_member_role", args=[outsider_membership.pk]), {"role": "representative"}
    ).status_code == 404
    other_request.refresh_from_db()
    outsider_membership.refresh_from_db()
    assert other_request.status == MembershipStatus.PENDING
    assert outsider_membership.role == MembershipRole.MEMBER
    # The outsider edits an organisation that is not theirs, and decides on a pending one.
    outsider_client = clients["outsider"]
    name = world.organisation.name
    response = outsider_client.post(
        reverse("organisations:edit", args=[world.organisation.pk]), {"name": "Kaapattu ry", "kind": "ry"}
    )
    assert response.status_code == 403
    assert outsider_client.post(
        reverse("organisations:decide_eligibility", args=[world.pending_organisation.pk]), {"decision": "approve"}
    ).status_code == 404
    world.organisation.refresh_from_db()
    world.pending_organisation.refresh_from_db()
    assert world.organisation.name == name
    assert world.pending_organisation.eligibility == "pending"


def test_a_representative_cannot_name_the_people_of_another_organisation(world, clients, area):
    from organisations.tests.factories import OrganisationFactory

    other = StandingMemberFactory(
        table=world.public_table, organisation=OrganisationFactory(welfare_area=area), representative=None
    )
    before = list(StandingMember.objects.order_by("pk").values())
    url = reverse("tables:standing_member_edit", args=[other.pk])
    response = clients["representative"].post(url, {"representative": world.users["representative"].pk})
    assert response.status_code == 403
    assert list(StandingMember.objects.order_by("pk").values()) == before


def test_guessed_meeting_ids_change_nothing(world, clients):
    """The outsider and the other county's coordinator answer, propose and manage the private
    meeting by its id: 404 every time, and nothing is written."""
    meeting = world.private_meeting
    before = (Invitation.objects.count(), Rsvp.objects.count(), AgendaItem.objects.count())
    for role in ("outsider", "other_coordinator"):
        client = clients[role]
        requests = [
            (reverse("meetings:rsvp", args=[meeting.pk]), {"response": "online"}),
            (reverse("meetings:agenda_propose", args=[meeting.pk]), {"title": "Kaappaus"}),
            (reverse("meetings:agenda_add", args=[meeting.pk]), {"title_fi": "Kaappaus"}),
            (reverse("meetings:agenda_decide", args=[world.private_item.pk]), {"decision": "decline", "reason": "x"}),
            (reverse("meetings:cancel", args=[meeting.pk]), {"reason": "x"}),
            (reverse("meetings:edit", args=[meeting.pk]), {"title_fi": "Kaapattu"}),
            (reverse("meetings:add_invitees", args=[meeting.pk]), {"people": "evil@example.org", "language": "fi"}),
            (reverse("meetings:close", args=[world.past_private_meeting.pk]), {"next_date": "2030-01-01"}),
            (reverse("meetings:action_item_status", args=[world.private_action_item.pk]), {"status": "done"}),
        ]
        for url, data in requests:
            assert client.post(url, data).status_code == 404, (role, url)
            assert client.get(url).status_code in (404, 405), (role, url)
    assert (Invitation.objects.count(), Rsvp.objects.count(), AgendaItem.objects.count()) == before
    meeting.refresh_from_db()
    world.private_action_item.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED and meeting.title != "Kaapattu"
    assert world.private_action_item.status == "open"


def test_a_guessed_evaluation_id_takes_no_answers(world, clients):
    for evaluation, status in ((world.public_evaluation, 403), (world.private_evaluation, 404)):
        url = reverse("tables:evaluation_answer", args=[evaluation.pk])
        assert clients["outsider"].post(url, {}).status_code == status
    assert not EvaluationResponse.objects.exists()


def test_unknown_ids_and_hidden_ids_get_the_same_answer(world, clients):
    """404 for a private object is only worth something if a missing one gives the same page."""
    outsider = clients["outsider"]
    for name, hidden in (
        ("meetings:detail", world.private_meeting.pk),
        ("tables:detail", world.private_table.pk),
        ("organisations:detail", world.pending_organisation.pk),
        ("meetings:minutes", world.past_private_meeting.pk),
        ("tables:edit", world.private_table.pk),
    ):
        seen_url, missing_url = reverse(name, args=[hidden]), reverse(name, args=[987654321])
        seen, missing = fetch(outsider, "get", seen_url), fetch(outsider, "get", missing_url)
        assert seen.status_code == missing.status_code == 404, name
        # The pages differ only in their own address (in the language switch's "next").
        assert same_page(body(seen), seen_url) == same_page(body(missing), missing_url), name


# --- Signed RSVP tokens ---------------------------------------------------------------------------------


def _answer(client, token, response="in_person"):
    return client.post(reverse("meetings:rsvp_link", args=[token]), {"response": response})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def test_a_valid_token_answers_for_its_own_invitation_only(world):
    response = _answer(Client(), world.rsvp_token, "online")
    assert response.status_code == 200
    assert Rsvp.objects.get().invitation == world.private_invitation


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda token, w: token[:-1] + ("A" if token[-1] != "A" else "B"), id="last character changed"),
        pytest.param(lambda token, w: token[:3] + ("x" if token[3] != "x" else "y") + token[4:], id="payload changed"),
        pytest.param(lambda token, w: signing.dumps({"i": w.public_invitation.pk, "a": "in_person"}, salt="other"),
                     id="another salt"),
        pytest.param(lambda token, w: signing.dumps({"i": w.public_invitation.pk, "a": "in_person"}, salt=SALT,
                                                    key="not-the-secret-key-of-this-site-0123456789"),
                     id="another key"),
        pytest.param(lambda token, w: _b64(json.dumps({"i": w.public_invitation.pk, "a": "in_person"}).encode())
                     + ":" + token.rsplit(":", 1)[1], id="another invitation with the old signature"),
        pytest.param(lambda token, w: signing.dumps({"i": w.public_invitation.pk, "a": "in_person"}),
                     id="no salt"),
        pytest.param(lambda token, w: str(w.public_invitation.pk), id="a bare id"),
        pytest.param(lambda token, w: rsvp_token(SimpleNamespace(pk=987654321, link_key="k"), answer="in_person"),
                     id="no such invitation"),
    ],
)
def test_a_forged_token_answers_nothing(world, forge):
    token = forge(world.rsvp_token, world)
    assert token != world.rsvp_token
    client = Client()
    response = client.get(reverse("meetings:rsvp_link", args=[token]))
    assert response.status_code == 400
    for link in LINKS:
        assert link not in response.content.decode()
    assert _answer(client, token).status_code == 400
    assert not Rsvp.objects.exists()


def test_a_token_stops_working_when_the_meeting_is_over(world):
    client = Client()
    assert _answer(client, world.rsvp_token, "no").status_code == 200
    after = world.private_meeting.ends_at + timezone.timedelta(minutes=1)
    with time_machine.travel(after, tick=False):
        assert client.get(reverse("meetings:rsvp_link", args=[world.rsvp_token])).status_code == 410
        response = _answer(client, world.rsvp_token, "online")
        assert response.status_code == 410
        assert PRIVATE_LINK not in response.content.decode()
    assert Rsvp.objects.get().response == "no"


def test_a_token_stops_working_when_the_meeting_is_cancelled(world):
    world.private_meeting.status = MeetingStatus.CANCELLED
    world.private_meeting.save()
    assert _answer(Client(), world.rsvp_token).status_code == 410
    assert not Rsvp.objects.exists()


def test_following_the_link_records_nothing(world):
    """Mail scanners open links: the answer is recorded on POST only."""
    assert Client().get(reverse("meetings:rsvp_link", args=[world.rsvp_token])).status_code == 200
    assert not Rsvp.objects.exists()


# --- Calendar feed tokens -----------------------------------------------------------------------------


def test_feed_tokens_cannot_be_guessed_or_reused_after_a_reset(world, clients):
    member = world.users["member"]
    old = member.calendar_token
    for guess in (old[:-1], old.upper() if old.upper() != old else old.lower(), old + "x", "a" * len(old), "%00"):
        assert fetch(Client(), "get", reverse("meetings:feed_personal", args=[guess])).status_code == 404
    assert clients["member"].post(reverse("meetings:feed_reset"), {"confirm": "on"}).status_code == 302
    assert Client().get(reverse("meetings:feed_personal", args=[old])).status_code == 404
    member.refresh_from_db()
    assert Client().get(reverse("meetings:feed_personal", args=[member.calendar_token])).status_code == 200


def test_the_feed_of_a_deactivated_account_is_gone(world):
    member = world.users["member"]
    member.is_active = False
    member.save()
    assert Client().get(reverse("meetings:feed_personal", args=[member.calendar_token])).status_code == 404


def test_a_personal_feed_holds_only_the_meetings_one_is_invited_to(world, outsider):
    response = Client().get(reverse("meetings:feed_personal", args=[outsider.calendar_token]))
    assert response.status_code == 200
    text = response.content.decode()
    for meeting in (world.public_meeting, world.private_meeting, world.past_private_meeting):
        assert meeting.title not in text


# --- Other signed keys: e-mail confirmation and password reset expire -----------------------------------


def test_an_email_confirmation_key_expires(world):
    from allauth.account import app_settings

    key = EmailConfirmationHMAC(world.newcomer_email).key
    url = reverse("account_confirm_email", args=[key])
    later = timezone.now() + timezone.timedelta(days=app_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS + 1)
    with time_machine.travel(later, tick=False):
        assert Client().post(url).status_code in (200, 404)
    world.newcomer_email.refresh_from_db()
    assert not world.newcomer_email.verified
    assert Client().post(url).status_code == 302
    world.newcomer_email.refresh_from_db()
    assert world.newcomer_email.verified


def _reset_url(user, key=None):
    key = key or default_token_generator.make_token(user)
    return reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})


def _offers_new_password(client, url) -> bool:
    """Opens a reset link as from the e-mail: a valid key moves into the session and the browser
    is sent on to the form; an invalid one gets the page saying the link is not valid."""
    response = client.get(url, follow=True)
    assert response.status_code == 200
    return 'name="password1"' in response.content.decode()


def test_a_password_reset_key_works_once_and_expires(world, settings):
    user = world.reset_user
    url = _reset_url(user)
    # A day to spare: time_machine also moves the local zone, which Django's token clock reads.
    expired = timezone.now() + timezone.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT, days=1)
    with time_machine.travel(expired, tick=False):
        assert not _offers_new_password(Client(), url)
    client = Client()
    assert _offers_new_password(client, url)
    response = client.post(
        client.get(url)["Location"], {"password1": "uusi-salasana-4411", "password2": "uusi-salasana-4411"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("uusi-salasana-4411")
    assert not _offers_new_password(Client(), url)  # used once: not valid any more
    # One person's key does not open another person's account.
    assert not _offers_new_password(Client(), _reset_url(world.users["member"], key=url.rstrip("/").split("-", 1)[1]))


# --- Production settings --------------------------------------------------------------------------------

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-" + "x7Qk2pLm9Zr4Tv8Wn3Yb6Hc1Jd5Fg0Se" * 2,
    "SITE_URL": "https://kumppanuus.example.fi",
    "ALLOWED_HOSTS": "kumppanuus.example.fi",
    "STATICFILES_BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}
SECURITY_SETTINGS = [
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_HTTPONLY",
    "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS", "DEBUG", "ACCOUNT_DEFAULT_HTTP_PROTOCOL",
    "ALLAUTH_TRUSTED_PROXY_COUNT",
]


def settings_under(env: dict) -> dict:
    """The security settings as settings.py computes them from this environment (a fresh process)."""
    environment = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "DEBUG", "BEHIND_PROXY"}}
    environment.update(env)
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**environment, "DJANGO_SETTINGS_MODULE": "kumppanuus.settings"},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_an_https_site_gets_secure_cookies_hsts_and_the_redirect():
    production = settings_under(PRODUCTION_ENV)
    assert production["DEBUG"] is False
    for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
                 "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_HTTPONLY",
                 "SECURE_CONTENT_TYPE_NOSNIFF"):
        assert production[name] is True, name
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["X_FRAME_OPTIONS"] == "DENY"
    assert production["ACCOUNT_DEFAULT_HTTP_PROTOCOL"] == "https"  # links in e-mail
    # The embedded default over plain http cannot set secure cookies (the browser would drop them).
    local = settings_under({"SITE_URL": "http://127.0.0.1:8000"})
    assert local["SESSION_COOKIE_SECURE"] is False and local["SECURE_HSTS_SECONDS"] == 0


def test_production_settings_give_the_promised_headers_and_cookies(settings, member):
    """The values computed above, applied here, on real responses: plain http is redirected, https
    answers carry HSTS, and the session, CSRF and language cookies are Secure."""
    for name, value in settings_under(PRODUCTION_ENV).items():
        if name != "DEBUG" and value is not None:
            setattr(settings, name, value)
    settings.ALLOWED_HOSTS = ["kumppanuus.example.fi"]
    client = Client(HTTP_HOST="kumppanuus.example.fi")  # a new client reads the settings on its first request
    response = client.get("/accessibility/")
    assert response.status_code == 301
    assert response["Location"] == "https://kumppanuus.example.fi/accessibility/"

    response = client.get(reverse("account_login"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    response = client.post(reverse("set_language"), {"language": "sv", "next": "/"}, secure=True)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"]
    response = client.post(reverse("accounts:profile"), {"full_name": "M", "language": "en"}, secure=True)
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"]


def test_secret_addresses_are_never_stored_either(world):
    """The RSVP link and the personal feed are opened without signing in; their address is the secret."""
    for url in (
        reverse("meetings:rsvp_link", args=[world.rsvp_token]),
        reverse("meetings:feed_personal", args=[world.users["member"].calendar_token]),
    ):
        assert "no-store" in Client().get(url)["Cache-Control"], url


@pytest.mark.parametrize("name", ["home", "organisations:directory", "tables:list", "accessibility", "privacy"])
def test_public_pages_for_anonymous_visitors_may_be_cached_but_vary_by_cookie(db, client, name):
    """Public pages hold nothing personal, so the browser may keep them; a shared cache must still
    tell visitors apart (language, signed in or not), hence Vary: Cookie."""
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Cookie" in response["Vary"]


# --- allauth: rate limits and enumeration ------------------------------------------------------------------


def test_repeated_failed_sign_ins_lock_the_account_for_a_while(member, representative, settings):
    """login_failed 5/5m per address: after five wrong passwords even the right one is refused."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("account_login")
    for _ in range(5):
        response = client.post(url, {"login": member.email, "password": "wrong-password-1"})
        assert response.status_code == 200
    response = client.post(url, {"login": member.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()
    # Another person's account from the same address is not locked.
    other = Client()
    assert other.post(url, {"login": "representative@example.org", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize(
    ("name", "limit", "data"),
    [
        ("account_login", 30, lambda n: {"login": f"nobody{n}@example.org", "password": "x"}),
        ("account_signup", 20, lambda n: {"email": f"new{n}@example.org", "password1": "a", "password2": "b"}),
        ("account_reset_password", 20, lambda n: {"email": f"nobody{n}@example.org"}),
    ],
)
def test_allauth_rate_limits_per_ip_answer_429(db, name, limit, data):
    """The per-IP limits in ACCOUNT_RATE_LIMITS, counted in the real Redis cache."""
    client = Client(REMOTE_ADDR="192.0.2.10")
    url = reverse(name)
    for n in range(limit):
        assert client.post(url, data(n)).status_code != 429, n
    assert client.post(url, data(limit)).status_code == 429
    # Another address is not affected.
    assert Client(REMOTE_ADDR="192.0.2.11").post(url, data(0)).status_code != 429


def test_behind_the_proxy_the_limits_count_each_client_not_the_proxy(db, settings):
    """In production (BEHIND_PROXY=true) every request comes from the proxy's address; the per-IP
    limits must count the client's address, which the proxy appends to X-Forwarded-For, or thirty
    wrong passwords a minute from anyone would lock everyone out."""
    assert settings_under({**PRODUCTION_ENV, "BEHIND_PROXY": "true"})["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    assert settings_under(PRODUCTION_ENV)["ALLAUTH_TRUSTED_PROXY_COUNT"] is None
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    url = reverse("account_login")
    attacker = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for n in range(30):
        attacker.post(url, {"login": f"nobody{n}@example.org", "password": "x"})
    assert attacker.post(url, {"login": "nobody@example.org", "password": "x"}).status_code == 429
    # Claiming another address in the header does not help: the proxy's entry is the last one.
    spoofing = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.66")
    assert spoofing.post(url, {"login": "nobody@example.org", "password": "x"}).status_code == 429
    someone_else = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.77")
    assert someone_else.post(url, {"login": "nobody@example.org", "password": "x"}).status_code == 200


def test_password_resets_for_one_address_are_limited(member):
    client = Client()
    url = reverse("account_reset_password")
    for _ in range(5):
        assert client.post(url, {"email": member.email}).status_code == 302
    assert client.post(url, {"email": member.email}).status_code == 429
    assert len(mail.outbox) == 5


def test_password_reset_does_not_reveal_whether_an_account_exists(member):
    def reset(email):
        mail.outbox.clear()
        client = Client()
        response = client.post(reverse("account_reset_password"), {"email": email})
        followed = client.get(response["Location"])
        page = same_page(followed.content.decode(), email)
        return response.status_code, response["Location"], response.content, page, len(mail.outbox)

    known, unknown = reset(member.email), reset("nobody-here@example.org")
    assert known == unknown
    assert known[0] == 302 and known[4] == 1  # one e-mail either way (to the address given)


def test_sign_up_does_not_reveal_whether_an_account_exists(member):
    def sign_up(email):
        client = Client()
        response = client.post(
            reverse("account_signup"),
            {"email": email, "password1": "pitka-salasana-9931", "password2": "pitka-salasana-9931",
             "full_name": "Uusi Ihminen", "language": "fi"},
        )
        followed = client.get(response["Location"]) if response.status_code == 302 else response
        return response.status_code, response.get("Location"), same_page(followed.content.decode(), email)

    assert sign_up(member.email) == sign_up("someone-new@example.org")


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(member):
    def sign_in(email):
        response = Client().post(reverse("account_login"), {"login": email, "password": "wrong-password-1"})
        return response.status_code, re.sub(r'value="[^"]*"', "", response.content.decode())

    assert sign_in(member.email) == sign_in("nobody-here@example.org")


def test_the_rate_limit_counters_live_in_redis(settings):
    """The counters are shared by every web process only if the cache is Redis."""
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


# --- The admin signs in through the same rate-limited door (issue 11, item 3) ------------------------------


def test_the_admin_login_checks_no_passwords_so_its_failures_are_limited_too(db, admin_user, settings):
    """Thirty wrong passwords and then the right one on /admin/login/ signed in: Django's admin
    login has no limit of its own. It sends everyone to allauth's sign-in, which locks after five."""
    admin_user.set_password(PASSWORD)
    admin_user.save()
    client = Client()
    url = reverse("admin:login")
    for _ in range(30):
        client.post(url, {"username": admin_user.email, "password": "wrong-password-1"})
    response = client.post(url, {"username": admin_user.email, "password": PASSWORD, "next": "/admin/"})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"
    # Where it sends them, the limit holds: five wrong passwords lock the account, the admin's too.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login = reverse("account_login")
    for _ in range(5):
        client.post(login, {"login": admin_user.email, "password": "wrong-password-1"})
    response = client.post(login, {"login": admin_user.email, "password": PASSWORD, "next": "/admin/"})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_staff_sign_in_through_allauth_and_land_in_the_admin(db, admin_user, member):
    admin_user.set_password(PASSWORD)
    admin_user.save()
    client = Client()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"
    response = client.post(response["Location"], {"login": admin_user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # Signed in already: the admin's sign-in sends staff on, never to an address outside the site.
    assert client.get(reverse("admin:login"), {"next": "/admin/tables/"})["Location"] == "/admin/tables/"
    assert client.get(reverse("admin:login"), {"next": "https://evil.example/"})["Location"] == "/admin/"
    # A signed-in person who is not staff is told so (sending them to sign in would loop).
    other = Client()
    other.force_login(member)
    assert other.get(reverse("admin:login"), {"next": "/admin/"}).status_code == 403


def test_the_admin_changes_passwords_through_allauth_too(db, admin_user):
    """The admin's own "change password" form checks the old password with no limit; staff are sent
    to allauth's, which allows five attempts a minute."""
    client = Client()
    client.force_login(admin_user)
    for method in ("get", "post"):
        response = getattr(client, method)(reverse("admin:password_change"), {"old_password": "guess"})
        assert response.status_code == 302 and response["Location"] == reverse("account_change_password")


# --- The embedded key is for the local demo only (issue 11, item 4) -----------------------------------------


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**environment, **env},
    )


@pytest.mark.parametrize(
    "env",
    [
        {"DEBUG": "false"},  # the embedded default's SQLite, once signed with the public key
        {},  # DEBUG is off unless it is turned on
        {"DEBUG": "false", "DATABASE_URL": "postgres://postgres@localhost:5432/kumppanuus"},
        {"DEBUG": "false", "SECRET_KEY": "embedded-default-insecure-key-only-for-local-demo-use-0123456789"},
    ],
    ids=["sqlite", "debug-unset", "postgres", "embedded-key-given"],
)
def test_without_debug_the_app_refuses_to_start_without_a_key_of_its_own(env):
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set to a long random value of your own when DEBUG is off" in result.stderr


def test_check_deploy_flags_the_embedded_key():
    """In debug mode the embedded key runs the demo, but check --deploy says it must not be deployed."""
    result = _manage("check", "--deploy", env={"DEBUG": "true"})
    assert result.returncode != 0
    assert "kumppanuus.E002" in result.stdout + result.stderr
    production = _manage("check", "--deploy", env=PRODUCTION_ENV)
    assert "kumppanuus.E00" not in production.stdout + production.stderr


def test_the_plain_check_flags_the_embedded_key_outside_debug(settings):
    """However the embedded key reaches a run without DEBUG (a settings override, a fallback key)."""
    from django.core.checks import run_checks

    settings.DEBUG = False
    settings.SECRET_KEY = settings.EMBEDDED_SECRET_KEY
    assert "kumppanuus.E001" in {message.id for message in run_checks()}
    settings.SECRET_KEY = "another-long-random-secret-" + "x7Qk2pLm9Zr4Tv8Wn3Yb6Hc1Jd5Fg0Se" * 2
    settings.SECRET_KEY_FALLBACKS = [settings.EMBEDDED_SECRET_KEY]
    assert "kumppanuus.E001" in {message.id for message in run_checks()}
    settings.SECRET_KEY_FALLBACKS = []
    assert "kumppanuus.E001" not in {message.id for message in run_checks()}


# --- Names are one line and never a link in our mail (issue 11, item 8) ------------------------------------

HOSTILE_NAMES = [
    "Maija\n\nYour account is locked: sign in at https://evil.example/login",
    "Maija\r\nBcc: someone@evil.example",
    "www.evil.example",
    "Sign in at evil.example",
    "maija@evil.example",
    "Maija \u202eelpmaxe.live",  # a right-to-left override turns text around
    "Maija\u2028Meikäläinen",  # a line separator
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_sign_up_with_a_hostile_name_is_refused_and_mails_nothing(db, name):
    """Sign-up mails a verification message to any address typed: the name must not carry a
    second paragraph or a link into it."""
    mail.outbox.clear()
    response = Client().post(
        reverse("account_signup"),
        {"email": "victim@example.org", "password1": "pitka-salasana-9931", "password2": "pitka-salasana-9931",
         "full_name": name, "language": "en"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["full_name"]
    assert not mail.outbox
    assert not User.objects.filter(email="victim@example.org").exists()


def test_the_verification_message_names_no_one(db):
    """Even a name that passes is not written into the message sent to an unconfirmed address."""
    mail.outbox.clear()
    response = Client().post(
        reverse("account_signup"),
        {"email": "someone@example.org", "password1": "pitka-salasana-9931", "password2": "pitka-salasana-9931",
         "full_name": "Hyökkääjä Huijari", "language": "fi"},
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    texts = [message.body, *(content for content, _type in getattr(message, "alternatives", []))]
    assert all("Hyökkääjä" not in text for text in texts)
    assert "/accounts/confirm-email/" in message.body


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_are_refused_in_the_profile_and_the_model(member, name):
    client = Client()
    client.force_login(member)
    response = client.post(reverse("accounts:profile"), {"full_name": name, "language": "fi"})
    assert response.status_code == 200 and response.context["form"].errors["full_name"]
    member.refresh_from_db()
    assert member.full_name != name
    member.full_name = name
    with pytest.raises(ValidationError):
        member.full_clean(exclude=["password"])


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_invitation_names_typed_by_address_are_one_line_without_links(world, name):
    """The coordinator's "add invitees by address" (Name <address>) and the service behind it,
    which writes invitations with bulk_create (no model validation) and mails them."""
    from meetings.services.meetings import meeting_add_invitees, meeting_schedule

    coordinator = world.users["coordinator"]
    with pytest.raises(ValidationError):
        meeting_schedule(actor=coordinator, meeting=world.draft_meeting, extra_people=[(name, "guest@example.org")])
    with pytest.raises(ValidationError):
        meeting_add_invitees(actor=coordinator, meeting=world.public_meeting, people=[(name, "guest@example.org")])
    assert not Invitation.objects.filter(email="guest@example.org").exists()
    # The pair the wrong way round (issue 11, "Also"): the address is checked in the service too.
    with pytest.raises(ValidationError):
        meeting_add_invitees(actor=coordinator, meeting=world.public_meeting, people=[("guest@example.org", "Guest")])


@pytest.mark.parametrize(
    "entry",
    ['"www.evil.example" <guest@example.org>', "Sign in at evil.example <guest@example.org>",
     '"Maija \u202eelpmaxe.live" <guest@example.org>', '"Maija\tMeikäläinen" <guest@example.org>'],
)
def test_the_address_list_refuses_hostile_names(entry):
    from meetings.services.meetings import parse_email_list

    with pytest.raises(ValidationError):
        parse_email_list(entry)
    assert parse_email_list("Maija Meikäläinen <guest@example.org>") == [("Maija Meikäläinen", "guest@example.org")]


def test_ordinary_names_still_pass(member):
    for name in ("Maija Meikäläinen", "Anna-Liisa O'Brien", "J.R.R. Tolkien", "Åsa Öberg-Nyström", "Nguyễn Văn A",
                 "Dr. Smith"):
        member.full_name = name
        member.full_clean(exclude=["password"])
