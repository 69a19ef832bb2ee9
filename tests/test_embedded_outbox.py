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


AGENDA_SCRIPT = """
import datetime, time
from django.db import transaction
from django.utils import timezone
from accounts.models import User
from meetings.models import AgendaUpdate, Invitation
from meetings.services import agenda_item_add, agenda_item_update, meeting_create, meeting_schedule
from tables.models import PartnershipTable

admin = User.objects.filter(is_superuser=True).first()
table = PartnershipTable.objects.filter(standing_members__status="active").order_by("pk").first()
starts = timezone.now() + datetime.timedelta(days=10)
meeting = meeting_create(
    actor=admin, table=table, title="Esityslistatesti", starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
    format="online", online_link="https://meet.example.org/esityslista",
)
meeting_schedule(actor=admin, meeting=meeting)  # eager: the invitations go out as it commits
told = Invitation.objects.filter(meeting=meeting).exclude(sent_at=None).count()
with transaction.atomic():
    item = agenda_item_add(actor=admin, meeting=meeting, title="Uusi asia")
with transaction.atomic():
    agenda_item_update(actor=admin, item=item, title="Uusi asia, tarkennettu")
print("WAITING", AgendaUpdate.objects.filter(delivery_status="queued").count(), "TOLD", told)

from outbox.tasks import release_due_outbox_task, sweep_outbox_task
print("EARLY", release_due_outbox_task.delay().get(), sweep_outbox_task.delay().get()["AgendaUpdate"])
time.sleep(2.5)
print("RELEASED", release_due_outbox_task.delay().get())
print("SENT", AgendaUpdate.objects.filter(delivery_status="sent").count())
"""


@pytest.mark.smoke
def test_the_embedded_default_sends_agenda_updates_when_their_window_closes(tmp_path):
    """On SQLite with eager Celery, the minutely run hands over the waiting "agenda updated" rows once due."""
    env = {**_embedded_env(tmp_path), "AGENDA_UPDATE_WINDOW_SECONDS": "2"}
    assert _manage("migrate", "--no-input", env=env).returncode == 0
    assert _manage("load_demo", env=env).returncode == 0
    result = _manage("shell", "-c", AGENDA_SCRIPT, env=env)
    assert result.returncode == 0, result.stderr
    lines = {line.split(" ", 1)[0]: line for line in result.stdout.splitlines() if line.split(" ", 1)[0].isupper()}
    waiting, told = int(lines["WAITING"].split()[1]), int(lines["WAITING"].split()[3])
    assert waiting >= 1 and waiting <= told, result.stdout  # one each, though the agenda changed twice
    assert lines["EARLY"] == "EARLY {'AgendaUpdate': 0} 0", result.stdout
    assert lines["RELEASED"] == f"RELEASED {{'AgendaUpdate': {waiting}}}", result.stdout
    sent = int(lines["SENT"].split()[1])
    assert 1 <= sent <= waiting, result.stdout  # an opted-out person or an unsent invitation is skipped
    assert result.stdout.count("Uusi asia, tarkennettu") >= sent  # the console backend printed the messages
