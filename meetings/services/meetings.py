"""A meeting's life: create (draft), schedule (invite), update, cancel; who is invited."""

import datetime
from dataclasses import dataclass
from email.utils import parseaddr

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Language, User
from accounts.selectors import users_for_verified_addresses
from kumppanuus.addresses import normalise_email
from kumppanuus.validators import validate_person_name
from meetings.models import (
    AgendaItem,
    AgendaItemStatus,
    Invitation,
    InvitationKind,
    InvitationRequest,
    InvitationRequestStatus,
    InvitationSource,
    Meeting,
    MeetingStatus,
    MeetingVersion,
    OutboxStatus,
    new_link_key,
)
from meetings.services._common import check_texts, lock_meeting, require, text_errors, text_problem
from meetings.services.rsvp import seats_taken, waitlist_promote
from organisations.models import Membership, MembershipStatus, Organisation
from outbox.engine import queue_sends
from outbox.services import notification_queue
from tables.models import PartnershipTable, RoleAssignment, StandingMember, StandingMemberStatus, TableAccess
from tables.permissions import standing_organisation_ids
from tables.selectors import standing_member_request_reviewers

# Changing one of these on a scheduled meeting sends everyone an update with a higher SEQUENCE. The
# title and description in Finnish and Swedish (modeltranslation columns); "title" and "description"
# in the data of meeting_update are the Finnish ones, "title_sv" and "description_sv" the Swedish.
TEXT_COLUMNS = ("title_fi", "title_sv", "description_fi", "description_sv")
SENT_FIELDS = (*TEXT_COLUMNS, "starts_at", "ends_at", "format", "address", "online_link")
EDITABLE_FIELDS = (*SENT_FIELDS, "capacity", "rsvp_deadline", "chair", "chair_person", "secretary")
# Every language of the translated texts, and the untranslated columns modeltranslation keeps.
ALL_TEXT_COLUMNS = tuple(
    f"{field}{suffix}" for field in ("title", "description") for suffix in ("", "_fi", "_sv", "_en")
)


def _texts(data: dict) -> dict:
    """The service's text arguments as columns: title → title_fi, title_sv → title_sv (an empty
    Swedish text as None, so that the Finnish one shows in its place)."""
    columns = {}
    for field in ("title", "description"):
        if field in data:
            columns[f"{field}_fi"] = (data[field] or "").strip()
        if f"{field}_sv" in data:
            columns[f"{field}_sv"] = (data[f"{field}_sv"] or "").strip() or None
    return columns
MAX_ADDED_INVITEES = 500
# A meeting is planned at most this far ahead, not before the year 2000, and lasts at most a month:
# a meeting in the year 9999 broke every calendar it was in, and no table plans one.
MEETING_HORIZON = datetime.timedelta(days=5 * 365)
EARLIEST_MEETING = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
MAX_MEETING_LENGTH = datetime.timedelta(days=31)


# --- Chair rotation -------------------------------------------------------------


def meeting_suggest_chair(table: PartnershipTable) -> Organisation | None:
    """The standing member organisation that chaired least recently; one that never chaired comes first."""
    organisations = list(
        Organisation.objects.filter(
            standing_memberships__table=table, standing_memberships__status=StandingMemberStatus.ACTIVE
        ).order_by("name", "pk")
    )
    if not organisations:
        return None
    last_chaired = dict(
        Meeting.objects.filter(table=table, chair__in=organisations)
        .exclude(status=MeetingStatus.CANCELLED)
        .values_list("chair")
        .annotate(last=Max("starts_at"))
    )
    # sorted() is stable, so organisations that never chaired stay in name order.
    return sorted(organisations, key=lambda o: (o.pk in last_chaired, last_chaired.get(o.pk) or timezone.now()))[0]


# --- Validation -----------------------------------------------------------------


