"""The e-mails of the annual evaluation: opened, reminders to answer, overdue.

Each notice is an outbox row (EvaluationReminder), at most one per (evaluation, person, kind): the
unique constraint makes a second run, or a concurrent one, queue nothing new. The daily sweep
(evaluations.evaluation_reminders_send) decides which evaluations owe one today; the messages are
built in tables/emails.py and sent by the outbox.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from outbox.engine import queue_sends
from outbox.models import OutboxStatus
from tables.evaluation_calendar import evaluation_notice_kinds_due
from tables.models import AnnualEvaluation, EvaluationReminder, EvaluationStatus
from tables.selectors import evaluation_notice_recipients


def evaluation_send_notices(
    *, evaluation: AnnualEvaluation, today: datetime.date | None = None, kinds: Iterable[str] | None = None
) -> int:
    """Queues the notices the evaluation owes today, each at most once per person; returns how many
    were queued. They are sent once the caller's transaction commits.

    Opened goes to the owner, the coordinators and the standing members' representatives
    and substitutes; 14- and 3-day reminders to those of them who answer and have not;
    overdue to the owner. People who turned evaluation reminders off get none of the
    first three.
    """
    today = today or timezone.localdate()
    kinds = list(kinds) if kinds is not None else evaluation_notice_kinds_due(evaluation, today)
    if not kinds:
        return 0
    evaluation = AnnualEvaluation.objects.select_related("table", "table__owner", "template").get(pk=evaluation.pk)
    if evaluation.status != EvaluationStatus.OPEN:
        return 0
    now = timezone.now()
    with transaction.atomic():
        for kind in kinds:
            already = set(
                EvaluationReminder.objects.filter(evaluation=evaluation, kind=kind).values_list("user_id", flat=True)
            )
            recipients, _respondent_ids = evaluation_notice_recipients(evaluation, kind)
            rows = [
                EvaluationReminder(
                    evaluation=evaluation, user=user, kind=kind, delivery_status=OutboxStatus.QUEUED, queued_at=now
                )
                for user in recipients
                if user.pk not in already
            ]
            # A concurrent run may have queued some of them since ``already`` was read: those are skipped.
            EvaluationReminder.objects.bulk_create(rows, ignore_conflicts=True)
        # The rows this run wrote carry its own ``now``.
        ids = list(
            EvaluationReminder.objects.filter(
                evaluation=evaluation, kind__in=kinds, delivery_status=OutboxStatus.QUEUED, queued_at=now
            ).values_list("pk", flat=True)
        )
        queue_sends(EvaluationReminder, ids)
    return len(ids)
