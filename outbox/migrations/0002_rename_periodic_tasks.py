"""The outbox's sweeper and purge were meetings' and the project's periodic tasks before; an existing
installation's django-celery-beat rows name the old tasks, which no longer exist. Renamed here (and
by setup_periodic_tasks, kumppanuus/schedules.py RENAMED), so beat keeps running them."""

from django.db import migrations

# (old row name, old task) → (new row name, new task); frozen here as history.
RENAMED = {
    ("Meetings: sweep the e-mail outbox", "meetings.tasks.sweep_outbox_task"): (
        "Outbox: sweep unsent e-mail", "outbox.tasks.sweep_outbox_task",
    ),
    ("Personal data: purge the e-mail outbox", "kumppanuus.tasks.purge_outbox_task"): (
        "Outbox: purge old delivery records", "outbox.tasks.purge_outbox_task",
    ),
}


def rename_periodic_tasks(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for (old_name, old_task), (new_name, new_task) in RENAMED.items():
        for row in PeriodicTask.objects.filter(task=old_task):
            row.task = new_task
            if row.name == old_name and not PeriodicTask.objects.filter(name=new_name).exists():
                row.name = new_name
            row.save(update_fields=["task", "name"])


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
        ("django_celery_beat", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename_periodic_tasks, migrations.RunPython.noop)]
