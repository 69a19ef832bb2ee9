"""The calendar rule of the annual evaluation: its default dates and which notice is due when.

Pure: it reads only settings and the evaluation's own dates, so both the services (which send
the notices) and the selectors (which find the evaluations that owe one) use it without
importing each other.
"""

import datetime

from django.conf import settings

from tables.models import AnnualEvaluation, EvaluationReminderKind, EvaluationStatus

# A sweep missed for up to this many days (beat down, a deployment) still sends what was due.
NOTICE_CATCH_UP_DAYS = 7
# The earliest reminder is this many days before the due date.
FIRST_REMINDER_DAYS = 14


def evaluation_dates_for_year(year: int) -> tuple[datetime.date, datetime.date]:
    """The default opening and due dates of the year's evaluation (settings EVALUATION_OPENS and _DUE_DAYS)."""
    month, day = settings.EVALUATION_OPENS
    opens_on = datetime.date(year, month, day)
    return opens_on, opens_on + datetime.timedelta(days=settings.EVALUATION_DUE_DAYS)


def evaluation_notice_kinds_due(evaluation: AnnualEvaluation, today: datetime.date) -> list[str]:
    """Which notices an open evaluation owes on ``today`` (a Helsinki date).

    Opened: the week after it opens. 14 days: from 14 to 4 days before the due date;
    3 days: from 3 days before to the due date — each only if the evaluation was already
    open before that window began, so nobody gets a reminder the day after the opening
    notice. Overdue (to the owner): the week after the due date.
    """
    if evaluation.status != EvaluationStatus.OPEN:
        return []
    kinds = []
    if 0 <= (today - evaluation.opens_on).days <= NOTICE_CATCH_UP_DAYS:
        kinds.append(EvaluationReminderKind.OPENED)
    days_left = (evaluation.due_on - today).days
    opened_days_before_due = (evaluation.due_on - evaluation.opens_on).days
    if 3 < days_left <= 14 and opened_days_before_due > 14:
        kinds.append(EvaluationReminderKind.DUE_14)
    if 0 <= days_left <= 3 and opened_days_before_due > 3:
        kinds.append(EvaluationReminderKind.DUE_3)
    if -NOTICE_CATCH_UP_DAYS <= days_left < 0:
        kinds.append(EvaluationReminderKind.OVERDUE)
    return kinds
