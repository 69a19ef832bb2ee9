"""Every write to organisations and memberships goes through these functions."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from organisations.models import (
    Eligibility,
    Membership,
    MembershipRole,
    MembershipStatus,
    Municipality,
    Organisation,
    Theme,
    WelfareArea,
)
from organisations.permissions import forget_cached_roles
from organisations.selectors import (
    membership_request_reviewers,
    organisation_registration_reviewers,
    organisation_representatives,
)
from organisations.validators import normalise_business_id
from outbox.services import notification_queue

# The notification kinds of organisations (built in organisations/emails.py).
ELIGIBILITY_DECISION = "organisations.eligibility_decision"
MEMBERSHIP_REQUEST = "organisations.membership_request"
MEMBERSHIP_DECISION = "organisations.membership_decision"
REGISTRATION = "organisations.registration"

PROFILE_FIELDS = (
    "name",
    "kind",
    "business_id",
    "register_number",
    "description",
    "welfare_area",
    "website",
    "email",
    "phone",
)


def _apply_profile(organisation: Organisation, data: dict) -> None:
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(organisation, field, data[field])
    organisation.business_id = normalise_business_id(organisation.business_id) or None


def _save_refusing_duplicates(instance, *, field: str | None, message) -> None:
    """Saves; a duplicate that a concurrent request saved after our full_clean() becomes a ValidationError.

    full_clean() checks uniqueness first, so this only matters when two requests race (a double
    click, two people registering the same business ID at once); the unique constraint decides.
    """
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ValidationError({field: message} if field else message) from error


def _duplicate_business_id_message():
    return Organisation._meta.get_field("business_id").error_messages["unique"]


@transaction.atomic
def organisation_register(
    *,
    actor: User,
    name: str,
    kind: str,
    welfare_area: WelfareArea,
    business_id: str | None = None,
    register_number: str = "",
    description: str = "",
    website: str = "",
    email: str = "",
    phone: str = "",
    themes: Iterable[Theme] = (),
    municipalities: Iterable[Municipality] = (),
) -> Organisation:
    """Registers a new organisation, waiting for eligibility review, with the actor as its
    representative. The county's coordinators are told (not the actor, should they be one)."""
    organisation = Organisation(eligibility=Eligibility.PENDING)
    _apply_profile(
        organisation,
        {
            "name": name,
            "kind": kind,
            "business_id": business_id,
            "register_number": register_number,
            "description": description,
            "welfare_area": welfare_area,
            "website": website,
            "email": email,
            "phone": phone,
        },
    )
    organisation._history_user = actor
    organisation.full_clean()
    _save_refusing_duplicates(organisation, field="business_id", message=_duplicate_business_id_message())
    organisation.themes.set(themes)
    organisation.municipalities.set(municipalities)
    membership = Membership(
        user=actor,
        organisation=organisation,
        role=MembershipRole.REPRESENTATIVE,
        status=MembershipStatus.APPROVED,
        decided_at=timezone.now(),
    )
    membership._history_user = actor
    membership.save()
    forget_cached_roles(actor)
    notification_queue(
        kind=REGISTRATION, object_id=organisation.pk,
        recipients=organisation_registration_reviewers(organisation).exclude(pk=actor.pk),
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    data: dict,
    themes: Iterable[Theme] | None = None,
    municipalities: Iterable[Municipality] | None = None,
) -> Organisation:
    """Changes an organisation's public profile. Eligibility is not decided here.

    Eligibility is granted by the coordinators of one county, so an organisation moved to another
    county by someone who does not coordinate it goes back to that county's review queue.
    """
    # The form may already have changed the instance in memory; the row says where it was.
    previous_area_id = (
        Organisation.objects.select_for_update().values_list("welfare_area_id", flat=True).get(pk=organisation.pk)
    )
    _apply_profile(organisation, data)
    if (
        organisation.welfare_area_id != previous_area_id
        and organisation.eligibility != Eligibility.PENDING
        and not actor.has_perm("organisations.decide_eligibility", organisation)
    ):
        organisation.eligibility = Eligibility.PENDING
        organisation.eligibility_reason = ""
        organisation.eligibility_decided_by = None
        organisation.eligibility_decided_at = None
    organisation._history_user = actor
    organisation.full_clean()
    _save_refusing_duplicates(organisation, field="business_id", message=_duplicate_business_id_message())
    if themes is not None:
        organisation.themes.set(themes)
    if municipalities is not None:
        organisation.municipalities.set(municipalities)
    return organisation


