"""Deleting an account: what goes, what stays anonymous (see the app's docstring in privacy/__init__.py)."""

import datetime
import uuid
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import Count, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from kumppanuus.personal_data import OnDelete
from meetings.models import AgendaUpdate, Attendance, Invitation, Meeting, MeetingReminder, MeetingStatus, Rsvp
from meetings.services import waitlist_promote
from organisations.models import Membership, MembershipRole, MembershipStatus, Organisation
from privacy.catalogue import admin_log_about, personal_data, rows_q
from privacy.common import historical_models, invitations_q, person_addresses
from tables.models import PartnershipTable, StandingMember, StandingMemberStatus
from tables.services import table_owner_hand_over, table_owner_successor

# The reserved top-level domain .invalid (RFC 2606) can never receive mail.
ANONYMISED_EMAIL_DOMAIN = "anonymised.invalid"


@dataclass(frozen=True)
class AccountDeletionCheck:
    """What the confirmation page tells before deleting: reasons it cannot be done, and what changes for others."""

    blockers: list[str] = dataclass_field(default_factory=list)
    sole_representative_of: list[Organisation] = dataclass_field(default_factory=list)
    standing_seats: list[StandingMember] = dataclass_field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.blockers


def account_delete_blockers(user: User) -> list[str]:
    """Why the account cannot be deleted now (empty when it can)."""
    return _blockers(user)


def _blockers(user: User) -> list[str]:
    problems = []
    if user.is_superuser and user.is_active:
        if not User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists():
            problems.append(
                _("You are the only administrator. Make another person an administrator before deleting your account.")
            )
    # An owned table passes to a coordinator of its county; only one whose county has no other stops the deletion.
    owned = [
        table.name
        for table in PartnershipTable.objects.filter(owner=user).order_by("name", "pk")
        if table_owner_successor(table, leaving=user) is None
    ]
    if owned:
        problems.append(
            ngettext(
                "You own the operating model of the partnership table %(tables)s. Ask an administrator to "
                "name a new owner before deleting your account.",
                "You own the operating model of the partnership tables %(tables)s. Ask an administrator to "
                "name a new owner before deleting your account.",
                len(owned),
            )
            % {"tables": ", ".join(owned)}
        )
    return problems


