"""Reads: what the selectors return, and that no page's query count grows with the data."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from organisations.models import (
    Eligibility,
    Membership,
    MembershipRole,
    MembershipStatus,
    Municipality,
    Organisation,
    Theme,
)
from organisations.selectors import (
    directory_queryset,
    membership_request_reviewers,
    memberships_for_user,
    organisation_join_choices,
    organisation_representatives,
    review_queue_for_user,
)
from organisations.tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def test_directory_queryset_holds_approved_organisations_only(area):
    approved = OrganisationFactory(welfare_area=area)
    OrganisationFactory(welfare_area=area, eligibility=Eligibility.PENDING)
    OrganisationFactory(welfare_area=area, eligibility=Eligibility.REJECTED)
    assert list(directory_queryset()) == [approved]


def test_join_choices_leave_out_rejected_organisations(area):
    approved = OrganisationFactory(name="A ry", welfare_area=area)
    pending = OrganisationFactory(name="B ry", welfare_area=area, eligibility=Eligibility.PENDING)
    OrganisationFactory(name="C ry", welfare_area=area, eligibility=Eligibility.REJECTED)
    assert list(organisation_join_choices()) == [approved, pending]


def test_representatives_are_approved_active_representatives(organisation, representative, member):
    MembershipFactory(organisation=organisation, role=MembershipRole.REPRESENTATIVE, status=MembershipStatus.PENDING)
    MembershipFactory(organisation=organisation, role=MembershipRole.REPRESENTATIVE, user__is_active=False)
    assert list(organisation_representatives(organisation)) == [representative]


def test_reviewers_are_the_representatives_or_else_the_area_coordinators(
    organisation, representative, coordinator, other_coordinator, area
):
    request = MembershipFactory(organisation=organisation, status=MembershipStatus.PENDING)
    assert list(membership_request_reviewers(request)) == [representative]
    orphan_request = MembershipFactory(
        organisation=OrganisationFactory(welfare_area=area), status=MembershipStatus.PENDING
    )
    assert list(membership_request_reviewers(orphan_request)) == [coordinator]


def test_review_queue_of_a_representative_holds_their_join_requests_only(
    organisation, representative, other_organisation, area
):
    own = MembershipFactory(organisation=organisation, status=MembershipStatus.PENDING)
    MembershipFactory(organisation=other_organisation, status=MembershipStatus.PENDING)
    OrganisationFactory(welfare_area=area, eligibility=Eligibility.PENDING)
    queue = review_queue_for_user(representative)
    assert list(queue["memberships"]) == [own]
    assert list(queue["organisations"]) == []


def test_memberships_for_user_include_pending_requests(member, other_organisation, organisation):
    pending = MembershipFactory(user=member, organisation=other_organisation, status=MembershipStatus.PENDING)
    assert {m.pk for m in memberships_for_user(member)} == {
        pending.pk,
        member.memberships.get(organisation=organisation).pk,
    }


# --- query bounds -------------------------------------------------------------------------
# Each page is fetched with 5 and with 200 organisations (and as many members or requests);
# the bound is the same for both sizes, so the count cannot grow with the data.


def _make_organisations(n: int, area, *, eligibility=Eligibility.APPROVED) -> list[Organisation]:
    """n organisations, each with two themes and two municipalities, written in bulk."""
    themes = list(Theme.objects.all()[:3])
    municipalities = [MunicipalityFactory(code=f"{900 + i}", welfare_area=area) for i in range(3)]
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Massayhdistys {i:03d} ry",
            kind="association",
            welfare_area=area,
            eligibility=eligibility,
            description="Mielenterveyttä ja vertaistukea.",
        )
        for i in range(n)
    )
    Organisation.themes.through.objects.bulk_create(
        Organisation.themes.through(organisation=o, theme=t) for o in organisations for t in themes[:2]
    )
    Organisation.municipalities.through.objects.bulk_create(
        Organisation.municipalities.through(organisation=o, municipality=m)
        for o in organisations
        for m in municipalities[:2]
    )
    return organisations


def _make_users(n: int, prefix: str) -> list[User]:
    return User.objects.bulk_create(User(email=f"{prefix}{i}@example.org", full_name=f"Henkilö {i}") for i in range(n))


SIZES = [5, 200]


def _every_filter(area) -> dict:
    return {
        "q": "yhdistys",
        "theme": Theme.objects.get(slug="mental-health").pk,
        "municipality": Municipality.objects.get(code="900").pk,
        "welfare_area": area.pk,
    }


# The directory, anonymous, with every filter:
#   1-3 the filter form checks the theme, county and municipality ids,
#   4 count of the matching organisations (paginator),
#   5-7 the options of the theme, county and municipality selects,
#   8 the page of organisations with their welfare area (join),
#   9 their themes (prefetch).
DIRECTORY_ANONYMOUS = 9
# Signed in adds the session, the user and their coordinator roles (read once per request for
# the export button and the review queue link), and the navigation's count of what waits for them.
DIRECTORY_SIGNED_IN = DIRECTORY_ANONYMOUS + 4


@pytest.mark.parametrize("n", SIZES)
def test_directory_query_bound(client, area, n, django_assert_max_num_queries):
    _make_organisations(n, area)
    filters = _every_filter(area)
    with django_assert_max_num_queries(DIRECTORY_ANONYMOUS):
        response = client.get(reverse("organisations:directory"), filters)
    assert response.context["page"].paginator.count == n
    assert len(response.context["page"].object_list) == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
def test_directory_query_bound_for_a_coordinator(client, area, coordinator, n, django_assert_max_num_queries):
    _make_organisations(n, area)
    client.force_login(coordinator)
    filters = {**_every_filter(area), "page": 2}
    with django_assert_max_num_queries(DIRECTORY_SIGNED_IN):
        response = client.get(reverse("organisations:directory"), filters)
    assert response.context["can_export"] is True
    assert response.context["page"].number == (2 if n > 20 else 1)


# The organisation page for its representative, with n members listed:
#   1 session, 2 user, 3 the organisation with its county and decider (joins), 4 its themes,
#   5 its municipalities, 6 the viewer's approved memberships and 7 coordinator roles (read once
#   per request for every rule), 8 how many members there are, 9 one page of them with their users,
#   10 the navigation's count of what waits for the viewer.
ORGANISATION_PAGE = 10


@pytest.mark.parametrize("n", SIZES)
def test_organisation_page_query_bound(client, area, representative, organisation, n, django_assert_max_num_queries):
    _make_organisations(n, area)
    Organisation.themes.through.objects.bulk_create(
        Organisation.themes.through(organisation=organisation, theme=t) for t in Theme.objects.all()
    )
    Membership.objects.bulk_create(
        Membership(user=u, organisation=organisation, status=MembershipStatus.APPROVED) for u in _make_users(n, "m")
    )
    client.force_login(representative)
    with django_assert_max_num_queries(ORGANISATION_PAGE):
        response = client.get(reverse("organisations:detail", args=[organisation.pk]))
    members = response.context["members_page"]
    assert members.paginator.count == n + 1
    assert len(members.object_list) == min(n + 1, settings.LIST_PAGE_SIZE)
    assert len(response.context["organisation"].themes.all()) == Theme.objects.count()


# The public organisation page: 1 the organisation, 2 its themes, 3 its municipalities.
ORGANISATION_PAGE_ANONYMOUS = 3


@pytest.mark.parametrize("n", SIZES)
def test_public_organisation_page_query_bound(client, area, n, django_assert_max_num_queries):
    organisation = _make_organisations(n, area)[0]
    with django_assert_max_num_queries(ORGANISATION_PAGE_ANONYMOUS):
        response = client.get(reverse("organisations:detail", args=[organisation.pk]))
    assert response.status_code == 200


# The review queue for a coordinator with n organisations and n requests waiting:
#   1 session, 2 user, 3 coordinator roles, 4 approved memberships (both for rules, once),
#   5 the pending organisations with county and member count, 6 the pending memberships with
#   their user and organisation, 7 the requests for standing membership (the tables app's section),
#   8 the navigation's count of what waits.
REVIEW_QUEUE = 8


@pytest.mark.parametrize("n", SIZES)
def test_review_queue_query_bound(client, area, coordinator, organisation, n, django_assert_max_num_queries):
    _make_organisations(n, area, eligibility=Eligibility.PENDING)
    Membership.objects.bulk_create(
        Membership(user=u, organisation=organisation, status=MembershipStatus.PENDING) for u in _make_users(n, "r")
    )
    client.force_login(coordinator)
    with django_assert_max_num_queries(REVIEW_QUEUE):
        response = client.get(reverse("organisations:review_queue"))
    assert len(response.context["organisations"]) == n
    assert len(response.context["memberships"]) == n


# The CSV export with every filter: 1 session, 2 user, 3 coordinator roles, 4-6 the filter form
# checks the theme, county and municipality ids, 7 the organisations with their county, read
# through a server-side cursor as the response streams.
EXPORT = 7


@pytest.mark.parametrize("n", SIZES)
def test_export_query_bound(client, area, coordinator, n, django_assert_max_num_queries):
    _make_organisations(n, area)
    client.force_login(coordinator)
    filters = _every_filter(area)
    with django_assert_max_num_queries(EXPORT):
        response = client.get(reverse("organisations:export"), filters)
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == n + 1
