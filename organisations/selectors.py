"""Reads for the organisation pages: each returns what one page shows, in a fixed number of queries."""

from collections.abc import Callable

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from kumppanuus.history import HistorySource, history_page
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
from organisations.permissions import coordinated_area_ids


def home_counts() -> dict:
    return {
        "organisations": Organisation.objects.approved().count(),
        "areas": WelfareArea.objects.count(),
    }


def directory_queryset() -> QuerySet[Organisation]:
    """Approved organisations with what a directory row shows: the county, and the themes in one query."""
    return (
        Organisation.objects.approved()
        .select_related("welfare_area")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position", "name")))
        .order_by("name", "pk")
    )


def export_queryset(filtered: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """For the streamed CSV: one row per organisation without holding them all in memory."""
    return filtered.select_related("welfare_area").prefetch_related(None).order_by("name", "pk")


def organisation_get_for_user(*, user: User, pk: int) -> Organisation:
    """The organisation if this person may see it; 404 otherwise, so a hidden one is not revealed."""
    organisation = (
        Organisation.objects.select_related("welfare_area", "eligibility_decided_by")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("position", "name")),
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name")),
        )
        .filter(pk=pk)
        .first()
    )
    if organisation is None or not user.has_perm("organisations.view_organisation", organisation):
        raise Http404
    return organisation


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("status", "-role", "user__full_name", "user__email")
    )


def organisation_member_page(organisation: Organisation, page_number) -> Page:
    """One page of the members list of the organisation page (settings.LIST_PAGE_SIZE rows), with the
    role and status labels translated once per page (get_FOO_display() translates every choice on
    each call, which adds up)."""
    page = Paginator(organisation_members(organisation), settings.LIST_PAGE_SIZE).get_page(page_number)
    roles = {value: str(label) for value, label in MembershipRole.choices}
    statuses = {value: str(label) for value, label in MembershipStatus.choices}
    page.object_list = list(page.object_list)
    for membership in page.object_list:
        membership.role_label = roles.get(membership.role, membership.role)
        membership.status_label = statuses.get(membership.status, membership.status)
    return page


def organisation_representatives(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organisation=organisation,
        memberships__role=MembershipRole.REPRESENTATIVE,
        memberships__status=MembershipStatus.APPROVED,
        is_active=True,
    )


def membership_request_reviewers(membership: Membership) -> QuerySet[User]:
    """Who is told of a request to join: the representatives, or the area's coordinators if there are none."""
    representatives = organisation_representatives(membership.organisation)
    if representatives.exists():
        return representatives
    return User.objects.filter(
        area_coordinator_roles__welfare_area_id=membership.organisation.welfare_area_id, is_active=True
    )


def organisation_registration_reviewers(organisation: Organisation) -> QuerySet[User]:
    """Who is told of a new registration: the active coordinators of the organisation's county."""
    return User.objects.filter(
        area_coordinator_roles__welfare_area_id=organisation.welfare_area_id, is_active=True
    ).distinct()


# Sections other apps add to the review queue, registered in their AppConfig.ready(): a template
# name and a function (user) -> context. This way the tables app lists the requests for standing
# membership there while organisations never imports tables (dependencies point one way).
REVIEW_QUEUE_SECTIONS: list[tuple[str, Callable[[User], dict]]] = []


def register_review_queue_section(template_name: str, context_function) -> None:
    if (template_name, context_function) not in REVIEW_QUEUE_SECTIONS:
        REVIEW_QUEUE_SECTIONS.append((template_name, context_function))


def review_queue_sections(user: User) -> dict:
    """The other apps' sections of the review queue: their context, and ``extra_section_templates``."""
    context: dict = {"extra_section_templates": []}
    for template_name, context_function in REVIEW_QUEUE_SECTIONS:
        context.update(context_function(user))
        context["extra_section_templates"].append(template_name)
    return context


def review_queue_for_user(user: User) -> dict:
    """Organisations waiting for eligibility and pending memberships this person may decide."""
    area_ids = coordinated_area_ids(user)
    if user.is_superuser:
        org_filter = Q()
    else:
        org_filter = Q(welfare_area_id__in=area_ids)
    organisations = (
        Organisation.objects.filter(org_filter, eligibility=Eligibility.PENDING)
        .select_related("welfare_area")
        .annotate(member_count=Count("memberships"))
        .order_by("created_at", "pk")
    )
    represented_ids = [
        org_id
        for org_id, role in user.memberships.filter(status=MembershipStatus.APPROVED).values_list(
            "organisation_id", "role"
        )
        if role == MembershipRole.REPRESENTATIVE
    ]
    if user.is_superuser:
        membership_filter = Q()
    else:
        membership_filter = Q(organisation__welfare_area_id__in=area_ids) | Q(organisation_id__in=represented_ids)
    memberships = (
        Membership.objects.filter(membership_filter, status=MembershipStatus.PENDING)
        .select_related("user", "organisation")
        .order_by("created_at", "pk")
    )
    return {"organisations": organisations, "memberships": memberships}


def memberships_for_user(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation", "organisation__welfare_area")
        .order_by("organisation__name")
    )


def organisation_join_choices() -> QuerySet[Organisation]:
    """Organisations a person may ask to join: any not rejected."""
    return Organisation.objects.exclude(eligibility=Eligibility.REJECTED).order_by("name")


def organisation_join_search(*, user: User, query: str) -> QuerySet[Organisation]:
    """Approved organisations whose name (or business ID) matches, each with ``my_status``: this
    person's membership status in it, or None. One query per page, however many match."""
    mine = Membership.objects.filter(organisation=OuterRef("pk"), user=user).values("status")[:1]
    return (
        Organisation.objects.approved()
        .filter(Q(name__icontains=query) | Q(business_id=query))
        .select_related("welfare_area")
        .annotate(my_status=Subquery(mine))
        .order_by("name", "pk")
    )


# --- Audit history (issue 13) --------------------------------------------------------------------

ELIGIBILITY_FIELDS = ("eligibility", "eligibility_reason", "eligibility_decided_by", "eligibility_decided_at")


def organisation_history_page(organisation: Organisation, *, everything: bool, page_number) -> Page:
    """One page of the organisation's audit history, newest first: its eligibility decisions (the
    record that created it and every record that changed the decision or its reason), or with
    ``everything`` every change to its profile too. A constant number of queries (kumppanuus.history)."""
    history = Organisation.history.filter(id=organisation.pk)
    if not everything:
        earlier = Organisation.history.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date")).order_by(
            "-history_date", "-history_id"
        )
        history = history.annotate(
            previous_eligibility=Subquery(earlier.values("eligibility")[:1]),
            previous_reason=Subquery(earlier.values("eligibility_reason")[:1]),
        ).filter(
            Q(history_type="+")
            | Q(previous_eligibility__isnull=True)
            | ~Q(eligibility=F("previous_eligibility"))
            | ~Q(eligibility_reason=F("previous_reason"))
        )
    source = HistorySource(
        kind="organisation", label=_("Organisation"), queryset=history,
        only_fields=() if everything else ELIGIBILITY_FIELDS,
    )
    return history_page([source], page_number)
