"""allauth's e-mails go through Celery: rendered in the request, sent by a worker (accounts/adapter.py)."""

import base64
import json

import pytest
import redis
from django.core import mail
from django.urls import reverse

from accounts.tasks import send_account_mail_task
from kumppanuus.celery import app
from kumppanuus.testing.faults import publishing_to

pytestmark = pytest.mark.django_db

QUEUE_DB = "redis://localhost:6379/14"


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_reset_mail_is_queued_whole_and_a_worker_sends_it(client, member):
    queue = redis.Redis.from_url(QUEUE_DB)
    queue.flushdb()
    with publishing_to(app, QUEUE_DB):
        response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    assert mail.outbox == []  # nothing was sent in the request
    [raw] = queue.lrange("celery", 0, -1)
    envelope = json.loads(raw)
    assert envelope["headers"]["task"] == "accounts.tasks.send_account_mail_task"
    args, _kwargs, _embed = json.loads(base64.b64decode(envelope["body"]))

    assert send_account_mail_task(*args) == 1  # what the worker runs
    [message] = mail.outbox
    assert message.to == [member.email]
    assert "/accounts/password/reset/key/" in message.body
    queue.flushdb()


def test_with_the_queue_unreachable_the_mail_is_sent_at_once(client, member):
    with publishing_to(app, f"redis://127.0.0.1:{_closed_port()}/0"):
        response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [member.email]
