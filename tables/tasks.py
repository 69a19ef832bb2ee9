"""Thin Celery tasks: take ids, load, and call a service. Queued with transaction.on_commit."""

from celery import shared_task

from kumppanuus.mail import send_mail_to

# Notification mails are retried a few times if the mail server is down; the wait stays
# far below the broker's visibility timeout (see settings).
RETRY_OPTIONS = {
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(**RETRY_OPTIONS)
def send_evaluation_reminders_task() -> dict:
    """Daily (kumppanuus/schedules.py): opens the year's evaluations and sends the reminders due today.

    Safe to run twice or to retry: every notice is recorded once per (evaluation, person, kind).
    """
    from tables.services import evaluation_reminders_send

    return evaluation_reminders_send()


@shared_task(**RETRY_OPTIONS)
def send_evaluation_notices_task(evaluation_id: int) -> int:
    """After a coordinator opens an evaluation by hand: the opening notice, once per person."""
    from tables.models import AnnualEvaluation
    from tables.services import evaluation_send_notices

    evaluation = AnnualEvaluation.objects.filter(pk=evaluation_id).first()
    if evaluation is None:
        return 0
    return evaluation_send_notices(evaluation=evaluation)


@shared_task(**RETRY_OPTIONS)
def send_standing_member_request_email_task(standing_member_id: int) -> int:
    from tables.models import StandingMember, StandingMemberStatus
    from tables.selectors import standing_member_request_reviewers

    member = (
        StandingMember.objects.select_related("table", "organisation", "requested_by")
        .filter(pk=standing_member_id, status=StandingMemberStatus.REQUESTED)
        .first()
    )
    if member is None:
        return 0
    return send_mail_to(
        template="tables/email/standing_member_request",
        recipients=standing_member_request_reviewers(member.table),
        context={"member": member, "table": member.table},
    )


@shared_task(**RETRY_OPTIONS)
def send_standing_member_decision_email_task(standing_member_id: int) -> int:
    from tables.models import StandingMember

    member = (
        StandingMember.objects.select_related("table", "organisation", "requested_by")
        .filter(pk=standing_member_id)
        .first()
    )
    if member is None or member.requested_by is None:
        return 0
    return send_mail_to(
        template="tables/email/standing_member_decision",
        recipients=[member.requested_by],
        context={"member": member, "table": member.table},
    )