def account_delete_check(user: User) -> AccountDeletionCheck:
    """What stops the deletion, and the organisations and tables that lose their person (four queries)."""
    representative_of = Membership.objects.filter(
        user=user, role=MembershipRole.REPRESENTATIVE, status=MembershipStatus.APPROVED
    ).values("organisation_id")
    approved_representative = Q(
        memberships__role=MembershipRole.REPRESENTATIVE, memberships__status=MembershipStatus.APPROVED
    )
    sole = list(
        Organisation.objects.filter(pk__in=representative_of)
        .annotate(representatives=Count("memberships", filter=approved_representative))
        .filter(representatives=1)
        .order_by("name", "pk")
    )
    seats = list(
        StandingMember.objects.filter(Q(representative=user) | Q(substitute=user), status=StandingMemberStatus.ACTIVE)
        .select_related("table", "organisation")
        .order_by("table__name", "pk")
    )
    return AccountDeletionCheck(blockers=_blockers(user), sole_representative_of=sole, standing_seats=seats)


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Deletes the person's account and personal data; what is kept is kept anonymous (the
    docstring of the privacy app, privacy/__init__.py, says what goes and what stays).

    All or nothing: any failure leaves everything as it was. The tables the person owns pass to a
    coordinator of their county. Raises ValidationError, changing nothing, for the last
    administrator and for the owner of a table whose county has no other coordinator. Meeting
    statistics, RSVP counts of past meetings and attendance counts are the same afterwards; no
    row names the person.
    """
    if user.is_superuser:
        # Two administrators deleting themselves at once must not both succeed (leaving none):
        # every administrator row is locked, in id order so that the two cannot deadlock.
        list(User.objects.select_for_update().filter(is_superuser=True, is_active=True).order_by("pk").values("pk"))
    user = User.objects.select_for_update().get(pk=user.pk)
    problems = _blockers(user)
    if problems:
        raise ValidationError(problems)
    table_owner_hand_over(leaving=user)
    now = timezone.now()
    addresses = person_addresses(user)
    # First, while the person's rows still exist: the admin log finds its entries by their keys.
    _scrub_admin_log(user, addresses)
    _anonymise_meeting_records(user, addresses, now)
    # The rest follows the one list of where personal data lives (privacy/catalogue.py).
    _erase_texts(user)
    _delete_own_rows(user)
    _scrub_history(user)
    # The models' on_delete does what is left as the list says: every "by" field (minutes,
    # decisions, agenda, meetings, action items) is cleared, many-to-many links go.
    user.delete()


def _anonymise_meeting_records(user: User, addresses: list[str], now: datetime.datetime) -> None:
    mine = Invitation.objects.filter(invitations_q(user, addresses))
    # Attendance keeps its organisation; the person's rows share one random key instead of the
    # person, so the statistics still count them as one person. Without an invitation a row also
    # survives the secretary recording the attendance again. Rows of invitations by address had
    # no person before and count as they did.
    Attendance.objects.filter(user=user).update(user=None, invitation=None, anonymous_person=uuid.uuid4())
    Attendance.objects.filter(invitation__in=mine).update(invitation=None)

    # Meetings still to come: the person will not be there, so the invitation (and RSVP) goes and
    # the seat passes to whoever waits. Meeting rows are locked first, in id order, as the RSVP
    # service does, so this cannot deadlock with someone answering at the same moment.
    upcoming = Q(meeting__status__in=[MeetingStatus.DRAFT, MeetingStatus.SCHEDULED], meeting__ends_at__gt=now)
    meeting_ids = sorted(set(mine.filter(upcoming).values_list("meeting_id", flat=True)))
    if meeting_ids:
        meetings = list(Meeting.objects.select_for_update(of=("self",)).filter(pk__in=meeting_ids).order_by("pk"))
        mine.filter(upcoming).delete()
        for meeting in meetings:
            if meeting.status == MeetingStatus.SCHEDULED:
                waitlist_promote(meeting)

    # Meetings that are over (or held, or cancelled): the row stays so the counts stay, without the person.
    past_ids = list(mine.values_list("pk", flat=True))
    if past_ids:
        MeetingReminder.objects.filter(invitation_id__in=past_ids).delete()
        AgendaUpdate.objects.filter(invitation_id__in=past_ids).delete()
        Rsvp.objects.filter(invitation_id__in=past_ids).update(note="")
        Invitation.objects.filter(pk__in=past_ids).update(
            user=None,
            name="",
            # Unique per meeting (the row's own id) and undeliverable.
            email=Concat(
                Value("deleted-"),
                Cast("pk", models.CharField()),
                Value(f"@{ANONYMISED_EMAIL_DOMAIN}"),
                output_field=models.CharField(),
            ),
            last_error="",
            anonymised_at=now,
        )


# The models whose rows ``_anonymise_meeting_records`` looks after (by account and by address),
# and the account itself, deleted last; the list's other entries are followed generically.
_BY_PROCEDURE = {
    User._meta.label,
    Invitation._meta.label,
    Rsvp._meta.label,
    Attendance._meta.label,
    MeetingReminder._meta.label,
    AgendaUpdate._meta.label,
}


def _erase_texts(user: User) -> None:
    """Empties the texts the list says go with the person (e.g. an agenda item's presenter)."""
    for entry in personal_data():
        if entry.model in _BY_PROCEDURE:
            continue
        model = apps.get_model(entry.model)
        for link in entry.links:
            if link.erase and link.on_delete is not OnDelete.DELETE:
                model._default_manager.filter(rows_q(link, user)).update(**dict.fromkeys(link.erase, ""))


def _delete_own_rows(user: User) -> None:
    """Deletes the rows the list says go with the account (memberships, coordinator and table
    roles, reminders, e-mail addresses, ...), before the account, so that the history rows their
    deletion writes are cleaned by ``_scrub_history``."""
    for entry in personal_data():
        if entry.model in _BY_PROCEDURE:
            continue
        model = apps.get_model(entry.model)
        for link in entry.links:
            if link.on_delete is OnDelete.DELETE:
                model._default_manager.filter(rows_q(link, user)).delete()


def _scrub_history(user: User) -> None:
    """The audit history follows the list: older versions of the person's own rows go, the person
    is cleared from every "by" field (with the texts that go with it) and from who made a change."""
    declared = {entry.model: entry for entry in personal_data()}
    for history_model in historical_models():
        entry = declared.get(history_model.instance_type._meta.label)
        for link in entry.links if entry else ():
            try:
                field = history_model._meta.get_field(link.path)
            except FieldDoesNotExist:  # a many-to-many link or a lookup: not in the history tables
                continue
            rows = history_model.objects.filter(**{field.attname: user.pk})
            if link.on_delete is OnDelete.CLEAR:
                rows.update(**{field.attname: None}, **dict.fromkeys(link.erase, ""))
            else:
                rows.delete()
        history_model.objects.filter(history_user_id=user.pk).update(history_user_id=None)


def _scrub_admin_log(user: User, addresses: list[str]) -> None:
    """The admin log's entries about the account go; the entries about the person's own rows (a
    membership is described as "person – organisation") lose their description. Found by key, never
    by name: an entry about anything else keeps its description, whatever it says."""
    about = admin_log_about(user, addresses)
    account = ContentType.objects.get_for_model(User)
    LogEntry.objects.filter(content_type=account, object_id=str(user.pk)).delete()
    LogEntry.objects.filter(about).update(object_repr="–")
