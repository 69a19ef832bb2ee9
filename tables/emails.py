"""The e-mails of partnership tables, each an outbox row rendered in its recipient's language:
the annual evaluation's notices (EvaluationReminder rows), the standing-member notifications and
the messages coordinators write to a table's people.

Registered in TablesConfig.ready(); the rows are queued by tables/services/.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kumppanuus.mail import render_mail
from outbox.registry import Retention, RowType, register, register_notification
from outbox.retention import finished_before
from tables.models import (
    EvaluationReminder,
    EvaluationReminderKind,
    EvaluationStatus,
    RoleAssignment,
    StandingMember,
    StandingMemberStatus,
    TableMessage,
)
from tables.selectors import evaluation_respondent_ids
from tables.services.messages import TABLE_MESSAGE
from tables.services.roles import ROLE_NOMINATION
from tables.services.standing_members import STANDING_MEMBER_DECISION, STANDING_MEMBER_REQUEST

NOTICE_TEMPLATES = {
    EvaluationReminderKind.OPENED: "tables/email/evaluation_opened",
    EvaluationReminderKind.DUE_14: "tables/email/evaluation_due",
    EvaluationReminderKind.DUE_3: "tables/email/evaluation_due",
    EvaluationReminderKind.OVERDUE: "tables/email/evaluation_overdue",
}


def _respondent_ids(cache: dict, evaluation) -> set[int]:
    """Who of the table's people is asked to answer: read once per evaluation and batch."""
    key = ("respondents", evaluation.pk)
    if key not in cache:
        cache[key] = evaluation_respondent_ids(evaluation.table)
    return cache[key]


def _build_evaluation_notice(reminder: EvaluationReminder, cache: dict):
    evaluation = reminder.evaluation
    if evaluation.status != EvaluationStatus.OPEN or not reminder.user.is_active:
        return None  # closed meanwhile, or the person left: the notice is no longer needed
    context = {
        "evaluation": evaluation,
        "table": evaluation.table,
        "kind": reminder.kind,
        "days_left": (evaluation.due_on - timezone.localdate()).days,
        "can_answer": reminder.user_id in _respondent_ids(cache, evaluation),
    }
    return render_mail(template=NOTICE_TEMPLATES[reminder.kind], recipient=reminder.user, context=context)


def _evaluation_notice_retention(cutoff, now) -> Retention:
    # Kept while the evaluation could still owe the notice: the row is what stops it being sent twice.
    return Retention(
        delete=EvaluationReminder.objects.filter(finished_before(cutoff)).filter(
            Q(evaluation__status=EvaluationStatus.CLOSED) | Q(evaluation__due_on__lt=timezone.localdate(cutoff))
        )
    )


def _standing_member(notification) -> StandingMember | None:
    return (
        StandingMember.objects.select_related("table", "organisation", "requested_by")
        .filter(pk=notification.object_id)
        .first()
    )


def _standing_member_request(notification, cache):
    member = _standing_member(notification)
    if member is None or member.status != StandingMemberStatus.REQUESTED:
        return None  # decided or withdrawn before the notice went out
    return render_mail(
        template="tables/email/standing_member_request", recipient=notification.user,
        context={"member": member, "table": member.table},
    )


def _standing_member_decision(notification, cache):
    member = _standing_member(notification)
    if member is None:
        return None
    return render_mail(
        template="tables/email/standing_member_decision", recipient=notification.user,
        context={"member": member, "table": member.table},
    )


def _role_nomination(notification, cache):
    assignment = (
        RoleAssignment.objects.select_related("table", "role", "nominated_by", "user")
        .filter(pk=notification.object_id)
        .first()
    )
    if assignment is None or assignment.accepted_at is not None:
        return None  # withdrawn, declined or accepted before the message went out
    # Someone nominated by address has no account (and no language of their own) yet.
    recipient = notification.user or notification
    return render_mail(
        template="tables/email/role_nomination", recipient=recipient,
        context={"assignment": assignment, "table": assignment.table},
    )


def _table_message(notification, cache):
    """The message as the coordinator wrote it (in Swedish for a Swedish speaker when there is a
    Swedish version), around it our words in the recipient's language."""
    if notification.user is None:
        return None  # only people with an account are written to
    key = ("table message", notification.object_id)
    if key not in cache:
        cache[key] = TableMessage.objects.select_related("table", "author").filter(pk=notification.object_id).first()
    message = cache[key]
    if message is None:
        return None  # the table (and its archive) was deleted meanwhile
    return render_mail(
        template="tables/email/table_message", recipient=notification.user,
        context={"message": message, "table": message.table},
    )


def register_outbox_rows() -> None:
    register(
        RowType(
            model=EvaluationReminder, build=_build_evaluation_notice,
            load_with=lambda rows: rows.select_related("evaluation__table__owner", "evaluation__template", "user"),
            retention=_evaluation_notice_retention,
        )
    )
    # The decision on an organisation's own request is always sent at once; requests to the
    # coordinators, nominations and the tables' messages may wait for a digest or be turned off
    # (the nomination also waits on the person's page, the messages in the table's archive).
    register_notification(STANDING_MEMBER_REQUEST, _standing_member_request,
                          label=_("Requests to become a standing member (to coordinators)"))
    register_notification(STANDING_MEMBER_DECISION, _standing_member_decision,
                          label=_("Decisions on your organisation's standing membership"), always=True)
    register_notification(ROLE_NOMINATION, _role_nomination, label=_("Nominations to a role at a table"))
    register_notification(TABLE_MESSAGE, _table_message, label=_("Messages from tables"))
