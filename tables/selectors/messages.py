"""Reads for a table's messages and its contact list: who a message goes to, the archive, one
message, and the coordinators' contact list."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from organisations.models import Membership, MembershipStatus
from outbox.preferences import Rhythm
from tables.models import (
    MessageAudience,
    PartnershipTable,
    RoleAssignment,
    StandingMember,
    StandingMemberStatus,
    TableMessage,
)


def _seat_holders(table: PartnershipTable, field: str) -> Exists:
    """The person is the representative (or substitute) of an active standing member and still an
    approved member of that organisation: someone who left it no longer speaks for it."""
    return Exists(
        StandingMember.objects.filter(
            table=table,
            status=StandingMemberStatus.ACTIVE,
            **{field: OuterRef("pk")},
        ).filter(
            Exists(
                Membership.objects.filter(
                    organisation_id=OuterRef("organisation_id"),
                    user_id=OuterRef(f"{field}_id"),
                    status=MembershipStatus.APPROVED,
                )
            )
        )
    )


def _role_holders(table: PartnershipTable) -> Exists:
    today = timezone.localdate()
    return Exists(
        RoleAssignment.objects.in_force().on(today).filter(table=table, user=OuterRef("pk"))
    )


def _organisation_members(table: PartnershipTable) -> Exists:
    return Exists(
        Membership.objects.filter(
            user=OuterRef("pk"),
            status=MembershipStatus.APPROVED,
            organisation__standing_memberships__table=table,
            organisation__standing_memberships__status=StandingMemberStatus.ACTIVE,
        )
    )


def table_message_audience(table: PartnershipTable, *, audience: str) -> QuerySet[User]:
    """Everyone a message of ``audience`` is written to, each person once, whether or not they want
    these messages: the representatives and substitutes of the active standing members, the current
    role holders and, for MessageAudience.ORGANISATIONS, every approved member of a standing
    organisation. One query."""
    people = _seat_holders(table, "representative") | _seat_holders(table, "substitute") | _role_holders(table)
    if audience == MessageAudience.ORGANISATIONS:
        people |= _organisation_members(table)
    return User.objects.filter(people, is_active=True).order_by("pk")


# The notification kind of a table message (defined here, where the recipients are chosen by it;
# tables/services/messages.py queues it).
TABLE_MESSAGE = "tables.table_message"


def _turned_off() -> Q:
    """People who turned messages from tables off (outbox/preferences.py: a choice per kind)."""
    return Q(**{f"notification_rhythms__{TABLE_MESSAGE}": Rhythm.OFF})


def table_message_recipients(table: PartnershipTable, *, audience: str) -> QuerySet[User]:
    """Those of the audience who get the e-mail: people who turned table messages off are left out
    (they can still read the archive)."""
    # Not exclude(_turned_off()): for a person who never chose, the JSON key is NULL and NOT NULL is not true.
    turned_off = User.objects.filter(_turned_off()).values("pk")
    return table_message_audience(table, audience=audience).exclude(pk__in=turned_off)


@dataclass(frozen=True)
class MessageReach:
    recipients: int  # who will get the e-mail
    opted_out: int  # who is written to but has turned these messages off


def table_message_reach(table: PartnershipTable, *, audience: str) -> MessageReach:
    """How many people a message would reach, for the confirmation step. One query."""
    wants = list(
        table_message_audience(table, audience=audience)
        .annotate(off=Case(When(_turned_off(), then=Value(True)), default=Value(False)))
        .values_list("off", flat=True)
    )
    return MessageReach(recipients=wants.count(False), opted_out=wants.count(True))


def table_messages_page(table: PartnershipTable, page_number) -> Page:
    """One page of the table's message archive, newest first, with the authors: two queries
    (the count and the page), however many messages the table has."""
    messages = TableMessage.objects.filter(table=table).select_related("author").order_by("-sent_at", "-pk")
    return Paginator(messages, settings.LIST_PAGE_SIZE).get_page(page_number)


def table_messages_latest(table: PartnershipTable, count: int = 3) -> list[TableMessage]:
    return list(TableMessage.objects.filter(table=table).order_by("-sent_at", "-pk")[:count])


def table_message_get_for_user(*, user: User, pk: int) -> TableMessage:
    """The message if this person may read the table's messages. Those who may see the table but
    not its messages get 403; everyone else 404, as for a message that does not exist."""
    message = TableMessage.objects.select_related("table", "author").filter(pk=pk).first()
    if message is None:
        raise Http404
    if user.has_perm("tables.view_messages", message.table):
        return message
    if user.has_perm("tables.view_table", message.table):
        raise PermissionDenied
    raise Http404


@dataclass(frozen=True)
class Contact:
    organisation: str
    person: User
    role: str
    phone: str


def table_contacts(table: PartnershipTable) -> list[Contact]:
    """The table's contact list: the representative and substitute of each active standing member,
    then the current role holders. Two queries, however big the table is."""
    contacts = []
    members = (
        StandingMember.objects.filter(table=table, status=StandingMemberStatus.ACTIVE)
        .select_related("organisation", "representative", "substitute")
        .order_by("organisation__name", "pk")
    )
    for member in members:
        for person, role in ((member.representative, _("Representative")), (member.substitute, _("Substitute"))):
            if person is not None:
                contacts.append(Contact(member.organisation.name, person, role, member.organisation.phone))
    today = timezone.localdate()
    assignments = (
        RoleAssignment.objects.in_force()
        .on(today)
        .filter(table=table)
        .select_related("role", "user")
        .order_by("role__position", "role__pk", "user__full_name", "pk")
    )
    for assignment in assignments:
        contacts.append(Contact("", assignment.user, assignment.role.name, ""))
    return contacts
