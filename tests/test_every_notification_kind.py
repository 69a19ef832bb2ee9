"""Every registered notification kind, from its example (outbox/tests/notification_examples.py), through
a real Celery worker on the real Redis broker and a real SMTP server (aiosmtpd), in the recipient's
language: at once, and in a daily digest, each once; off sends nothing; the one-click unsubscribe
turns it off. A kind registered without an example fails here.

The worker runs in a thread of this process (celery.contrib.testing); the rows are committed
(transactional_db) so that its own database connection sees them.
"""

import email
import email.policy
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils.translation import gettext, override

from kumppanuus.testing.worker import wait_for as _wait_for
from outbox.digests import digests_queue
from outbox.engine import outbox_sweep
from outbox.models import HELD, Digest, Notification, OutboxStatus
from outbox.notifications import build_notification
from outbox.preferences import Rhythm, may_choose, rhythm_for, settings_url
from outbox.registry import notification_kind, notification_kinds
from outbox.services import notification_queue
from outbox.tests.notification_examples import examples

EXAMPLES = examples()
# Kinds a test module registers for itself (outbox.tests.*) are not the product's.
KINDS = sorted(kind for kind in set(notification_kinds()) | set(EXAMPLES) if not kind.startswith("outbox.tests."))




def _example(kind: str):
    assert kind in EXAMPLES, f"{kind} has no example: add @example({kind!r}) in <app>/tests/notification_examples*.py"
    return EXAMPLES[kind]()


def _user(recipient):
    return recipient if isinstance(recipient, get_user_model()) else getattr(recipient, "user", None)


def _speak(recipient, language: str) -> None:
    """The recipient (and its account, for a row such as an invitation) reads ``language``."""
    for each in {id(recipient): recipient, id(_user(recipient)): _user(recipient)}.values():
        if each is not None and hasattr(each, "language"):
            each.language = language
            each.save(update_fields=["language"])


def _choose(recipients, kind: str, rhythm: str) -> None:
    for recipient in recipients:
        user = _user(recipient)
        user.notification_rhythms = {**user.notification_rhythms, kind: rhythm}
        user.save(update_fields=["notification_rhythms"])


def _received(smtp_server) -> dict:
    received = {}
    for envelope in smtp_server.envelopes:
        for address in envelope.rcpt_tos:
            assert address not in received, f"{address} got two e-mails"
            received[address] = email.message_from_bytes(envelope.content, policy=email.policy.default)
    return received


def _text(parsed) -> str:
    return parsed.get_body(("plain",)).get_content()


