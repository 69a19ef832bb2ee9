"""The e-mails of the annual evaluation: opened, reminders to answer, overdue.

Each notice goes at most once per (evaluation, person, kind). The daily sweep
(evaluations.evaluation_reminders_send) decides which evaluations owe one today.
"""

import datetime
import logging
import smtplib
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from kumppanuus.celery import app
from tables.evaluation_calendar import evaluation_notice_kinds_due
from tables.models import AnnualEvaluation, EvaluationReminder, EvaluationReminderKind, EvaluationStatus
from tables.selectors import evaluation_notice_recipients

logger = logging.getLogger(__name__)

# The opening notice of an evaluation opened by hand goes through tables/tasks.py, queued by
# name so that services never import tasks (tasks import services). TablesConfig.ready()
# registers the tasks in every process, so in eager mode they still run in-process.
evaluation_notices_task = app.signature("tables.tasks.send_evaluation_notices_task")


NOTICE_TEMPLATES = {
    EvaluationReminderKind.OPENED: "tables/email/evaluation_opened",
    EvaluationReminderKind.DUE_14: "tables/email/evaluation_due",
    EvaluationReminderKind.DUE_3: "tables/email/evaluation_due",
    EvaluationReminderKind.OVERDUE: "tables/email/evaluation_overdue",
}


def _send_notice_once(*, evaluation: AnnualEvaluation, user: User, kind: str, context: dict) -> bool:
    """Records the (evaluation, person, kind) row, then sends, in one transaction.

    The unique constraint makes a second run (or a concurrent one, which waits on the
    row until this transaction ends) find the row and send nothing. If sending fails the
    row is rolled back, so the next run tries again. A recipient the mail server refuses
    is logged and skipped, so one bad address does not hold back everyone after it; a
    server that cannot be reached still raises (the task retries, skipping those sent).
    """
    from kumppanuus.mail import send_mail_to

    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    EvaluationReminder.objects.create(evaluation=evaluation, user=user, kind=kind)
            except IntegrityError:
                return False
            send_mail_to(template=NOTICE_TEMPLATES[kind], recipients=[user], context=context)
    except smtplib.SMTPRecipientsRefused as error:
        logger.warning("Notice %s of evaluation %s to user %s refused: %s", kind, evaluation.pk, user.pk, error)
        return False
    return True


def evaluation_send_notices(
    *, evaluation: AnnualEvaluation, today: datetime.date | None = None, kinds: Iterable[str] | None = None
) -> int:
    """Sends the notices the evaluation owes today, each at most once per person; returns how many were sent.

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
    sent = 0
    for kind in kinds:
        already = set(
            EvaluationReminder.objects.filter(evaluation=evaluation, kind=kind).values_list("user_id", flat=True)
        )
        recipients, respondent_ids = evaluation_notice_recipients(evaluation, kind)
        for user in recipients:
            if user.pk in already:
                continue
            context = {
                "evaluation": evaluation,
                "table": evaluation.table,
                "kind": kind,
                "days_left": (evaluation.due_on - today).days,
                "can_answer": user.pk in respondent_ids,
            }
            if _send_notice_once(evaluation=evaluation, user=user, kind=kind, context=context):
                sent += 1
    return sent