def _validate(meeting: Meeting, *, for_sending: bool, start_changed: bool, taken: int = 0) -> None:
    """Raises one ValidationError naming every field that is wrong; the caller has saved nothing yet."""
    errors: dict[str, str] = {}
    now = timezone.now()
    errors.update(_date_errors(meeting, now=now))
    errors.update(
        text_errors(
            one_line={"title": meeting.title_fi, "title_sv": meeting.title_sv, "address": meeting.address},
            lines={"description": meeting.description_fi, "description_sv": meeting.description_sv},
        )
    )
    if not errors and not meeting.title_fi:
        errors["title"] = _("Give the title in Finnish.")
    if errors:  # the checks below compare these times
        raise ValidationError(errors)
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    if start_changed and meeting.starts_at and meeting.starts_at <= now:
        errors["starts_at"] = _("The meeting cannot start in the past.")
    if meeting.rsvp_deadline and meeting.starts_at and meeting.rsvp_deadline > meeting.starts_at:
        errors["rsvp_deadline"] = _("The registration deadline must be before the meeting starts.")
    if for_sending:
        if meeting.has_place and not meeting.address.strip():
            errors["address"] = _("Give the address of the meeting place.")
        if meeting.has_online_link and not meeting.online_link:
            errors["online_link"] = _("Give the link to the online meeting.")
    if meeting.capacity is not None and meeting.capacity < taken:
        errors["capacity"] = ngettext(
            "%(count)d person has already registered; the capacity cannot be smaller than that.",
            "%(count)d people have already registered; the capacity cannot be smaller than that.",
            taken,
        ) % {"count": taken}
    if meeting.chair_id and meeting.chair_id not in standing_organisation_ids(meeting.table):
        errors["chair"] = _("The chair must be one of the table's standing member organisations.")
    if errors:
        raise ValidationError(errors)
    meeting.full_clean()


def _date_errors(meeting: Meeting, *, now: datetime.datetime) -> dict[str, str]:
    """The times a caller may give: aware, from 2000 on, at most five years ahead, a month long at most."""
    errors = {}
    for field in ("starts_at", "ends_at", "rsvp_deadline"):
        value = getattr(meeting, field)
        if value is None:
            continue
        if not isinstance(value, datetime.datetime) or timezone.is_naive(value):
            errors[field] = _("Give a date and a time with its time zone.")
        elif value < EARLIEST_MEETING:
            errors[field] = _("The date must be in the year 2000 or later.")
        elif value > now + MEETING_HORIZON:
            errors[field] = _("Meetings can be planned at most five years ahead.")
    starts, ends = meeting.starts_at, meeting.ends_at
    if not errors and starts and ends and ends - starts > MAX_MEETING_LENGTH:
        errors["ends_at"] = _("A meeting can last at most 31 days.")
    return errors


def _is_email(value) -> bool:
    try:
        validate_email(value.strip() if isinstance(value, str) else None)
    except ValidationError:
        return False
    return True


def _checked_people(people, language: str) -> list[tuple[str, str]]:
    """The (name, address) pairs a caller gave, all refused (a ValidationError on ``people``) when one
    is not a one-line name and an e-mail address: the invitations are written with bulk_create,
    which checks nothing, and a pair given the other way round was mailed to "guest probe"."""
    if language not in Language.values:
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    people = list(people)  # how many at a time is the address list's limit (parse_email_list), not the service's
    longest_name = Invitation._meta.get_field("name").max_length
    bad = []
    for entry in people:
        name, address = entry if isinstance(entry, (tuple, list)) and len(entry) == 2 else (None, None)
        if not _is_email(address) or text_problem(name, one_line=True) or len(name or "") > longest_name:
            bad.append(str(entry))
    if bad:
        raise ValidationError(
            {
                "people": ngettext(
                    "This is not a name and an e-mail address: %(entries)s",
                    "These are not names and e-mail addresses: %(entries)s",
                    len(bad),
                ) % {"entries": ", ".join(bad)}
            }
        )
    return people


# --- Invitees -------------------------------------------------------------------


@dataclass(frozen=True)
class Invitee:
    email: str
    name: str = ""
    language: str = Language.FINNISH
    user: User | None = None
    organisation: Organisation | None = None
    source: str = InvitationSource.ADDED


def _person(user: User, **kwargs) -> Invitee:
    return Invitee(email=normalise_email(user.email), name=user.full_name, language=user.language, user=user, **kwargs)