def test_every_registered_kind_has_an_example_and_a_label():
    registered = {kind for kind in notification_kinds() if not kind.startswith("outbox.tests.")}
    assert registered - set(EXAMPLES) == set(), "kinds without an example"
    assert [kind for kind in registered if not notification_kind(kind).label] == [], "kinds without a label"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_sent_at_once_in_the_recipients_language(worker, smtp_server, kind, language):
    object_id, recipients = _example(kind)
    for recipient in recipients:
        _speak(recipient, language)
    rows = notification_queue(kind=kind, object_id=object_id, recipients=recipients)
    assert rows
    _wait_for(lambda: not Notification.objects.filter(kind=kind, delivery_status__in=["queued", "sending"]).exists())
    assert set(Notification.objects.filter(kind=kind).values_list("delivery_status", flat=True)) == {OutboxStatus.SENT}
    received = _received(smtp_server)
    assert sorted(received) == sorted(row.email for row in rows)  # each exactly once
    with override(language):
        footer = gettext("Notification settings")
    for row in rows:
        parsed = received[row.email]
        text = _text(parsed)
        assert footer in text and settings_url(kind) in text  # ends with the settings that control it
        html = parsed.get_body(("html",))
        assert html is None or settings_url(kind) in html.get_content()
        if row.user is not None and may_choose(kind):
            assert str(parsed["List-Unsubscribe"]).strip().startswith(f"<{settings.SITE_URL}/me/unsubscribe/")
            assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        else:
            assert parsed["List-Unsubscribe"] is None  # always sent: nothing to turn off


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_comes_once_in_a_daily_digest_in_the_recipients_language(worker, smtp_server, kind):
    object_id, recipients = _example(kind)
    recipients = [recipient for recipient in recipients if _user(recipient) is not None]
    for recipient, language in zip(recipients, ["fi", "sv"] * len(recipients), strict=False):
        _speak(recipient, language)
    _choose(recipients, kind, Rhythm.DAILY)
    rows = notification_queue(kind=kind, object_id=object_id, recipients=recipients)
    if not may_choose(kind):  # always sent at once, whatever the person chose
        assert rhythm_for(_user(recipients[0]), kind) == Rhythm.NOW
        _wait_for(lambda: len(smtp_server.envelopes) == len(rows))
        assert not Notification.objects.filter(delivery_status=HELD).exists()
        return
    assert {row.delivery_status for row in Notification.objects.filter(kind=kind)} == {HELD}
    assert outbox_sweep()["Notification"] == 0  # the sweeper never sends a held row
    # What each item will say, in each person's language, built here as the digest will.
    expected = {row.email: build_notification(row, {}).subject.removeprefix(settings.EMAIL_SUBJECT_PREFIX)
                for row in Notification.objects.filter(kind=kind).select_related("user")}

    assert digests_queue(Rhythm.DAILY) == len(rows)
    _wait_for(lambda: not Digest.objects.filter(delivery_status__in=["queued", "sending"]).exists())
    received = _received(smtp_server)
    assert sorted(received) == sorted(row.email for row in rows)
    for row in Notification.objects.filter(kind=kind).select_related("user"):
        assert row.delivery_status == OutboxStatus.SENT
        parsed = received[row.email]
        with override(row.user.language):
            assert str(parsed["Subject"]) == settings.EMAIL_SUBJECT_PREFIX + gettext("Your daily digest")
            assert gettext("Notification settings") in _text(parsed)
        assert expected[row.email] in _text(parsed)
        assert str(parsed["List-Unsubscribe"]).strip().startswith(f"<{settings.SITE_URL}/me/unsubscribe/")

    # The digest run again (beat twice, or a retry): nothing more goes out.
    assert digests_queue(Rhythm.DAILY) == 0
    assert outbox_sweep()["Digest"] == 0
    time.sleep(0.5)
    assert len(smtp_server.envelopes) == len(rows)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_off_sends_nothing_unless_the_kind_is_always_sent(kind, django_capture_on_commit_callbacks):
    object_id, recipients = _example(kind)
    recipients = [recipient for recipient in recipients if _user(recipient) is not None]
    _choose(recipients, kind, Rhythm.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        rows = notification_queue(kind=kind, object_id=object_id, recipients=recipients)
    if may_choose(kind):
        assert rows == [] and not Notification.objects.exists() and mail.outbox == []
    else:
        assert len(mail.outbox) == len(rows) == len(recipients)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [kind for kind in KINDS if kind in EXAMPLES])
def test_the_one_click_unsubscribe_turns_the_kind_off(kind, django_capture_on_commit_callbacks):
    object_id, recipients = _example(kind)
    person = next(_user(recipient) for recipient in recipients if _user(recipient) is not None)
    with django_capture_on_commit_callbacks(execute=True):
        notification_queue(kind=kind, object_id=object_id, recipients=[person])
    (message,) = mail.outbox
    header = message.extra_headers.get("List-Unsubscribe")
    if not may_choose(kind):
        assert header is None
        return
    url = header.strip("<>").removeprefix(settings.SITE_URL)
    anonymous = Client()
    assert anonymous.get(url).status_code == 200  # asks; changes nothing
    person.refresh_from_db()
    assert rhythm_for(person, kind) == Rhythm.NOW
    # RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click", signed in as nobody, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert rhythm_for(person, kind) == Rhythm.OFF
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_queue(kind=kind, object_id=object_id, recipients=[person]) == []
    assert len(mail.outbox) == 1
