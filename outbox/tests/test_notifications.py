"""Notifications through the outbox: one row per person, each delivered at most once, whatever fails."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMessage

from outbox.engine import MAX_ATTEMPTS, deliver, outbox_sweep
from outbox.models import Notification, OutboxStatus
from outbox.registry import register_notification
from outbox.services import notification_queue

pytestmark = pytest.mark.django_db

KIND = "outbox.tests.greeting"


def _greeting(notification, cache):
    if notification.object_id == 0:
        return None  # what the notification was about is gone
    return EmailMessage(subject=f"Hello #{notification.object_id}", body="Hello.", to=[notification.email])


register_notification(KIND, _greeting)


def _people(count: int) -> list:
    User = get_user_model()
    return [User.objects.create_user(email=f"person{index}@example.org", password="x") for index in range(count)]


@pytest.fixture
def eager_retries():
    """Eager Celery runs a task's retries at once when it does not propagate the Retry to the caller."""
    from kumppanuus.celery import app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


def test_five_people_whose_fourth_address_fails_for_good_each_other_gets_it_exactly_once(
    smtp_server, django_capture_on_commit_callbacks
):
    people = _people(5)
    smtp_server.refuse.add(people[3].email)

    with django_capture_on_commit_callbacks(execute=True):
        rows = notification_queue(kind=KIND, object_id=7, recipients=people)

    assert len(rows) == 5
    others = sorted(person.email for index, person in enumerate(people) if index != 3)
    assert smtp_server.recipients == others  # each exactly once
    statuses = dict(Notification.objects.values_list("email", "delivery_status"))
    assert statuses.pop(people[3].email) == OutboxStatus.FAILED
    assert set(statuses.values()) == {OutboxStatus.SENT}
    # Sending the batch again (a duplicated task) or sweeping sends nobody anything more.
    assert deliver("outbox.notification", [row.pk for row in rows]).sent == 0
    assert outbox_sweep()["Notification"] == 0
    assert smtp_server.recipients == others


def test_five_people_whose_fourth_address_fails_for_a_while_each_gets_it_exactly_once(
    smtp_server, eager_retries, django_capture_on_commit_callbacks, monkeypatch
):
    """The fourth is answered 451 twice: only that row is retried, so the others are not mailed again."""
    people = _people(5)
    fourth = people[3].email
    refusals = iter([True, True])
    original = type(smtp_server).handle_RCPT

    async def refuse_twice(self, server, session, envelope, address, rcpt_options):
        if address == fourth and next(refusals, False):
            return "451 4.3.2 Try again later"
        return await original(self, server, session, envelope, address, rcpt_options)

    monkeypatch.setattr(type(smtp_server), "handle_RCPT", refuse_twice)

    with django_capture_on_commit_callbacks(execute=True):
        notification_queue(kind=KIND, object_id=7, recipients=people)

    assert smtp_server.recipients == sorted(person.email for person in people)
    row = Notification.objects.get(email=fourth)
    assert (row.delivery_status, row.attempts, row.last_error) == (OutboxStatus.SENT, 3, "")
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1, 3}


def test_an_unreachable_server_leaves_every_row_queued_with_its_error(smtp_down, django_capture_on_commit_callbacks):
    people = _people(3)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            notification_queue(kind=KIND, object_id=7, recipients=people)
        except Exception as error:  # eager mode propagates the task's Retry
            assert type(error).__name__ == "Retry"
    rows = list(Notification.objects.all())
    assert {(row.delivery_status, row.attempts) for row in rows} == {(OutboxStatus.QUEUED, 1)}
    assert all("ConnectionRefusedError" in row.last_error for row in rows)
    assert MAX_ATTEMPTS > 1


def test_a_notification_no_longer_needed_is_skipped(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_queue(kind=KIND, object_id=0, recipients=_people(1))
    assert mail.outbox == []
    assert Notification.objects.get().delivery_status == OutboxStatus.SKIPPED


def test_one_row_per_address_and_nobody_without_one(django_capture_on_commit_callbacks):
    person = _people(1)[0]

    class Invitee:  # a row like an invitation: an address, maybe no account
        def __init__(self, email, user=None):
            self.email, self.user = email, user

    recipients = [person, Invitee(person.email.upper(), person), Invitee(""), Invitee("x@example.org")]
    rows = notification_queue(kind=KIND, object_id=7, recipients=recipients)
    assert [(row.email, row.user) for row in rows] == [(person.email, person), ("x@example.org", None)]


def test_an_unknown_kind_fails_in_the_service_not_later_in_a_worker():
    with pytest.raises(LookupError):
        notification_queue(kind="nobody.registered.this", object_id=1, recipients=_people(1))
    assert not Notification.objects.exists()


def test_a_person_who_left_gets_nothing(django_capture_on_commit_callbacks):
    person = _people(1)[0]
    rows = notification_queue(kind=KIND, object_id=7, recipients=[person])
    type(person).objects.filter(pk=person.pk).update(is_active=False)
    assert deliver("outbox.notification", [row.pk for row in rows]).skipped == 1
    assert mail.outbox == []