def table_invitees(meeting: Meeting) -> list[Invitee]:
    """Who a table's meeting invites: the representatives and substitutes of its active standing
    members (and, if the table says so, every approved member of those organisations), the current
    holders of its roles, and the meeting's chair and secretary."""
    today = timezone.localdate()
    invitees: list[Invitee] = []
    standing = (
        StandingMember.objects.filter(table_id=meeting.table_id, status=StandingMemberStatus.ACTIVE)
        .select_related("organisation", "representative", "substitute")
        .order_by("organisation__name", "pk")
    )
    for member in standing:
        for user in (member.representative, member.substitute):
            if user is not None and user.is_active:
                invitees.append(
                    _person(user, organisation=member.organisation, source=InvitationSource.STANDING_MEMBER)
                )
    if meeting.table.invite_all_members:
        # The table invites the organisations' whole membership, not only the named people.
        members = (
            Membership.objects.filter(
                organisation__standing_memberships__table_id=meeting.table_id,
                organisation__standing_memberships__status=StandingMemberStatus.ACTIVE,
                status=MembershipStatus.APPROVED, user__is_active=True,
            )
            .select_related("user", "organisation")
            .order_by("organisation__name", "user__full_name", "pk")
        )
        invitees.extend(
            _person(membership.user, organisation=membership.organisation, source=InvitationSource.STANDING_MEMBER)
            for membership in members
        )
    roles = (
        # A nomination not yet accepted brings no invitations (tables.models.RoleAssignment).
        RoleAssignment.objects.in_force()
        .on(today)
        .filter(table_id=meeting.table_id, user__is_active=True)
        .select_related("user")
        .order_by("role__position", "pk")
    )
    invitees.extend(_person(assignment.user, source=InvitationSource.ROLE) for assignment in roles)
    for user in (meeting.chair_person, meeting.secretary):
        if user is not None and user.is_active:
            invitees.append(_person(user, source=InvitationSource.ROLE))
    return invitees


def unique_invitees(invitees: list[Invitee]) -> list[Invitee]:
    """Each address once, as the invitations are written (the first reason a person is invited wins):
    a representative of two standing members who also holds a role is one invitee."""
    seen, unique = set(), []
    for invitee in invitees:
        if invitee.email not in seen:
            seen.add(invitee.email)
            unique.append(invitee)
    return unique


def parse_email_list(text: str) -> list[tuple[str, str]]:
    """(name, address) pairs from lines or commas like ``Maija Meikäläinen <maija@example.org>``.

    Raises a ValidationError listing every entry that is not an e-mail address.
    """
    entries = [part.strip() for line in (text or "").splitlines() for part in line.replace(";", ",").split(",")]
    people, bad = [], []
    for entry in filter(None, entries):
        name, address = parseaddr(entry)
        try:
            validate_email(address)
            validate_person_name(name.strip())
        except ValidationError:
            bad.append(entry)
        else:
            people.append((name.strip(), normalise_email(address)))
    if bad:
        raise ValidationError(
            ngettext(
                "This is not an e-mail address: %(entries)s",
                "These are not e-mail addresses: %(entries)s",
                len(bad),
            ) % {"entries": ", ".join(bad)}
        )
    if len(people) > MAX_ADDED_INVITEES:
        raise ValidationError(
            _("Add at most %(count)d people at a time.") % {"count": MAX_ADDED_INVITEES}
        )
    return people


def _email_invitees(people: list[tuple[str, str]], language: str) -> list[Invitee]:
    """People added by address; one who has verified that address is invited as that person, in
    their language. (An account that merely signs in with a look-alike, or has the address
    unverified, is not that person: accounts/selectors.py.)

    The names and addresses are checked here too, not only in the form: the invitations are written
    with bulk_create, which skips the models' validators, and they are mailed.
    """
    people = [((name or "").strip(), normalise_email(address)) for name, address in people]
    for name, address in people:
        validate_email(address)
        validate_person_name(name)
    accounts = users_for_verified_addresses([address for _name, address in people])
    invitees = []
    for name, address in people:
        user = accounts.get(address)
        if user is not None:
            invitees.append(_person(user, source=InvitationSource.ADDED))
        else:
            invitees.append(Invitee(email=address, name=name, language=language, source=InvitationSource.ADDED))
    return invitees


def _create_invitations(meeting: Meeting, invitees: list[Invitee], *, actor: User | None) -> list[Invitation]:
    """One queued invitation per new address (the meeting row is locked, so no one races us)."""
    seen = set(meeting.invitations.values_list("email", flat=True))  # stored normalised, as invitee.email is
    now = timezone.now()
    rows = []
    for invitee in invitees:
        if invitee.email in seen:
            continue
        seen.add(invitee.email)
        rows.append(
            Invitation(
                meeting=meeting,
                user=invitee.user,
                email=invitee.email,
                name=invitee.name,
                language=invitee.language,
                organisation=invitee.organisation,
                source=invitee.source,
                kind=InvitationKind.INVITE,
                delivery_status=OutboxStatus.QUEUED,
                queued_at=now,
                added_by=actor,
            )
        )
    return Invitation.objects.bulk_create(rows)


