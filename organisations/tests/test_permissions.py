"""Who may do what: the rules themselves, then every organisation URL against every persona.

Personas (root conftest): "organisation" is approved in "area"; "representative" and "member"
belong to it; "coordinator" coordinates "area"; "other_coordinator" coordinates "other_area";
"outsider" is a member of "other_organisation" in "other_area"; "admin_user" is a superuser.
An outsider asking for a private object gets 404; a person who may see it but not change it, 403.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from organisations.models import Eligibility, Membership, MembershipStatus
from organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "member", "representative", "outsider", "coordinator", "other_coordinator", "admin_user"]


@pytest.fixture
def personas(request, organisation):
    users = {name: request.getfixturevalue(name) for name in PERSONAS if name != "anonymous"}
    users["anonymous"] = AnonymousUser()
    return users


@pytest.fixture
def pending_organisation(area):
    return OrganisationFactory(name="Odottava ry", welfare_area=area, eligibility=Eligibility.PENDING)


@pytest.fixture
def join_request(organisation):
    return MembershipFactory(organisation=organisation, status=MembershipStatus.PENDING)


# --- the rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "perm, allowed",
    [
        ("organisations.view_organisation", {"founder", "joiner", "coordinator", "admin_user"}),
        ("organisations.change_organisation", {"founder", "coordinator", "admin_user"}),
        ("organisations.view_members", {"founder", "coordinator", "admin_user"}),
        ("organisations.decide_eligibility", {"coordinator", "admin_user"}),
        ("organisations.view_representation", {"founder", "joiner", "coordinator", "admin_user"}),
    ],
)
def test_rules_on_a_pending_organisation(personas, pending_organisation, perm, allowed):
    from organisations.models import MembershipRole

    personas["founder"] = MembershipFactory(organisation=pending_organisation, role=MembershipRole.REPRESENTATIVE).user
    personas["joiner"] = MembershipFactory(organisation=pending_organisation).user
    granted = {name for name, user in personas.items() if user.has_perm(perm, pending_organisation)}
    assert granted == allowed


@pytest.mark.parametrize(
    "perm, obj, allowed",
    [
        ("organisations.view_organisation", "organisation", set(PERSONAS)),
        ("organisations.change_organisation", "organisation", {"representative", "coordinator", "admin_user"}),
        ("organisations.decide_eligibility", "organisation", {"coordinator", "admin_user"}),
        ("organisations.view_members", "organisation", {"representative", "coordinator", "admin_user"}),
        (
            "organisations.request_membership",
            "organisation",
            {"outsider", "coordinator", "other_coordinator", "admin_user"},
        ),
        ("organisations.decide_membership", "join_request", {"representative", "coordinator", "admin_user"}),
        ("organisations.export_directory", None, {"coordinator", "other_coordinator", "admin_user"}),
        ("organisations.view_review_queue", None, {"representative", "coordinator", "other_coordinator", "admin_user"}),
        # The representation view (meetings:representation): its own people, its county's coordinators.
        (
            "organisations.view_representation",
            "organisation",
            {"member", "representative", "coordinator", "admin_user"},
        ),
        ("organisations.view_representation_overview", None, {"coordinator", "other_coordinator", "admin_user"}),
    ],
)
def test_rules(personas, request, perm, obj, allowed):
    target = request.getfixturevalue(obj) if obj else None
    granted = {name for name, user in personas.items() if user.has_perm(perm, target)}
    assert granted == allowed


def test_nobody_may_join_a_rejected_organisation(area, outsider):
    rejected = OrganisationFactory(welfare_area=area, eligibility=Eligibility.REJECTED)
    assert not outsider.has_perm("organisations.request_membership", rejected)


def test_pending_member_is_not_yet_a_member(organisation, join_request):
    user = join_request.user
    assert not user.has_perm("organisations.view_members", organisation)
    assert user.has_perm("organisations.view_organisation", organisation)  # public anyway


# --- every URL against every persona ----------------------------------------------------
# "login" means a redirect to the sign-in page.


def _expect(response, expected):
    if expected == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("anonymous", "login"),
        ("member", 403),
        ("outsider", 403),
        ("other_coordinator", 403),
        ("representative", 200),
        ("coordinator", 200),
        ("admin_user", 200),
    ],
)
def test_edit_organisation_page(client, personas, organisation, persona, expected):
    if persona != "anonymous":
        client.force_login(personas[persona])
    _expect(client.get(reverse("organisations:edit", args=[organisation.pk])), expected)


@pytest.mark.parametrize(
    "persona, expected",
    [("anonymous", "login"), ("member", 404), ("outsider", 404), ("other_coordinator", 404), ("coordinator", 200)],
)
def test_edit_pending_organisation_page(client, personas, pending_organisation, persona, expected):
    if persona != "anonymous":
        client.force_login(personas[persona])
    _expect(client.get(reverse("organisations:edit", args=[pending_organisation.pk])), expected)


@pytest.mark.parametrize("persona", ["member", "outsider", "other_coordinator"])
def test_editing_someone_elses_organisation_changes_nothing(client, personas, organisation, area, persona):
    client.force_login(personas[persona])
    response = client.post(
        reverse("organisations:edit", args=[organisation.pk]),
        {"name": "Kaapattu ry", "kind": "association", "welfare_area": area.pk},
    )
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "Vaasan Mielenterveysyhdistys ry"


def test_representative_edits_only_their_own_organisation(client, representative, other_organisation, other_area):
    client.force_login(representative)
    response = client.post(
        reverse("organisations:edit", args=[other_organisation.pk]),
        {"name": "Kaapattu ry", "kind": "association", "welfare_area": other_area.pk},
    )
    assert response.status_code == 403
    other_organisation.refresh_from_db()
    assert other_organisation.name == "Lapin Omaishoitajat ry"


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("anonymous", "login"),
        ("member", 403),
        ("outsider", 403),
        ("representative", 403),
        ("other_coordinator", 403),
    ],
)
def test_deciding_eligibility_of_a_visible_organisation(client, personas, organisation, persona, expected):
    if persona != "anonymous":
        client.force_login(personas[persona])
    response = client.post(
        reverse("organisations:decide_eligibility", args=[organisation.pk]), {"decision": "reject", "reason": "Ei"}
    )
    _expect(response, expected)
    organisation.refresh_from_db()
    assert organisation.eligibility == Eligibility.APPROVED


@pytest.mark.parametrize("persona", ["outsider", "member", "other_coordinator"])
def test_deciding_eligibility_of_a_hidden_organisation_is_404(client, personas, pending_organisation, persona):
    # A pending organisation of another area is not revealed, not even to its coordinators.
    client.force_login(personas[persona])
    response = client.post(
        reverse("organisations:decide_eligibility", args=[pending_organisation.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    pending_organisation.refresh_from_db()
    assert pending_organisation.eligibility == Eligibility.PENDING


def test_unknown_organisation_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("organisations:detail", args=[999999])).status_code == 404
    assert (
        client.post(reverse("organisations:decide_eligibility", args=[999999]), {"decision": "approve"}).status_code
        == 404
    )


@pytest.mark.parametrize(
    "persona, expected",
    [("anonymous", "login"), ("outsider", 404), ("member", 404), ("other_coordinator", 404)],
)
def test_deciding_a_membership(client, personas, join_request, persona, expected):
    if persona != "anonymous":
        client.force_login(personas[persona])
    _expect(
        client.post(reverse("organisations:decide_membership", args=[join_request.pk]), {"decision": "approve"}),
        expected,
    )
    join_request.refresh_from_db()
    assert join_request.status == MembershipStatus.PENDING


def test_unknown_membership_is_404_like_a_hidden_one(client, outsider):
    client.force_login(outsider)
    assert (
        client.post(reverse("organisations:decide_membership", args=[999999]), {"decision": "approve"}).status_code
        == 404
    )


@pytest.mark.parametrize("persona, expected", [("anonymous", "login"), ("outsider", 404), ("member", 404)])
def test_changing_a_role(client, personas, organisation, persona, expected):
    target = Membership.objects.get(user=personas["member"])
    if persona != "anonymous":
        client.force_login(personas[persona])
    _expect(
        client.post(reverse("organisations:set_member_role", args=[target.pk]), {"role": "representative"}), expected
    )
    target.refresh_from_db()
    assert target.role == "member"


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("anonymous", "login"),
        ("member", 403),
        ("outsider", 403),
        ("representative", 200),
        ("coordinator", 200),
        ("other_coordinator", 200),
        ("admin_user", 200),
    ],
)
def test_review_queue(client, personas, persona, expected):
    if persona != "anonymous":
        client.force_login(personas[persona])
    _expect(client.get(reverse("organisations:review_queue")), expected)


@pytest.mark.parametrize("name", ["organisations:register", "organisations:join"])
def test_sign_in_needed(client, name):
    _expect(client.get(reverse(name)), "login")


@pytest.mark.parametrize(
    "name", ["organisations:decide_eligibility", "organisations:decide_membership", "organisations:set_member_role"]
)
def test_decisions_are_post_only(client, coordinator, organisation, name):
    client.force_login(coordinator)
    assert client.get(reverse(name, args=[organisation.pk])).status_code == 405


def test_admin_sees_every_waiting_item(client, admin_user, pending_organisation, other_area, join_request):
    OrganisationFactory(welfare_area=other_area, eligibility=Eligibility.PENDING)
    client.force_login(admin_user)
    response = client.get(reverse("organisations:review_queue"))
    assert len(response.context["organisations"]) == 2
    assert [m for m, _form in response.context["memberships"]] == [join_request]


def test_rules_are_registered_when_django_starts():
    """A shell or a Celery worker that never imports the views must still know the rules."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    code = "import django; django.setup(); import rules; print(rules.perm_exists('organisations.decide_eligibility'))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "kumppanuus.settings"},
        check=True,
    )
    assert result.stdout.strip() == "True"