@transaction.atomic
def organisation_decide_eligibility(
    *, actor: User, organisation: Organisation, approve: bool, reason: str = ""
) -> Organisation:
    """Approves or rejects an organisation, records who and when, and tells its representatives by e-mail."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not actor.has_perm("organisations.decide_eligibility", organisation):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Give a reason for the rejection; the organisation will see it.")})
    organisation.eligibility = Eligibility.APPROVED if approve else Eligibility.REJECTED
    organisation.eligibility_reason = reason
    organisation.eligibility_decided_by = actor
    organisation.eligibility_decided_at = timezone.now()
    organisation._history_user = actor
    organisation.save()

    notification_queue(
        kind=ELIGIBILITY_DECISION, object_id=organisation.pk, recipients=organisation_representatives(organisation)
    )
    return organisation


@transaction.atomic
def membership_request(*, user: User, organisation: Organisation, message: str = "") -> Membership:
    """Asks to join an organisation. A representative of it or a coordinator decides."""
    if organisation.eligibility == Eligibility.REJECTED:
        raise ValidationError(_("This organisation was not approved and cannot be joined."))
    existing = Membership.objects.filter(user=user, organisation=organisation).first()
    if existing is not None:
        if existing.status == MembershipStatus.REJECTED:
            # A rejected person may ask again; the request goes back to the queue.
            existing.status = MembershipStatus.PENDING
            existing.message = message
            existing.decision_reason = ""
            existing.decided_by = None
            existing.decided_at = None
            existing._history_user = user
            existing.save()
            _queue_membership_request_notice(existing)
            return existing
        raise ValidationError(_("You are already a member of this organisation or have asked to join it."))
    membership = Membership(
        user=user,
        organisation=organisation,
        role=MembershipRole.MEMBER,
        status=MembershipStatus.PENDING,
        message=message,
    )
    membership._history_user = user
    membership.full_clean()
    _save_refusing_duplicates(
        membership, field=None,
        message=_("You are already a member of this organisation or have asked to join it."),
    )
    _queue_membership_request_notice(membership)
    return membership


def _queue_membership_request_notice(membership: Membership) -> None:
    notification_queue(
        kind=MEMBERSHIP_REQUEST, object_id=membership.pk, recipients=membership_request_reviewers(membership)
    )


@transaction.atomic
def membership_decide(*, actor: User, membership: Membership, approve: bool, reason: str = "") -> Membership:
    """Approves or rejects a request to join; the requester gets an e-mail."""
    membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
    if not actor.has_perm("organisations.decide_membership", membership):
        raise PermissionDenied
    if membership.status != MembershipStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Give a reason for the rejection; the person will see it.")})
    membership.status = MembershipStatus.APPROVED if approve else MembershipStatus.REJECTED
    membership.decision_reason = reason
    membership.decided_by = actor
    membership.decided_at = timezone.now()
    membership._history_user = actor
    membership.save()

    notification_queue(kind=MEMBERSHIP_DECISION, object_id=membership.pk, recipients=[membership.user])
    return membership


@transaction.atomic
def membership_set_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """Makes an approved member a representative or back a member.

    An organisation always keeps at least one representative.
    """
    membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
    if not actor.has_perm("organisations.change_organisation", membership.organisation):
        raise PermissionDenied
    if membership.status != MembershipStatus.APPROVED:
        raise ValidationError(_("Only approved members can be given a role."))
    if role not in MembershipRole.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if membership.role == MembershipRole.REPRESENTATIVE and role != MembershipRole.REPRESENTATIVE:
        others = (
            Membership.objects.select_for_update()
            .filter(
                organisation=membership.organisation,
                role=MembershipRole.REPRESENTATIVE,
                status=MembershipStatus.APPROVED,
            )
            .exclude(pk=membership.pk)
        )
        if not others.exists():
            raise ValidationError(_("An organisation must keep at least one representative."))
    membership.role = role
    membership._history_user = actor
    membership.save()
    forget_cached_roles(membership.user)
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    """Removes an approved member from an organisation (a representative of it, its county's
    coordinators or an admin). The organisation always keeps at least one representative, so the
    last one cannot be removed; the audit history keeps the removed membership."""
    membership = Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership.pk)
    if not actor.has_perm("organisations.remove_member", membership):
        raise PermissionDenied
    if membership.status != MembershipStatus.APPROVED:
        raise ValidationError(_("Only an approved member can be removed; decide a request in the review queue."))
    if membership.role == MembershipRole.REPRESENTATIVE:
        others = (
            Membership.objects.select_for_update()
            .filter(
                organisation=membership.organisation,
                role=MembershipRole.REPRESENTATIVE,
                status=MembershipStatus.APPROVED,
            )
            .exclude(pk=membership.pk)
        )
        if not others.exists():
            raise ValidationError(_("An organisation must keep at least one representative."))
    membership._history_user = actor
    membership.delete()
    forget_cached_roles(membership.user)