def _requeue_all(meeting: Meeting, *, kind: str) -> None:
    """Queues a new message (update or cancellation) to everyone invited, whatever their last state.

    Invitations of people who have deleted their account are anonymised and never sent again."""
    now = timezone.now()
    # A row some batch is sending is taken from it (claim_token): that batch leaves it alone now.
    reset = {
        "delivery_status": OutboxStatus.QUEUED, "queued_at": now, "attempts": 0, "last_error": "", "claim_token": "",
    }
    invitations = Invitation.objects.filter(meeting=meeting, anonymised_at__isnull=True)
    if kind == InvitationKind.UPDATE:
        # Someone whose first invitation has not gone out yet gets an invitation, not an "update".
        invitations.filter(sent_sequence__isnull=True).update(kind=InvitationKind.INVITE, **reset)
        invitations.filter(sent_sequence__isnull=False).update(kind=InvitationKind.UPDATE, **reset)
    else:
        invitations.update(kind=kind, **reset)
    queue_sends(Invitation, list(invitations.order_by("pk").values_list("pk", flat=True)))


def _remember_version(meeting: Meeting) -> None:
    """Keeps what this SEQUENCE of the meeting tells its invitees, for the "what changed" of a later update."""
    MeetingVersion.objects.update_or_create(
        meeting=meeting, sequence=meeting.sequence,
        defaults={field: getattr(meeting, field) for field in VERSION_FIELDS},
    )


# The title in every language, so that an update tells each invitee the old title in their own.
VERSION_FIELDS = ("title", "title_fi", "title_sv", "title_en", "starts_at", "ends_at", "format", "address",
                  "online_link")


# --- Services -------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    table: PartnershipTable,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    format: str,
    description: str = "",
    title_sv: str = "",
    description_sv: str = "",
    address: str = "",
    online_link: str = "",
    capacity: int | None = None,
    rsvp_deadline: datetime.datetime | None = None,
    chair: Organisation | None = None,
    chair_person: User | None = None,
    secretary: User | None = None,
) -> Meeting:
    """Creates a draft meeting of a table. Nobody is invited until it is scheduled. The title and
    description are in Finnish; title_sv and description_sv, if given, in Swedish."""
    meeting = Meeting(
        table=table, starts_at=starts_at, ends_at=ends_at, format=format,
        **_texts({"title": title, "description": description, "title_sv": title_sv,
                  "description_sv": description_sv}),
        address=address, online_link=online_link, capacity=capacity, rsvp_deadline=rsvp_deadline, chair=chair,
        chair_person=chair_person, secretary=secretary, status=MeetingStatus.DRAFT, created_by=actor,
    )
    require(actor, "meetings.manage_meeting", meeting)
    _validate(meeting, for_sending=False, start_changed=True)
    meeting.save()
    return meeting


