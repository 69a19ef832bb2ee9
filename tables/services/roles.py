"""Role assignments: who holds a process role of a table, and for which period.

Consent (issue 11): a person of the table's county (``_common.in_county``) holds a role from the
moment a coordinator names them; anyone else is *nominated* and holds it once they accept. A person
without an account yet is nominated by address and asked to sign up (issue 12); the nomination
becomes theirs when they verify that address, and binds once they accept it.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import user_for_verified_address
from kumppanuus.addresses import normalise_email
from outbox.services import notification_queue
from tables.models import PartnershipTable, ProcessRole, RoleAssignment, RoleSlug
from tables.permissions import forget_cached_table_roles
from tables.services._common import check_county_person, in_county
from tables.services.tables import table_owner_take_over

# The outbox notification kind of a nomination (its builder is in tables/emails.py).
ROLE_NOMINATION = "tables.role_nomination"


def _nominee(*, user: User | None, email: str) -> tuple[User | None, str]:
    """The person named: their account, or the address of someone who has none yet."""
    if user is None and not (email or "").strip():
        raise ValidationError({"email": _("Give the person's e-mail address.")})
    if user is not None:
        if not user.is_active:
            raise ValidationError({"email": _("This account is not in use.")})
        return user, ""
    email = normalise_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    # Only an address its owner has verified names an account (an address typed into someone
    # else's profile, or a look-alike, does not: accounts/selectors.py).
    account = user_for_verified_address(email)
    return (account, "") if account is not None else (None, email)


def _come_into_force(*, actor: User | None, assignment: RoleAssignment) -> None:
    """What an assignment's coming into force does beyond itself: an owner takes the table over, a
    coordinator is named on the table (and so may manage it)."""
    if assignment.role.slug == RoleSlug.OWNER and assignment.table.owner_id != assignment.user_id:
        table_owner_take_over(actor=actor, table=assignment.table, owner=assignment.user)
    if assignment.role.slug == RoleSlug.COORDINATOR and assignment.valid_from <= timezone.localdate():
        assignment.table.coordinators.add(assignment.user)
    forget_cached_table_roles(assignment.table)


@transaction.atomic
def role_assignment_create(
    *,
    actor: User | None,
    table: PartnershipTable,
    role: ProcessRole,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    user: User | None = None,
    email: str = "",
) -> RoleAssignment:
    """Names a person (an account, or the address of someone without one) in a process role of the
    table for a period (open-ended without valid_to).

    A person of the table's county holds the role at once; anyone else is sent a nomination to
    accept (by address: an invitation to sign up first), and holds it only once they accept.
    """
    user, email = _nominee(user=user, email=email)
    same_period = RoleAssignment.objects.filter(table=table, role=role).on(valid_from)
    if (same_period.filter(user=user) if user is not None else same_period.filter(email=email)).exists():
        raise ValidationError({"email": _("This person already holds or is nominated to this role then.")})
    assignment = RoleAssignment(
        table=table, role=role, user=user, email=email, valid_from=valid_from, valid_to=valid_to,
        nominated_by=actor,
    )
    in_force = user is not None and in_county(user, table.welfare_area_id)
    if in_force:
        assignment.accepted_at = timezone.now()
    assignment._history_user = actor
    assignment.full_clean()
    assignment.save()
    if in_force:
        _come_into_force(actor=actor, assignment=assignment)
    else:
        notification_queue(kind=ROLE_NOMINATION, object_id=assignment.pk, recipients=[user or assignment])
    return assignment


@transaction.atomic
def table_add_coordinator(*, actor: User | None, table: PartnershipTable, user: User) -> PartnershipTable:
    """Names a person as a coordinator of the table, with the coordinator role from today. A person of
    the county is one at once; anyone else is nominated and becomes one when they accept."""
    if table.coordinators.filter(pk=user.pk).exists():
        raise ValidationError({"user": _("%(person)s is already a coordinator of this table.") % {"person": user}})
    if not user.is_active:
        raise ValidationError({"user": _("This account is not in use.")})
    role = ProcessRole.objects.filter(slug=RoleSlug.COORDINATOR).first()
    if role is None:
        # An admin removed the seeded role: no nomination can be made, only a person of the county named.
        check_county_person(user, table.welfare_area_id, field="user")
        table.coordinators.add(user)
    elif RoleAssignment.objects.waiting_for(user).filter(table=table, role=role).exists():
        raise ValidationError({"user": _("%(person)s has already been asked to coordinate this table.")
                                       % {"person": user}})
    else:
        role_assignment_create(actor=actor, table=table, role=role, user=user, valid_from=timezone.localdate())
    forget_cached_table_roles(table)
    return table


@transaction.atomic
def role_assignment_update(
    *,
    actor: User | None,
    assignment: RoleAssignment,
    role: ProcessRole,
    user: User,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
) -> RoleAssignment:
    """Changes an assignment; naming another person makes it a new nomination of that person."""
    assignment = RoleAssignment.objects.select_for_update().select_related("table").get(pk=assignment.pk)
    user, _unused = _nominee(user=user, email="")
    person_changed = assignment.user_id != user.pk
    assignment.role = role
    assignment.user = user
    assignment.email = ""
    assignment.valid_from = valid_from
    assignment.valid_to = valid_to
    if person_changed:
        assignment.nominated_by = actor
        assignment.accepted_at = timezone.now() if in_county(user, assignment.table.welfare_area_id) else None
    assignment._history_user = actor
    assignment.full_clean()
    assignment.save()
    if person_changed and assignment.accepted_at is None:
        notification_queue(kind=ROLE_NOMINATION, object_id=assignment.pk, recipients=[user])
    elif assignment.accepted_at is not None:
        _come_into_force(actor=actor, assignment=assignment)
    return assignment


@transaction.atomic
def role_assignment_end(
    *, actor: User | None, assignment: RoleAssignment, valid_to: datetime.date | None = None
) -> RoleAssignment:
    """Ends an assignment on the given day (today by default); the end cannot be before the start.
    A nomination nobody has accepted yet is withdrawn instead (there is nothing to end)."""
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    assignment._history_user = actor
    if assignment.accepted_at is None:
        assignment.delete()
        return assignment
    assignment.valid_to = valid_to or timezone.localdate()
    assignment.full_clean()
    assignment.save()
    return assignment


def _waiting_nomination(*, actor: User, assignment: RoleAssignment) -> RoleAssignment:
    assignment = (
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("table", "role")
        .get(pk=assignment.pk)
    )
    if assignment.user_id != actor.pk:
        raise PermissionDenied
    if assignment.accepted_at is not None:
        raise ValidationError(_("You have already accepted this role."))
    return assignment


@transaction.atomic
def role_nomination_accept(*, actor: User, assignment: RoleAssignment) -> RoleAssignment:
    """The nominee takes the role on: from now on it brings its duties, invitations and rights."""
    assignment = _waiting_nomination(actor=actor, assignment=assignment)
    if assignment.valid_to is not None and assignment.valid_to < timezone.localdate():
        raise ValidationError(_("The period of this role has already ended."))
    assignment.accepted_at = timezone.now()
    assignment._history_user = actor
    assignment.save(update_fields=["accepted_at"])
    _come_into_force(actor=actor, assignment=assignment)
    return assignment


@transaction.atomic
def role_nomination_decline(*, actor: User, assignment: RoleAssignment) -> None:
    """The nominee says no: the nomination is withdrawn (the audit history keeps that it was made)."""
    assignment = _waiting_nomination(actor=actor, assignment=assignment)
    assignment._history_user = actor
    assignment.delete()


@transaction.atomic
def role_nominations_bind(*, user: User, email: str) -> list[RoleAssignment]:
    """Gives the person the nominations made to an address they have just verified; each waits for
    their answer like any other nomination (allauth's ``email_confirmed`` calls this)."""
    bound = []
    for assignment in RoleAssignment.objects.select_for_update().filter(user=None, email=normalise_email(email)):
        assignment.user = user
        assignment.email = ""
        assignment._history_user = user
        assignment.save(update_fields=["user", "email"])
        bound.append(assignment)
    return bound
