"""Who may do what with organisations: every check lives here (django-rules).

Predicates take (user, object). Views call ``user.has_perm(<rule>, obj)``; the
selectors use the same helpers to limit what a person may list.
"""

import rules

from organisations.models import Eligibility, MembershipRole, MembershipStatus


def coordinated_area_ids(user) -> set[int]:
    """The welfare areas this person coordinates; cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_coordinated_area_ids", None)
    if cached is None:
        cached = set(user.area_coordinator_roles.values_list("welfare_area_id", flat=True))
        user._coordinated_area_ids = cached
    return cached


def approved_memberships(user) -> dict[int, str]:
    """organisation id -> role, for this person's approved memberships (cached per request)."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_approved_memberships", None)
    if cached is None:
        cached = dict(
            user.memberships.filter(status=MembershipStatus.APPROVED).values_list("organisation_id", "role")
        )
        user._approved_memberships = cached
    return cached


def forget_cached_roles(user) -> None:
    """Call after changing a person's memberships or coordinator roles in the same request."""
    for attribute in ("_coordinated_area_ids", "_approved_memberships"):
        if hasattr(user, attribute):
            delattr(user, attribute)


@rules.predicate
def is_coordinator(user) -> bool:
    return bool(coordinated_area_ids(user))


@rules.predicate
def is_area_coordinator(user, area) -> bool:
    return area is not None and area.pk in coordinated_area_ids(user)


@rules.predicate
def is_org_area_coordinator(user, organisation) -> bool:
    return organisation is not None and organisation.welfare_area_id in coordinated_area_ids(user)


@rules.predicate
def is_org_member(user, organisation) -> bool:
    return organisation is not None and organisation.pk in approved_memberships(user)


@rules.predicate
def is_org_representative(user, organisation) -> bool:
    return (
        organisation is not None
        and approved_memberships(user).get(organisation.pk) == MembershipRole.REPRESENTATIVE
    )


@rules.predicate
def is_org_public(user, organisation) -> bool:
    return organisation is not None and organisation.eligibility == Eligibility.APPROVED


@rules.predicate
def is_org_joinable(user, organisation) -> bool:
    return organisation is not None and organisation.eligibility != Eligibility.REJECTED


@rules.predicate
def is_membership_org_representative(user, membership) -> bool:
    return membership is not None and is_org_representative(user, membership.organisation)


@rules.predicate
def is_membership_org_area_coordinator(user, membership) -> bool:
    return membership is not None and is_org_area_coordinator(user, membership.organisation)


@rules.predicate
def is_any_org_representative(user) -> bool:
    return MembershipRole.REPRESENTATIVE in approved_memberships(user).values()


is_admin = rules.is_superuser

# Seeing an organisation's page: approved ones are public; others only to their
# members and the coordinators who review them.
rules.add_perm("organisations.view_organisation", is_org_public | is_org_member | is_org_area_coordinator | is_admin)
rules.add_perm("organisations.change_organisation", is_org_representative | is_org_area_coordinator | is_admin)
# Offered "ask to join": signed-in people who are not yet members of an organisation that was not rejected.
rules.add_perm("organisations.request_membership", rules.is_authenticated & ~is_org_member & is_org_joinable)
rules.add_perm("organisations.decide_eligibility", is_org_area_coordinator | is_admin)
# The audit history of the eligibility decisions (issue 13): for those who make them.
rules.add_perm("organisations.view_history", is_org_area_coordinator | is_admin)
rules.add_perm("organisations.view_members", is_org_representative | is_org_area_coordinator | is_admin)
rules.add_perm(
    "organisations.decide_membership",
    is_membership_org_representative | is_membership_org_area_coordinator | is_admin,
)
# Removing a member: the organisation's representatives and its county's coordinators (services keep
# the last representative).
rules.add_perm(
    "organisations.remove_member",
    is_membership_org_representative | is_membership_org_area_coordinator | is_admin,
)
rules.add_perm("organisations.export_directory", is_coordinator | is_admin)
# Representatives see the requests to join their own organisations there too.
rules.add_perm("organisations.view_review_queue", is_coordinator | is_any_org_representative | is_admin)
# An organisation's representation (the tables it sits on, who represents it there, how often it
# was represented): its own people see whom they send and how often they went (the table pages
# already show them their tables' standing members), its county's coordinators follow it, admins.
rules.add_perm("organisations.view_representation", is_org_member | is_org_area_coordinator | is_admin)
# The county's overview of the standing organisations that miss their tables' meetings.
rules.add_perm("organisations.view_representation_overview", is_coordinator | is_admin)