@transaction.atomic
def meeting_schedule(
    *,
    actor: User,
    meeting: Meeting,
    extra_people: list[tuple[str, str]] = (),
    language: str = Language.FINNISH,
) -> list[Invitation]:
    """Publishes a draft and invites everyone: one Invitation per invitee in this transaction, and
    the sends are queued when it commits (a sweeper picks up any the broker did not take)."""
    meeting = lock_meeting(meeting.pk)
    require(actor, "meetings.manage_meeting", meeting)
    if meeting.status != MeetingStatus.DRAFT:
        raise ValidationError(_("This meeting has already been scheduled or is over."))
    _validate(meeting, for_sending=True, start_changed=True)
    extra_people = _checked_people(extra_people, language)
    invitees = table_invitees(meeting) + _email_invitees(list(extra_people), language)
    if not invitees and meeting.table.access != TableAccess.OPEN_FORUM:
        raise ValidationError(
            _("There is nobody to invite: the table has no standing members or role holders. Add people by e-mail.")
        )
    meeting.status = MeetingStatus.SCHEDULED
    meeting.scheduled_at = timezone.now()
    meeting.save()
    _remember_version(meeting)
    invitations = _create_invitations(meeting, invitees, actor=actor)
    queue_sends(Invitation, [invitation.pk for invitation in invitations])
    return invitations


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, data: dict) -> Meeting:
    """Changes a draft or scheduled meeting. A change of time, place or link raises the calendar
    SEQUENCE and sends everyone invited an update; a larger capacity lets people off the waiting list."""
    meeting = lock_meeting(meeting.pk)
    require(actor, "meetings.manage_meeting", meeting)
    if meeting.status not in (MeetingStatus.DRAFT, MeetingStatus.SCHEDULED):
        raise ValidationError(_("A held or cancelled meeting cannot be changed."))
    before = {field: getattr(meeting, field) for field in EDITABLE_FIELDS}
    data = {**{key: value for key, value in data.items() if key not in ("title", "description", "title_sv",
                                                                       "description_sv")}, **_texts(data)}
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(meeting, field, data[field])
    changed = {field for field in SENT_FIELDS if getattr(meeting, field) != before[field]}
    scheduled = meeting.status == MeetingStatus.SCHEDULED
    _validate(
        meeting, for_sending=scheduled, start_changed="starts_at" in changed,
        taken=seats_taken(meeting) if scheduled else 0,
    )
    if scheduled and changed:
        meeting.sequence += 1
    meeting.save()
    if scheduled and changed:
        _remember_version(meeting)
        _requeue_all(meeting, kind=InvitationKind.UPDATE)
    if scheduled and meeting.capacity != before["capacity"]:
        waitlist_promote(meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, reason: str = "") -> Meeting:
    """Cancels a meeting; everyone invited gets a cancellation (METHOD:CANCEL) that removes it from their calendar."""
    meeting = lock_meeting(meeting.pk)
    require(actor, "meetings.manage_meeting", meeting)
    if meeting.status not in (MeetingStatus.DRAFT, MeetingStatus.SCHEDULED):
        raise ValidationError(_("This meeting has already been cancelled or held."))
    check_texts(lines={"reason": reason})
    was_scheduled = meeting.status == MeetingStatus.SCHEDULED
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.cancellation_reason = (reason or "").strip()
    if was_scheduled:
        meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    if was_scheduled:
        _requeue_all(meeting, kind=InvitationKind.CANCEL)
    return meeting


@transaction.atomic
def meeting_add_invitees(
    *, actor: User, meeting: Meeting, people: list[tuple[str, str]], language: str = Language.FINNISH
) -> list[Invitation]:
    """Invites more people to a scheduled meeting: the addresses given, and anyone who has joined
    the table (standing member, role) since it was scheduled. Those already invited are left alone."""
    meeting = lock_meeting(meeting.pk)
    require(actor, "meetings.manage_meeting", meeting)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(_("People can be added to a scheduled meeting only."))
    people = _checked_people(people, language)
    invitations = _create_invitations(
        meeting, table_invitees(meeting) + _email_invitees(list(people), language), actor=actor
    )
    queue_sends(Invitation, [invitation.pk for invitation in invitations])
    return invitations


@transaction.atomic
def invitation_retry_failed(*, actor: User, meeting: Meeting) -> int:
    """Queues the failed invitations of a meeting again (e.g. after a mistyped address was corrected elsewhere)."""
    meeting = lock_meeting(meeting.pk)
    require(actor, "meetings.manage_meeting", meeting)
    failed = Invitation.objects.filter(meeting=meeting, delivery_status=OutboxStatus.FAILED, anonymised_at__isnull=True)
    ids = list(failed.values_list("pk", flat=True))
    failed.update(delivery_status=OutboxStatus.QUEUED, queued_at=timezone.now(), attempts=0, claim_token="")
    queue_sends(Invitation, ids)
    return len(ids)


@transaction.atomic
def invitation_revoke_links(*, actor: User, invitation: Invitation) -> Invitation:
    """Ends every one-click answer link sent for this invitation (e.g. an invitation forwarded to
    someone else): the invitation gets a new link key, so the old tokens no longer match
    (meetings/tokens.py). The person can still answer signed in, or from the links of a later message."""
    meeting = lock_meeting(invitation.meeting_id)
    require(actor, "meetings.manage_meeting", meeting)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk, meeting=meeting)
    invitation.link_key = new_link_key()
    invitation.save(update_fields=["link_key"])
    return invitation


@transaction.atomic
def meeting_delete(*, actor: User, meeting: Meeting) -> None:
    """Deletes a draft that nobody was invited to (with its agenda). A meeting anyone was told of is
    cancelled instead, so that they are told and the record stays."""
    meeting = lock_meeting(meeting.pk)
    require(actor, "meetings.manage_meeting", meeting)
    if meeting.status != MeetingStatus.DRAFT:
        raise ValidationError(_("Only a draft can be deleted; cancel a scheduled meeting instead."))
    if meeting.invitations.exists():
        raise ValidationError(_("People have been invited to this meeting: cancel it instead."))
    meeting.delete()


