"""The embedded default (`make run`: SQLite, eager Celery, console e-mail) sends through the outbox
too, and runs the outbox's periodic tasks: in a subprocess, as `make run` starts it."""

import pytest

from tests.test_smoke import _embedded_env, _manage

SCRIPT = """
from django.db import transaction
from accounts.models import User
from organisations.models import Organisation
from organisations.services import ELIGIBILITY_DECISION
from outbox.models import Notification
from outbox.services import notification_queue

person = User.objects.get(email="edustaja@demo.kumppanuus.fi")
with transaction.atomic():
    notification_queue(kind=ELIGIBILITY_DECISION, object_id=Organisation.objects.first().pk, recipients=[person])
print("STATUS", Notification.objects.get(user=person, kind=ELIGIBILITY_DECISION).delivery_status)

# Imported only now: the send above must not depend on anything having imported a tasks module.
from outbox.tasks import purge_outbox_task, sweep_outbox_task
from meetings.tasks import queue_action_item_reminders_task, queue_meeting_reminders_task
from tables.tasks import send_evaluation_reminders_task
for task in (sweep_outbox_task, purge_outbox_task, queue_meeting_reminders_task, queue_action_item_reminders_task,
             send_evaluation_reminders_task):
    print("RAN", task.name, task.delay().get())
"""


@pytest.mark.smoke
def test_the_embedded_default_sends_a_notification_through_the_outbox_and_runs_its_periodic_tasks(tmp_path):
    env = _embedded_env(tmp_path)
    assert _manage("migrate", "--no-input", env=env).returncode == 0
    assert _manage("load_demo", env=env).returncode == 0
    result = _manage("shell", "-c", SCRIPT, env=env)
    assert result.returncode == 0, result.stderr
    assert "STATUS sent" in result.stdout
    assert "To: edustaja@demo.kumppanuus.fi" in result.stdout  # the console backend printed the message
    assert result.stdout.count("RAN ") == 5
