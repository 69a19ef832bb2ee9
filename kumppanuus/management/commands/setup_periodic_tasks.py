"""Writes the periodic tasks of kumppanuus/schedules.py into django-celery-beat; safe to run on every deploy."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from kumppanuus.schedules import PERIODIC_TASKS, RENAMED_TASKS, TIMEZONE


class Command(BaseCommand):
    help = (
        "Create the periodic tasks listed in kumppanuus/schedules.py in django-celery-beat. "
        "Existing tasks keep the schedule an admin may have changed, unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true",
            help="Also put back the schedule, task path and description of tasks that already exist.",
        )

    @transaction.atomic
    def handle(self, *args, reset=False, **options):
        created = updated = kept = 0
        for old_task, new_task in RENAMED_TASKS.items():
            # A row naming a task that moved would fail in beat for ever; it keeps its schedule.
            PeriodicTask.objects.filter(task=old_task).update(task=new_task)
        for spec in PERIODIC_TASKS:
            when = {
                "minute": spec.minute,
                "hour": spec.hour,
                "day_of_week": spec.day_of_week,
                "day_of_month": spec.day_of_month,
                "month_of_year": spec.month_of_year,
                "timezone": TIMEZONE,
            }
            # Admins may have added an identical schedule of their own: share the first one.
            crontab = (
                CrontabSchedule.objects.filter(**when).order_by("pk").first()
                or CrontabSchedule.objects.create(**when)
            )
            task = PeriodicTask.objects.filter(name=spec.name).first()
            if task is None:
                PeriodicTask.objects.create(
                    name=spec.name, task=spec.task, crontab=crontab, description=spec.description, enabled=True,
                )
                created += 1
            elif reset:
                task.task = spec.task
                task.crontab = crontab
                task.interval = task.solar = task.clocked = None
                task.description = spec.description
                task.save()
                updated += 1
            else:
                kept += 1
        self.stdout.write(f"Periodic tasks: {created} created, {updated} reset, {kept} kept as they were.")