@transaction.atomic
def meeting_copy(*, actor: User, meeting: Meeting, starts_at: datetime.datetime) -> Meeting:
    """A new draft like ``meeting`` on another date: its title, description, format, place, online
    link, capacity and length, and the items on its agenda. The chair is suggested by rotation
    afresh; nobody is invited until the copy is scheduled."""
    require(actor, "meetings.manage_meeting", meeting)
    copy = Meeting(
        table=meeting.table, starts_at=starts_at, **{column: getattr(meeting, column) for column in ALL_TEXT_COLUMNS},
        ends_at=starts_at + (meeting.ends_at - meeting.starts_at) if isinstance(starts_at, datetime.datetime) else None,
        format=meeting.format, address=meeting.address, online_link=meeting.online_link, capacity=meeting.capacity,
        chair=meeting_suggest_chair(meeting.table), status=MeetingStatus.DRAFT, created_by=actor,
    )
    require(actor, "meetings.manage_meeting", copy)
    if copy.ends_at is None:
        raise ValidationError({"starts_at": _("Give a date and a time with its time zone.")})
    _validate(copy, for_sending=False, start_changed=True)
    copy.save()
    now = timezone.now()
    items = AgendaItem.objects.filter(meeting=meeting, status=AgendaItemStatus.ACCEPTED).order_by("position", "pk")
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=copy, **{column: getattr(item, column) for column in ALL_TEXT_COLUMNS}, presenter=item.presenter,
            duration_minutes=item.duration_minutes, position=position, status=AgendaItemStatus.ACCEPTED,
            proposed_by=actor, decided_by=actor, decided_at=now,
        )
        for position, item in enumerate(items, start=1)
    )
    return copy


# --- Requests for an invitation (issue 12) -------------------------------------------------------

# Outbox notification kinds (their builders are in meetings/emails.py).
INVITATION_REQUEST = "meetings.invitation_request"
INVITATION_REQUEST_DECLINED = "meetings.invitation_request_declined"


@transaction.atomic
def invitation_request_create(*, actor: User, meeting: Meeting) -> InvitationRequest:
    """A member of one of the table's standing organisations asks to be invited to a scheduled
    meeting; the table's coordinators are told. Asking again after a decline asks anew."""
    meeting = lock_meeting(meeting.pk)
    require(actor, "meetings.request_invitation", meeting)
    request, created = InvitationRequest.objects.get_or_create(meeting=meeting, user=actor)
    if not created:
        if request.status == InvitationRequestStatus.REQUESTED:
            raise ValidationError(_("You have already asked for an invitation to this meeting."))
        request.status = InvitationRequestStatus.REQUESTED
        request.decided_by = None
        request.decided_at = None
        request.save()
    notification_queue(
        kind=INVITATION_REQUEST, object_id=request.pk, recipients=standing_member_request_reviewers(meeting.table)
    )
    return request


@transaction.atomic
def invitation_request_decide(*, actor: User, request: InvitationRequest, approve: bool) -> InvitationRequest:
    """A coordinator approves (the person is invited like anyone else, the invitation tells them) or
    declines (they are told) a request for an invitation."""
    meeting = lock_meeting(request.meeting_id)
    require(actor, "meetings.manage_meeting", meeting)
    request = InvitationRequest.objects.select_for_update().select_related("user").get(pk=request.pk)
    if request.status != InvitationRequestStatus.REQUESTED:
        raise ValidationError(_("This request has already been decided."))
    if approve and meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(_("People can be added to a scheduled meeting only."))
    request.status = InvitationRequestStatus.APPROVED if approve else InvitationRequestStatus.DECLINED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save()
    if approve:
        organisation = (
            Organisation.objects.filter(
                pk__in=standing_organisation_ids(meeting.table),
                memberships__user=request.user, memberships__status=MembershipStatus.APPROVED,
            )
            .order_by("name")
            .first()
        )
        invitations = _create_invitations(
            meeting, [_person(request.user, organisation=organisation, source=InvitationSource.ADDED)], actor=actor
        )
        queue_sends(Invitation, [invitation.pk for invitation in invitations])
    else:
        notification_queue(kind=INVITATION_REQUEST_DECLINED, object_id=request.pk, recipients=[request.user])
    return request
