"""Every periodic task of Kumppanuus, in one list (STYLE.md §5).

``manage.py setup_periodic_tasks`` writes these into django-celery-beat (a CrontabSchedule
in Europe/Helsinki and a PeriodicTask each), where admins see and may adjust them. Times
are Helsinki wall-clock times, so a task runs at the same local hour in summer and in
winter. Each task is idempotent: a run that is repeated, retried or overlaps another
sends nothing twice. Add a new task here with a comment saying why it runs when it does.
"""

from dataclasses import dataclass

TIMEZONE = "Europe/Helsinki"


@dataclass(frozen=True)
class PeriodicTaskSpec:
    name: str  # unique; the PeriodicTask's name in the admin
    task: str  # the Celery task's dotted path
    minute: str = "0"
    hour: str = "*"
    day_of_week: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"
    description: str = ""


PERIODIC_TASKS: list[PeriodicTaskSpec] = [
    PeriodicTaskSpec(
        name="Annual evaluation: open and remind",
        task="tables.tasks.send_evaluation_reminders_task",
        minute="0",
        hour="7",
        # 07:00 Helsinki time every day: evaluations open and reminders arrive at the start of
        # the working day, and the "due in 14/3 days" and "overdue" days are counted in local
        # dates. Well clear of the DST jumps (03:00/04:00), so the run is never skipped or doubled.
        description="Creates and opens the year's annual evaluations and e-mails the reminders due today.",
    ),
    PeriodicTaskSpec(
        name="Outbox: sweep unsent e-mail",
        task="outbox.tasks.sweep_outbox_task",
        minute="*/5",
        # Every 5 minutes: e-mails (invitations, reminders, notifications) the broker never delivered (it was down when
        # the request committed) or that a dead worker left in "sending" are queued again. Rows are
        # swept only after 10 (queued) or 15 (sending) minutes, so a run never races a healthy send.
        description="Queues again e-mails left unsent (invitations, reminders, notifications).",
    ),
    PeriodicTaskSpec(
        name="Outbox: send messages that have become due",
        task="outbox.tasks.release_due_outbox_task",
        minute="*",
        # Every minute: an "agenda updated" e-mail waits AGENDA_UPDATE_WINDOW_SECONDS (10 minutes) so
        # that a burst of changes makes one message; this hands it over within a minute of the window
        # closing. Cheap when nothing is due (one indexed query per waiting kind); the 5-minute
        # sweep does the same, so a missed run only delays.
        description="Sends the e-mails that waited for their time (agenda updates) once they are due.",
    ),
    PeriodicTaskSpec(
        name="Meetings: meeting reminders",
        task="meetings.tasks.queue_meeting_reminders_task",
        minute="7,22,37,52",
        # Every 15 minutes: a reminder is due N days before the meeting at the same Helsinki
        # clock time, so it arrives within a quarter of an hour of that. Each is recorded once per
        # (meeting, person, kind, start time). Off the full hour to spread the load.
        description="E-mails attendees N days before a meeting and invitees who have not answered before the deadline.",
    ),
    PeriodicTaskSpec(
        name="Meetings: overdue action items",
        task="meetings.tasks.queue_action_item_reminders_task",
        minute="0",
        hour="8",
        # 08:00 Helsinki time every day: overdue is counted in local dates and the reminder arrives
        # at the start of the working day; each owner gets at most one per item per ISO week.
        description="E-mails the owners of overdue open action items, once a week per item.",
    ),
    PeriodicTaskSpec(
        name="Meetings: action items due soon",
        task="meetings.tasks.queue_action_item_due_soon_task",
        minute="10",
        hour="8",
        # 08:10 Helsinki time every day: "due in N days" (ACTION_ITEM_DUE_SOON_DAYS) is counted in
        # local dates and told at the start of the working day, after the overdue run so the two
        # do not compete. Each item's owner is told once per due date (ActionItem.due_soon_notified_for).
        description="E-mails the owners of open action items due within a few days, once per due date.",
    ),
    PeriodicTaskSpec(
        name="Outbox: daily digests",
        task="outbox.tasks.send_daily_digests_task",
        minute="0",
        hour="7",
        # 07:00 Helsinki time every day: the digest of what happened since yesterday's is in the inbox
        # at the start of the working day. Clear of the DST jumps (03:00/04:00), so never skipped or
        # doubled; one digest per person and Helsinki date, so a repeated run sends nothing twice.
        description="E-mails each person who chose a daily digest the notifications held for it.",
    ),
    PeriodicTaskSpec(
        name="Outbox: weekly digests",
        task="outbox.tasks.send_weekly_digests_task",
        minute="0",
        hour="7",
        day_of_week="1",
        # Mondays 07:00 Helsinki time: the week's digest starts the working week. One per person
        # and ISO week, so a repeated run sends nothing twice.
        description="E-mails each person who chose a weekly digest the notifications held for it.",
    ),
    PeriodicTaskSpec(
        name="Outbox: purge old delivery records",
        task="outbox.tasks.purge_outbox_task",
        minute="40",
        hour="1",
        # 01:40 Helsinki time every day: the night is quiet, so the batched deletes do not compete
        # with invitations being sent; before the DST jumps (03:00/04:00), so the run is never
        # skipped or doubled. Daily, so nothing outlives OUTBOX_RETENTION_DAYS by more than a day.
        description=(
            "Deletes reminders, notifications and delivery errors older than the retention period "
            "(OUTBOX_RETENTION_DAYS)."
        ),
    ),
]


# Periodic tasks whose task moved since an earlier release: old task → new task. The outbox's
# migration 0002 renames the rows of existing installations; setup_periodic_tasks does it as well.
RENAMED_TASKS = {
    "meetings.tasks.sweep_outbox_task": "outbox.tasks.sweep_outbox_task",
    "kumppanuus.tasks.purge_outbox_task": "outbox.tasks.purge_outbox_task",
}
