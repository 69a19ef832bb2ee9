"""The embedded default (`make run`: SQLite, eager Celery, console e-mail) sends through the outbox
too, and runs every periodic task of kumppanuus/schedules.py: in a subprocess, as `make run` starts it."""

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

# Every periodic task beat runs, as beat names it (issue 13: the embedded default runs them all).
# Imported only now: the send above must not depend on anything having imported a tasks module.
import importlib
from kumppanuus.schedules import PERIODIC_TASKS
for spec in PERIODIC_TASKS:
    module, name = spec.task.rsplit(".", 1)
    task = getattr(importlib.import_module(module), name)
    print("RAN", task.name, task.delay().get())
print("TASKS", len(PERIODIC_TASKS))
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
    ran = result.stdout.count("RAN ")
    assert ran >= 5 and f"TASKS {ran}" in result.stdout
