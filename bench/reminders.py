"""Due-reminder scan on the full dataset: one run of each periodic sweep with nothing due, then with
about 1,000 due, and EXPLAIN (ANALYZE) of the queries that find what is due.

Everything happens inside one transaction that is rolled back at the end, so the bench database is
left as it was and nothing queued reaches the broker (on-commit callbacks never run). Evaluation
notices are sent by the sweep itself; the bench environment's e-mail backend is the dummy one.
"""

import datetime
import re
import statistics
import time

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

RUNS = 5
DUE = 1000


class _Rollback(Exception):
    pass


def _time(function, runs: int = RUNS) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def _plan(queryset, table: str) -> dict:
    """EXPLAIN (ANALYZE) of a due query, and whether it reads ``table`` through an index."""
    plan = queryset.explain(analyze=True)
    used = re.findall(r"(?:Index Scan|Index Only Scan) using (\w+) on " + table, plan)
    used += re.findall(r"Bitmap Index Scan on (\w+)", plan)
    return {
        "plan": plan,
        "index_scan": bool(used) and f"Seq Scan on {table}" not in plan,
        "indexes": sorted(set(used)),
    }


def _sweeps(now: datetime.datetime, today: datetime.date) -> dict:
    from meetings.services import action_item_reminders_queue_due, meeting_reminders_queue_due
    from outbox.engine import outbox_sweep
    from tables.services import evaluation_reminders_send

    return {
        "meeting reminders": lambda: len(meeting_reminders_queue_due(now=now)),
        "evaluation reminders": lambda: evaluation_reminders_send(today=today)["queued"],
        "outbox sweeper": lambda: sum(outbox_sweep(now=now).values()),
        "action item reminders": lambda: len(action_item_reminders_queue_due(today=today)),
    }


def _make_meeting_reminders_due(now) -> None:
    """Moves upcoming meetings into their reminder window until about DUE attendees are owed a reminder."""
    from meetings.models import Meeting, MeetingReminder
    from meetings.services.reminders import LONGEST_REMINDER

    candidates = (
        Meeting.objects.filter(status="scheduled", starts_at__gt=now + datetime.timedelta(days=3),
                               starts_at__lte=now + LONGEST_REMINDER, table__meeting_reminder_days__isnull=False)
        .annotate(attending=Count("rsvps", filter=Q(rsvps__response__in=["in_person", "online"],
                                                    rsvps__waitlisted=False)))
        .filter(attending__gt=0).order_by("starts_at", "pk")
    )
    total, chosen = 0, []
    for meeting in candidates:
        chosen.append(meeting)
        total += meeting.attending
        if total >= DUE:
            break
    for meeting in chosen:
        length = meeting.ends_at - meeting.starts_at
        meeting.starts_at = now + datetime.timedelta(hours=20)
        meeting.ends_at = meeting.starts_at + length
        meeting.save(update_fields=["starts_at", "ends_at"])
    MeetingReminder.objects.filter(meeting__in=chosen).delete()


def _make_evaluation_notices_due(today) -> None:
    from tables.models import AnnualEvaluation, EvaluationReminder
    from tables.selectors import evaluation_respondent_ids

    total = 0
    for evaluation in AnnualEvaluation.objects.filter(status="open").select_related("table").order_by("pk"):
        answered = set(evaluation.responses.values_list("respondent_id", flat=True))
        total += len(evaluation_respondent_ids(evaluation.table) - answered)
        AnnualEvaluation.objects.filter(pk=evaluation.pk).update(
            opens_on=today - datetime.timedelta(days=20), due_on=today + datetime.timedelta(days=10)
        )
        EvaluationReminder.objects.filter(evaluation=evaluation, kind="due_14").delete()
        if total >= DUE:
            break


def _make_outbox_due(now) -> None:
    from meetings.models import Invitation

    ids = list(Invitation.objects.filter(meeting__status="scheduled", delivery_status="sent")
               .order_by("pk").values_list("pk", flat=True)[:DUE])
    Invitation.objects.filter(pk__in=ids).update(delivery_status="queued", queued_at=now - datetime.timedelta(hours=1))


def _make_action_items_due(today) -> None:
    from meetings.models import ActionItemReminder
    from meetings.services.reminders import week_start

    reminders = ActionItemReminder.objects.filter(week=week_start(today)).order_by("pk")
    ids = list(reminders.values_list("pk", flat=True)[:DUE])
    ActionItemReminder.objects.filter(pk__in=ids).delete()


