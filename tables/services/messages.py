"""Messages a coordinator writes to a table's people: kept in the table's archive and sent as one
e-mail per person through the outbox."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from outbox.services import notification_queue
from tables.models import MessageAudience, PartnershipTable, TableMessage
from tables.selectors.messages import TABLE_MESSAGE, table_message_recipients
from tables.services._common import clean_text

# TABLE_MESSAGE, the notification kind of a table message (built in tables/emails.py), is named in
# tables/selectors/messages.py, which leaves out the people who turned it off.
__all__ = ["TABLE_MESSAGE", "check_message_texts", "table_message_send"]


def check_message_texts(subject_fi: str, body_fi: str, subject_sv: str, body_sv: str) -> None:
    """The texts a message needs (the compose form asks this too, before the confirmation step)."""
    errors = {}
    if not subject_fi:
        errors["subject_fi"] = _("Write a subject.")
    if not body_fi:
        errors["body_fi"] = _("Write the message.")
    # A Swedish version is whole or absent: a Swedish subject over a Finnish text would confuse.
    if body_sv and not subject_sv:
        errors["subject_sv"] = _("Write the subject in Swedish too, or leave the Swedish version empty.")
    if subject_sv and not body_sv:
        errors["body_sv"] = _("Write the message in Swedish too, or leave the Swedish version empty.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def table_message_send(
    *,
    actor: User,
    table: PartnershipTable,
    subject_fi: str,
    body_fi: str,
    subject_sv: str = "",
    body_sv: str = "",
    audience: str = MessageAudience.TABLE_PEOPLE,
) -> TableMessage:
    """Keeps the message in the table's archive and queues one e-mail per recipient, sent once the
    transaction commits.

    Each person gets it once, however many seats and roles they hold; people who turned table
    messages off get none. Nothing is saved or queued if the texts are incomplete or no one would
    receive it.
    """
    if not actor.has_perm("tables.send_messages", table):
        raise PermissionDenied
    subject_fi, body_fi = clean_text(subject_fi), clean_text(body_fi)
    subject_sv, body_sv = clean_text(subject_sv), clean_text(body_sv)
    check_message_texts(subject_fi, body_fi, subject_sv, body_sv)
    if audience not in MessageAudience.values:
        raise ValidationError({"audience": _("Choose who receives the message.")})
    recipients = list(table_message_recipients(table, audience=audience))
    if not recipients:
        raise ValidationError(
            _("No one would receive this message: the table has no representatives, substitutes or role holders "
              "who receive table messages.")
        )
    message = TableMessage(
        table=table,
        author=actor,
        subject_fi=subject_fi,
        subject_sv=subject_sv or None,
        body_fi=body_fi,
        body_sv=body_sv or None,
        audience=audience,
        recipient_count=len(recipients),
        sent_at=timezone.now(),
    )
    # The translated columns (subject_fi, …) carry the checks; the untranslated ones mirror them.
    message.full_clean(exclude=["subject", "body"])
    message.save()
    notification_queue(kind=TABLE_MESSAGE, object_id=message.pk, recipients=recipients)
    return message
