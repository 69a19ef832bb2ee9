"""The sweeper and the purge moved into the outbox: existing beat rows must keep running them."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from kumppanuus.celery import app
from kumppanuus.schedules import PERIODIC_TASKS

pytestmark = pytest.mark.django_db

rename = importlib.import_module("outbox.migrations.0002_rename_periodic_tasks").rename_periodic_tasks


def test_the_migration_points_an_existing_installations_rows_at_the_moved_tasks():
    crontab = CrontabSchedule.objects.create(minute="*/5")
    PeriodicTask.objects.create(name="Meetings: sweep the e-mail outbox", task="meetings.tasks.sweep_outbox_task",
                                crontab=crontab)
    # An admin renamed this one; it keeps its name and gets the new task.
    PeriodicTask.objects.create(name="Öinen siivous", task="kumppanuus.tasks.purge_outbox_task", crontab=crontab)

    rename(apps, None)

    rows = dict(PeriodicTask.objects.exclude(name="celery.backend_cleanup").values_list("name", "task"))
    assert rows == {
        "Outbox: sweep unsent e-mail": "outbox.tasks.sweep_outbox_task",
        "Öinen siivous": "outbox.tasks.purge_outbox_task",
    }
    app.loader.import_default_modules()
    assert set(rows.values()) <= set(app.tasks)
    # Running it again changes nothing; setup_periodic_tasks then adds only what is missing.
    rename(apps, None)
    call_command("setup_periodic_tasks", verbosity=0)
    tasks = list(PeriodicTask.objects.exclude(name="celery.backend_cleanup").values_list("task", flat=True))
    assert sorted(tasks) == sorted([spec.task for spec in PERIODIC_TASKS] + ["outbox.tasks.purge_outbox_task"])


def test_setup_periodic_tasks_moves_rows_that_still_name_an_old_task():
    crontab = CrontabSchedule.objects.create(minute="*/5")
    PeriodicTask.objects.create(name="Outbox: sweep unsent e-mail", task="meetings.tasks.sweep_outbox_task",
                                crontab=crontab)
    call_command("setup_periodic_tasks", verbosity=0)
    assert PeriodicTask.objects.get(name="Outbox: sweep unsent e-mail").task == "outbox.tasks.sweep_outbox_task"
