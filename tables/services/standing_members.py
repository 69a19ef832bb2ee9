"""Standing members: organisations named to a table, asking to join, and the coordinators' decisions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from organisations.models import Eligibility, Membership, MembershipRole, MembershipStatus, Organisation
from organisations.permissions import approved_memberships
from outbox.services import notification_queue
from tables.models import PartnershipTable, StandingMember, StandingMemberStatus, TableStatus
from tables.permissions import forget_cached_table_roles
from tables.selectors import standing_member_request_reviewers

# The notification kinds of standing membership (built in tables/emails.py).
STANDING_MEMBER_REQUEST = "tables.standing_member_request"
STANDING_MEMBER_DECISION = "tables.standing_member_decision"


def _check_eligible(organisation: Organisation) -> None:
    if organisation.eligibility != Eligibility.APPROVED:
        raise ValidationError(
            {
                "organisation": _(
                    "%(name)s has not been approved as eligible, so it cannot be a standing member. "
                    "A coordinator first approves organisations that promote social and health care, "
                    "or wellbeing, health and safety."
                )
                % {"name": organisation.name}
            }
        )


def _check_people(organisation: Organisation, representative: User | None, substitute: User | None) -> None:
    """The representative and the substitute must be approved members of the organisation."""
    people = [person for person in (representative, substitute) if person is not None]
    approved = set(
        Membership.objects.filter(
            organisation=organisation, status=MembershipStatus.APPROVED, user__in=people
        ).values_list("user_id", flat=True)
    )
    errors = {}
    for field, person in (("representative", representative), ("substitute", substitute)):
        if person is not None and person.pk not in approved:
            errors[field] = _("%(person)s is not an approved member of %(organisation)s.") % {
                "person": person,
                "organisation": organisation.name,
            }
    if representative is not None and substitute is not None and representative.pk == substitute.pk:
        errors["substitute"] = _("The substitute must be a different person from the representative.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def standing_member_add(
    *,
    actor: User | None,
    table: PartnershipTable,
    organisation: Organisation,
    representative: User | None = None,
    substitute: User | None = None,
) -> StandingMember:
    """A coordinator names an organisation a standing member; it is active at once.

    A pending request from the organisation is approved by this; an ended or declined
    membership starts again.
    """
    _check_eligible(organisation)
    _check_people(organisation, representative, substitute)
    member = StandingMember.objects.select_for_update().filter(table=table, organisation=organisation).first()
    if member is None:
        member = StandingMember(table=table, organisation=organisation)
    elif member.status == StandingMemberStatus.ACTIVE:
        raise ValidationError(
            {"organisation": _("%(name)s is already a standing member of this table.") % {"name": organisation.name}}
        )
    member.status = StandingMemberStatus.ACTIVE
    member.representative = representative or member.representative
    member.substitute = substitute or member.substitute
    member.decline_reason = ""
    member.decided_by = actor
    member.decided_at = timezone.now()
    member.ended_at = None
    member._history_user = actor
    member.full_clean()
    member.save()
    forget_cached_table_roles(table)
    return member


@transaction.atomic
def standing_member_request(*, actor: User, table: PartnershipTable, organisation: Organisation) -> StandingMember:
    """A representative asks for their organisation to become a standing member; a coordinator decides.

    The requester is named as the organisation's representative on the table. The table's
    coordinators get an e-mail.
    """
    if approved_memberships(actor).get(organisation.pk) != MembershipRole.REPRESENTATIVE:
        raise ValidationError(
            {"organisation": _("Only a representative of %(name)s can ask for this.") % {"name": organisation.name}}
        )
    _check_eligible(organisation)
    if table.status == TableStatus.CLOSED:
        raise ValidationError(_("This table is closed and takes no new standing members."))
    member = StandingMember.objects.select_for_update().filter(table=table, organisation=organisation).first()
    if member is None:
        member = StandingMember(table=table, organisation=organisation)
    elif member.status == StandingMemberStatus.ACTIVE:
        raise ValidationError(
            {"organisation": _("%(name)s is already a standing member of this table.") % {"name": organisation.name}}
        )
    elif member.status == StandingMemberStatus.REQUESTED:
        raise ValidationError(
            {"organisation": _("%(name)s has already asked to join this table.") % {"name": organisation.name}}
        )
    member.status = StandingMemberStatus.REQUESTED
    member.requested_by = actor
    member.representative = actor
    member.substitute = None
    member.decline_reason = ""
    member.decided_by = None
    member.decided_at = None
    member.ended_at = None
    member._history_user = actor
    member.full_clean()
    member.save()

    notification_queue(
        kind=STANDING_MEMBER_REQUEST, object_id=member.pk, recipients=standing_member_request_reviewers(member.table)
    )
    return member


@transaction.atomic
def standing_member_decide(
    *, actor: User | None, standing_member: StandingMember, approve: bool, reason: str = ""
) -> StandingMember:
    """Approves or declines a request for standing membership; the requester gets an e-mail."""
    member = (
        StandingMember.objects.select_for_update()
        .select_related("organisation", "table")
        .get(pk=standing_member.pk)
    )
    if member.status != StandingMemberStatus.REQUESTED:
        raise ValidationError(_("This request has already been decided."))
    reason = (reason or "").strip()
    if approve:
        _check_eligible(member.organisation)
        member.status = StandingMemberStatus.ACTIVE
        member.decline_reason = ""
    else:
        if not reason:
            raise ValidationError({"reason": _("Give a reason for declining; the organisation will see it.")})
        member.status = StandingMemberStatus.DECLINED
        member.decline_reason = reason
    member.decided_by = actor
    member.decided_at = timezone.now()
    member._history_user = actor
    member.full_clean()
    member.save()
    forget_cached_table_roles(member.table)

    if member.requested_by is not None:
        notification_queue(kind=STANDING_MEMBER_DECISION, object_id=member.pk, recipients=[member.requested_by])
    return member


@transaction.atomic
def standing_member_update(
    *, actor: User | None, standing_member: StandingMember, representative: User | None, substitute: User | None
) -> StandingMember:
    """Names the organisation's representative and substitute (varajäsen) on the table."""
    member = StandingMember.objects.select_for_update().select_related("organisation").get(pk=standing_member.pk)
    _check_people(member.organisation, representative, substitute)
    member.representative = representative
    member.substitute = substitute
    member._history_user = actor
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def standing_member_end(*, actor: User | None, standing_member: StandingMember) -> StandingMember:
    """Ends a standing membership; the history keeps when and by whom."""
    member = StandingMember.objects.select_for_update().select_related("table").get(pk=standing_member.pk)
    if member.status != StandingMemberStatus.ACTIVE:
        raise ValidationError(_("Only an active standing membership can be ended."))
    member.status = StandingMemberStatus.ENDED
    member.ended_at = timezone.now()
    member._history_user = actor
    member.save()
    forget_cached_table_roles(member.table)
    return member