def _settle(now) -> None:
    """Marks everything queued as sent: the state right after the workers have done their job."""
    from meetings.models import ActionItemReminder, Invitation, MeetingReminder

    for model in (Invitation, MeetingReminder, ActionItemReminder):
        model.objects.filter(delivery_status__in=["queued", "sending"]).update(delivery_status="sent", sent_at=now)


def run() -> dict:
    from meetings.models import ActionItem, Invitation, Meeting
    from meetings.services.reminders import LONGEST_REMINDER
    from tables.selectors import evaluations_to_open, evaluations_with_notices_due

    now = timezone.now()
    today = timezone.localdate(now)
    figures = {"sweeps": {}, "explain": {}}
    try:
        with transaction.atomic():
            sweeps = _sweeps(now, today)
            for sweep in sweeps.values():  # whatever came due since the data was made
                sweep()
            _settle(now)
            for name, sweep in sweeps.items():
                seconds = _time(sweep)
                figures["sweeps"][name] = {"nothing_due_ms": round(seconds * 1000, 1)}
            explain = {
                "meeting reminders": (Meeting.objects.filter(status="scheduled", starts_at__gt=now,
                                                             starts_at__lte=now + LONGEST_REMINDER),
                                      "meetings_meeting"),
                "evaluation reminders": (evaluations_with_notices_due(today), "tables_annualevaluation"),
                "evaluations to open": (evaluations_to_open(today), "tables_annualevaluation"),
                "outbox sweeper": (Invitation.objects.filter(
                    Q(delivery_status="queued", queued_at__lt=now - datetime.timedelta(minutes=10))
                    | Q(delivery_status="sending", sending_at__lt=now - datetime.timedelta(minutes=15))),
                    "meetings_invitation"),
                "action item reminders": (ActionItem.objects.filter(status="open", due_on__lt=today),
                                          "meetings_actionitem"),
            }
            for name, (queryset, table) in explain.items():
                figures["explain"][name] = _plan(queryset, table)
            makers = {
                "meeting reminders": lambda: _make_meeting_reminders_due(now),
                "evaluation reminders": lambda: _make_evaluation_notices_due(today),
                "outbox sweeper": lambda: _make_outbox_due(now),
                "action item reminders": lambda: _make_action_items_due(today),
            }
            for name, make in makers.items():
                sid = transaction.savepoint()
                make()
                started = time.perf_counter()
                rows = sweeps[name]()
                figures["sweeps"][name].update(due_ms=round((time.perf_counter() - started) * 1000, 1), due_rows=rows)
                transaction.savepoint_rollback(sid)
            raise _Rollback
    except _Rollback:
        pass
    for name, sweep in figures["sweeps"].items():
        key = "evaluation reminders" if name == "evaluation reminders" else name
        sweep["index_scan"] = figures["explain"][key]["index_scan"]
        print(f"  {name:22} nothing due {sweep['nothing_due_ms']:8.1f} ms   {sweep['due_rows']:5} due "
              f"{sweep['due_ms']:9.1f} ms   index scan: {sweep['index_scan']}", flush=True)
    for name, explained in figures["explain"].items():
        print(f"  EXPLAIN (ANALYZE) {name}: index scan {explained['index_scan']} ({', '.join(explained['indexes'])})")
        for line in explained["plan"].splitlines():
            print(f"      {line[:200]}")
    main = ["meeting reminders", "evaluation reminders", "outbox sweeper"]
    figures["total_nothing_due_ms"] = round(sum(figures["sweeps"][n]["nothing_due_ms"] for n in main), 1)
    figures["total_due_ms"] = round(sum(figures["sweeps"][n]["due_ms"] for n in main), 1)
    figures["all_index_scans"] = all(e["index_scan"] for e in figures["explain"].values())
    # bench/run.py fails the run (after saving the figures) if a due query reads its table without an index.
    figures["failed_checks"] = [
        f"no index scan: {name}" for name, explained in figures["explain"].items() if not explained["index_scan"]
    ]
    print(f"  the three sweeps of the brief: nothing due {figures['total_nothing_due_ms']} ms, "
          f"~1,000 due {figures['total_due_ms']} ms")
    return figures
