"""The organisation flows through the Django test client."""

import csv
import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.http import StreamingHttpResponse
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from organisations.models import (
    Eligibility,
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
)
from organisations.tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _english_in_this_browser(client, settings):
    """These tests read English text. A signed-in person's saved language wins over the
    browser's Accept-Language, so choose English the way the language switch does: the cookie."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _confirmation_path(message) -> str:
    match = re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _names(response) -> list[str]:
    return [organisation.name for organisation in response.context["page"].object_list]


@pytest.fixture
def pending_organisation(area):
    organisation = OrganisationFactory(name="Odottava Yhdistys ry", welfare_area=area, eligibility=Eligibility.PENDING)
    MembershipFactory(organisation=organisation, role=MembershipRole.REPRESENTATIVE, user__email="founder@example.org")
    return organisation


@pytest.fixture
def other_pending_organisation(other_area):
    return OrganisationFactory(name="Lapin Odottava ry", welfare_area=other_area, eligibility=Eligibility.PENDING)


# --- (b) joining an organisation ---------------------------------------------------


def test_join_request_is_approved_by_a_representative(
    client, organisation, representative, django_capture_on_commit_callbacks
):
    joiner = UserFactory(email="joiner@example.org", full_name="Jussi Liittyjä")
    client.force_login(joiner)
    form_page = client.get(reverse("organisations:join") + f"?organisation={organisation.pk}")
    assert form_page.status_code == 200
    assert form_page.context["form"].initial["organisation"] == str(organisation.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organisations:join"), {"organisation": organisation.pk, "message": "Olen vapaaehtoinen."}
        )
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    membership = Membership.objects.get(user=joiner, organisation=organisation)
    assert membership.status == MembershipStatus.PENDING
    [notice] = mail.outbox
    assert notice.to == [representative.email]
    mail.outbox.clear()

    client.force_login(representative)
    queue = client.get(reverse("organisations:review_queue"))
    assert [m for m, _form in queue.context["memberships"]] == [membership]
    assert queue.context["organisations"] == []

    with django_capture_on_commit_callbacks(execute=True):
        decided = client.post(reverse("organisations:decide_membership", args=[membership.pk]), {"decision": "approve"})
    assert decided.status_code == 302
    assert decided.url == reverse("organisations:review_queue")
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED
    assert membership.decided_by == representative
    [decision] = mail.outbox
    assert decision.to == ["joiner@example.org"]
    assert organisation.name in decision.subject

    # The new member is no longer offered to join.
    client.force_login(joiner)
    page = client.get(reverse("organisations:detail", args=[organisation.pk]))
    assert page.status_code == 200
    assert reverse("organisations:join") not in page.content.decode()


def test_join_button_is_offered_to_signed_in_non_members_only(client, organisation, member, outsider):
    join_url = reverse("organisations:join") + f"?organisation={organisation.pk}"
    detail = reverse("organisations:detail", args=[organisation.pk])
    assert join_url not in client.get(detail).content.decode()  # anonymous: sign in first
    client.force_login(outsider)
    assert join_url in client.get(detail).content.decode()
    client.force_login(member)
    assert join_url not in client.get(detail).content.decode()


def test_join_is_a_search_of_approved_organisations_with_a_join_button(client, area, organisation, member, outsider):
    OrganisationFactory(name="Vaasan Odottava ry", welfare_area=area, eligibility=Eligibility.PENDING)
    OrganisationFactory(name="Vaasan Hylätty ry", welfare_area=area, eligibility=Eligibility.REJECTED)
    other = OrganisationFactory(name="Vaasan Kuurot ry", welfare_area=area)
    url = reverse("organisations:join")
    client.force_login(outsider)
    empty = client.get(url)
    assert empty.status_code == 200 and empty.context["page"] is None
    assert 'name="organisation"' not in empty.content.decode()  # no list of every organisation
    response = client.get(url, {"q": "vaasan"})
    assert [o.name for o in response.context["page"].object_list] == ["Vaasan Kuurot ry", organisation.name]
    page = response.content.decode()
    assert f'{url}?organisation={organisation.pk}' in page and f'{url}?organisation={other.pk}' in page
    # A member sees that they are one instead of the button.
    client.force_login(member)
    page = client.get(url, {"q": "mielenterveys"}).content.decode()
    assert f'{url}?organisation={organisation.pk}' not in page
    assert 'role="search"' in page


def test_join_search_takes_a_fixed_number_of_queries(client, area, outsider, django_assert_max_num_queries):
    client.force_login(outsider)
    url = reverse("organisations:join")
    made = 0
    for count in (2, 15):
        while made < count:
            found = OrganisationFactory(name=f"Haku {made:02d} ry", welfare_area=area)
            if made % 3 == 0:
                MembershipFactory(user=outsider, organisation=found, status=MembershipStatus.PENDING)
            made += 1
        # The session, the person, the count, the page of organisations with the person's status in
        # each, and the base layout's four (the person's roles and Django's permissions for the menu).
        with django_assert_max_num_queries(8):
            response = client.get(url, {"q": "haku"})
        assert len(response.context["page"].object_list) == count


def test_joining_twice_shows_an_error_and_saves_nothing(client, organisation, member):
    client.force_login(member)
    response = client.post(reverse("organisations:join"), {"organisation": organisation.pk})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Membership.objects.filter(user=member).count() == 1


def test_join_message_too_long_is_refused_next_to_the_field(client, organisation, outsider):
    client.force_login(outsider)
    response = client.post(reverse("organisations:join"), {"organisation": organisation.pk, "message": "x" * 1001})
    assert response.status_code == 200
    assert response.context["form"].errors["message"]
    assert not Membership.objects.filter(user=outsider, organisation=organisation).exists()


@pytest.mark.parametrize("value", ["999999", "abc", ""])
def test_joining_an_unknown_organisation_is_refused_next_to_the_field(client, outsider, value):
    client.force_login(outsider)
    before = Membership.objects.count()
    response = client.post(reverse("organisations:join"), {"organisation": value})
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert Membership.objects.count() == before


def test_rejected_organisation_cannot_be_joined(client, area, outsider):
    rejected = OrganisationFactory(welfare_area=area, eligibility=Eligibility.REJECTED)
    client.force_login(outsider)
    response = client.post(reverse("organisations:join"), {"organisation": rejected.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]


def test_membership_rejection_needs_a_reason(client, organisation, representative):
    request = MembershipFactory(organisation=organisation, status=MembershipStatus.PENDING)
    client.force_login(representative)
    response = client.post(
        reverse("organisations:decide_membership", args=[request.pk]), {"decision": "reject"}, **ENGLISH
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    request.refresh_from_db()
    assert request.status == MembershipStatus.PENDING


def test_deciding_a_decided_membership_shows_an_error(client, organisation, representative, member):
    decided = Membership.objects.get(user=member)
    client.force_login(representative)
    response = client.post(
        reverse("organisations:decide_membership", args=[decided.pk]), {"decision": "reject", "reason": "Ei"}
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    decided.refresh_from_db()
    assert decided.status == MembershipStatus.APPROVED


def test_representative_changes_a_members_role_from_the_page(client, organisation, representative, member):
    membership = Membership.objects.get(user=member)
    client.force_login(representative)
    response = client.post(reverse("organisations:set_member_role", args=[membership.pk]), {"role": "representative"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == MembershipRole.REPRESENTATIVE


def test_last_representative_stepping_down_gets_a_message(client, organisation, representative):
    own = Membership.objects.get(user=representative)
    client.force_login(representative)
    response = client.post(reverse("organisations:set_member_role", args=[own.pk]), {"role": "member"}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    own.refresh_from_db()
    assert own.role == MembershipRole.REPRESENTATIVE


# --- (c) the coordinator's review queue --------------------------------------------


def test_review_queue_lists_only_the_coordinators_area(
    client, coordinator, pending_organisation, other_pending_organisation, organisation
):
    client.force_login(coordinator)
    response = client.get(reverse("organisations:review_queue"))
    assert response.status_code == 200
    assert [o for o, _form in response.context["organisations"]] == [pending_organisation]
    content = response.content.decode()
    assert pending_organisation.name in content
    assert other_pending_organisation.name not in content
    assert organisation.name not in content  # approved, not waiting


def test_coordinator_approves_from_the_queue(
    client, coordinator, pending_organisation, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organisations:decide_eligibility", args=[pending_organisation.pk]), {"decision": "approve"}
        )
    assert response.status_code == 302
    assert response.url == reverse("organisations:review_queue")
    pending_organisation.refresh_from_db()
    assert pending_organisation.eligibility == Eligibility.APPROVED
    assert pending_organisation.eligibility_decided_by == coordinator
    assert pending_organisation.history.first().history_user == coordinator
    [message] = mail.outbox
    assert message.to == ["founder@example.org"]
    assert client.get(reverse("organisations:review_queue")).context["organisations"] == []


def test_coordinator_rejects_with_reason_from_the_organisation_page(
    client, coordinator, pending_organisation, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    detail = reverse("organisations:detail", args=[pending_organisation.pk])
    page = client.get(detail)
    assert page.context["can_decide"] is True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organisations:decide_eligibility", args=[pending_organisation.pk]),
            {"decision": "reject", "reason": "Yritys, ei järjestö.", "next": detail},
        )
    assert response.status_code == 302
    assert response.url == detail
    pending_organisation.refresh_from_db()
    assert pending_organisation.eligibility == Eligibility.REJECTED
    assert pending_organisation.eligibility_reason == "Yritys, ei järjestö."
    [message] = mail.outbox
    assert "Yritys, ei järjestö." in message.body


def test_decision_next_must_stay_on_this_site(client, coordinator, pending_organisation):
    client.force_login(coordinator)
    response = client.post(
        reverse("organisations:decide_eligibility", args=[pending_organisation.pk]),
        {"decision": "approve", "next": "https://evil.example.com/"},
    )
    assert response.status_code == 302
    assert response.url == reverse("organisations:review_queue")


def test_rejecting_without_a_reason_shows_the_error_next_to_the_field(client, coordinator, pending_organisation):
    client.force_login(coordinator)
    response = client.post(
        reverse("organisations:decide_eligibility", args=[pending_organisation.pk]), {"decision": "reject"}, **ENGLISH
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["Give a reason for the rejection; the requester will see it."]
    assert b"Give a reason for the rejection" in response.content
    pending_organisation.refresh_from_db()
    assert pending_organisation.eligibility == Eligibility.PENDING
    assert mail.outbox == []


@pytest.mark.parametrize("data", [{}, {"decision": "maybe"}, {"decision": "approve", "reason": "x" * 2001}])
def test_bad_decisions_are_refused(client, coordinator, pending_organisation, data):
    client.force_login(coordinator)
    response = client.post(reverse("organisations:decide_eligibility", args=[pending_organisation.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    pending_organisation.refresh_from_db()
    assert pending_organisation.eligibility == Eligibility.PENDING


def test_coordinator_sees_join_requests_of_their_area(client, coordinator, organisation, outsider):
    in_area = MembershipFactory(organisation=organisation, status=MembershipStatus.PENDING)
    MembershipFactory(organisation=outsider.memberships.get().organisation, status=MembershipStatus.PENDING)
    client.force_login(coordinator)
    response = client.get(reverse("organisations:review_queue"))
    assert [m for m, _form in response.context["memberships"]] == [in_area]


# --- (d) the public directory ------------------------------------------------------


@pytest.fixture
def directory_data(area, other_area):
    mental = ThemeFactory(slug="t-mental", name="Mielenterveys")
    older = ThemeFactory(slug="t-older", name="Ikäihmiset")
    vaasa = MunicipalityFactory(code="905", name="Vaasa", welfare_area=area)
    rovaniemi = MunicipalityFactory(code="698", name="Rovaniemi", welfare_area=other_area)
    data = {
        "mind": OrganisationFactory(
            name="Mielen Tuki ry",
            description="Vertaistukea.",
            welfare_area=area,
            themes=[mental],
            municipalities=[vaasa],
        ),
        "seniors": OrganisationFactory(
            name="Seniorit ry",
            description="Kerhoja ja mielen hyvinvointia ikäihmisille.",
            welfare_area=area,
            themes=[older],
            municipalities=[vaasa],
        ),
        "lapland": OrganisationFactory(
            name="Lapin Seniorit ry",
            description="Retkiä.",
            welfare_area=other_area,
            themes=[older],
            municipalities=[rovaniemi],
        ),
        "pending": OrganisationFactory(
            name="Mielen Odottajat ry", welfare_area=area, themes=[mental], eligibility=Eligibility.PENDING
        ),
        "rejected": OrganisationFactory(
            name="Mielen Hylätty Oy", welfare_area=area, themes=[mental], eligibility=Eligibility.REJECTED
        ),
    }
    data.update(mental=mental, older=older, vaasa=vaasa, rovaniemi=rovaniemi)
    return data


def test_directory_lists_only_approved_organisations(client, directory_data):
    response = client.get(reverse("organisations:directory"))
    assert response.status_code == 200
    assert _names(response) == ["Lapin Seniorit ry", "Mielen Tuki ry", "Seniorit ry"]


def test_directory_searches_name_and_description(client, directory_data):
    by_name = client.get(reverse("organisations:directory"), {"q": "seniorit"})
    assert _names(by_name) == ["Lapin Seniorit ry", "Seniorit ry"]
    by_description = client.get(reverse("organisations:directory"), {"q": "Mielen"})
    # "Mielen Tuki" by name, "Seniorit" by its description; pending and rejected never.
    assert _names(by_description) == ["Mielen Tuki ry", "Seniorit ry"]


def test_directory_filters_by_theme_municipality_and_area(client, directory_data, other_area):
    url = reverse("organisations:directory")
    assert _names(client.get(url, {"theme": directory_data["older"].pk})) == ["Lapin Seniorit ry", "Seniorit ry"]
    assert _names(client.get(url, {"municipality": directory_data["vaasa"].pk})) == ["Mielen Tuki ry", "Seniorit ry"]
    assert _names(client.get(url, {"welfare_area": other_area.pk})) == ["Lapin Seniorit ry"]
    combined = client.get(
        url, {"theme": directory_data["older"].pk, "municipality": directory_data["vaasa"].pk, "q": "ikä"}
    )
    assert _names(combined) == ["Seniorit ry"]


def test_directory_municipality_filter_is_narrowed_to_the_chosen_county(client, directory_data, area, other_area):
    url = reverse("organisations:directory")
    form = client.get(url, {"welfare_area": other_area.pk}).context["filter"].form
    assert [pk for pk, _name in form.fields["municipality"].choices if pk] == [directory_data["rovaniemi"].pk]
    # All of them when no county is chosen.
    form = client.get(url).context["filter"].form
    assert {pk for pk, _name in form.fields["municipality"].choices if pk} >= {
        directory_data["vaasa"].pk, directory_data["rovaniemi"].pk
    }
    # A municipality of another county, left from before the county changed, is dropped, not an error.
    response = client.get(url, {"welfare_area": other_area.pk, "municipality": directory_data["vaasa"].pk})
    assert not response.context["filter"].form.errors
    assert _names(response) == ["Lapin Seniorit ry"]


def test_directory_with_an_unknown_filter_value_is_not_an_error(client, directory_data):
    response = client.get(reverse("organisations:directory"), {"municipality": "999999", "theme": "abc"}, **ENGLISH)
    assert response.status_code == 200
    assert _names(response) == []
    assert response.context["filter"].form.errors["municipality"]


def test_directory_filter_choices_are_named_in_the_visitors_language(client, area, settings):
    municipality = MunicipalityFactory(welfare_area=area, name="Mustasaari", name_fi="Mustasaari", name_sv="Korsholm")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    finnish = client.get(reverse("organisations:directory"), {"municipality": municipality.pk}).content.decode()
    assert f'<option value="{municipality.pk}" selected>Mustasaari</option>' in finnish
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    swedish = client.get(reverse("organisations:directory"), {"municipality": municipality.pk}).content.decode()
    assert f'<option value="{municipality.pk}" selected>Korsholm</option>' in swedish
    assert '<option value="">' in swedish
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # no English name: the Finnish one, as modeltranslation
    english = client.get(reverse("organisations:directory"), {"municipality": municipality.pk}).content.decode()
    assert f'<option value="{municipality.pk}" selected>Mustasaari</option>' in english


def test_directory_is_paginated(client, settings, area):
    settings.DIRECTORY_PAGE_SIZE = 2
    for n in range(5):
        OrganisationFactory(name=f"Sivutettu {n} ry", welfare_area=area)
    url = reverse("organisations:directory")
    first = client.get(url, {"q": "Sivutettu"})
    assert _names(first) == ["Sivutettu 0 ry", "Sivutettu 1 ry"]
    assert first.context["page"].paginator.num_pages == 3
    # The page links keep the search.
    assert "?q=Sivutettu&amp;page=2" in first.content.decode()
    third = client.get(url, {"q": "Sivutettu", "page": 3})
    assert _names(third) == ["Sivutettu 4 ry"]
    beyond = client.get(url, {"q": "Sivutettu", "page": 99})
    assert _names(beyond) == ["Sivutettu 4 ry"]


def test_approved_organisation_page_is_public(client, directory_data):
    mind = directory_data["mind"]
    response = client.get(reverse("organisations:detail", args=[mind.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert mind.name in content and "Vaasa" in content and "Mielenterveys" in content
    assert response.context["can_view_members"] is False
    assert "members_page" not in response.context


@pytest.mark.parametrize("persona", [None, "outsider", "member", "other_coordinator"])
def test_pending_organisation_page_is_hidden_from_others(client, pending_organisation, persona, request):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("organisations:detail", args=[pending_organisation.pk]))
    assert response.status_code == 404


def test_pending_organisation_page_is_visible_to_its_members_and_coordinator(client, pending_organisation, coordinator):
    founder = pending_organisation.memberships.get().user
    for viewer in (founder, coordinator):
        client.force_login(viewer)
        response = client.get(reverse("organisations:detail", args=[pending_organisation.pk]))
        assert response.status_code == 200
        assert response.context["organisation"] == pending_organisation
        assert [m.user for m in response.context["members_page"]] == [founder]


def test_representative_sees_the_members_with_emails(client, organisation, representative, member):
    client.force_login(representative)
    response = client.get(reverse("organisations:detail", args=[organisation.pk]))
    assert {m.user for m in response.context["members_page"]} == {representative, member}
    assert member.email in response.content.decode()


def test_a_long_members_list_is_shown_a_page_at_a_time(client, organisation, representative, settings):
    settings.LIST_PAGE_SIZE = 2
    others = [
        MembershipFactory(organisation=organisation, status=MembershipStatus.APPROVED, user__full_name=f"Zz {i}").user
        for i in range(3)
    ]
    client.force_login(representative)
    url = reverse("organisations:detail", args=[organisation.pk])
    first = client.get(url)
    assert first.context["members_page"].paginator.count == 4
    assert [m.user for m in first.context["members_page"]] == [representative, others[0]]
    assert 'href="?page=2#members-heading"' in first.content.decode()
    last = client.get(url, {"page": 2})
    assert [m.user for m in last.context["members_page"]] == others[1:]
    assert client.get(url, {"page": "abc"}).context["members_page"].number == 1


# --- (e) CSV export ------------------------------------------------------------------


def test_export_requires_sign_in(client):
    response = client.get(reverse("organisations:export"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")


@pytest.mark.parametrize("persona", ["member", "representative"])
def test_export_is_for_coordinators_only(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("organisations:export")).status_code == 403


def _csv_rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_coordinator_exports_the_filtered_list_as_streamed_csv(client, coordinator, directory_data):
    client.force_login(coordinator)
    everything = client.get(reverse("organisations:export"), **ENGLISH)
    assert everything.status_code == 200
    assert everything["Content-Type"] == "text/csv; charset=utf-8"
    assert everything["Content-Disposition"].startswith('attachment; filename="organisations-')
    header, *rows = _csv_rows(everything)
    assert header[0] == "Name"
    assert [row[0] for row in rows] == ["Lapin Seniorit ry", "Mielen Tuki ry", "Seniorit ry"]

    filtered = client.get(
        reverse("organisations:export"),
        {"theme": directory_data["older"].pk, "municipality": directory_data["vaasa"].pk},
    )
    _header, *rows = _csv_rows(filtered)
    assert [row[0] for row in rows] == ["Seniorit ry"]


def test_export_keeps_commas_and_quotes_intact(client, coordinator, area):
    OrganisationFactory(name='Pilkku, "Lainaus" ry', welfare_area=area, business_id="0112038-9")
    client.force_login(coordinator)
    _header, row = _csv_rows(client.get(reverse("organisations:export")))
    assert row[0] == 'Pilkku, "Lainaus" ry'
    assert row[2] == "0112038-9"


def test_directory_shows_the_export_link_to_coordinators_only(client, coordinator, member):
    export = reverse("organisations:export")
    assert export not in client.get(reverse("organisations:directory")).content.decode()
    client.force_login(member)
    assert export not in client.get(reverse("organisations:directory")).content.decode()
    client.force_login(coordinator)
    assert export in client.get(reverse("organisations:directory"), {"q": "x"}).content.decode()


# --- registering and editing: bad input ---------------------------------------------


def _organisation_form(area, **overrides) -> dict:
    data = {
        "name": "Testin Tukiyhdistys ry",
        "kind": "association",
        "business_id": "",
        "register_number": "",
        "welfare_area": area.pk,
        "description": "Kuvaus.",
        "website": "",
        "email": "",
        "phone": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"business_id": "0112038-8"}, "business_id"),  # wrong check digit
        ({"business_id": "1234567"}, "business_id"),  # no hyphen
        ({"municipalities": ["999999"]}, "municipalities"),
        ({"municipalities": ["abc"]}, "municipalities"),
        ({"themes": ["999999"]}, "themes"),
        ({"name": "x" * 201}, "name"),
        ({"name": ""}, "name"),
        ({"description": "x" * 4001}, "description"),
        ({"kind": "company"}, "kind"),
        ({"welfare_area": "999999"}, "welfare_area"),
        ({"website": "not a url"}, "website"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "1" * 31}, "phone"),
    ],
)
def test_register_refuses_bad_input_next_to_the_field(client, area, outsider, overrides, field):
    client.force_login(outsider)
    before = (Organisation.objects.count(), Membership.objects.count())
    response = client.post(reverse("organisations:register"), _organisation_form(area, **overrides), **ENGLISH)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert (Organisation.objects.count(), Membership.objects.count()) == before


def test_register_shows_the_check_digit_message(client, area, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("organisations:register"), _organisation_form(area, business_id="0112038-8"), **ENGLISH
    )
    assert response.context["form"].errors["business_id"] == [
        "The check digit of this business ID is wrong. Please check the number."
    ]
    assert b"The check digit of this business ID is wrong" in response.content


def test_register_refuses_a_duplicate_business_id_next_to_the_field(client, area, organisation, outsider):
    organisation.business_id = "0112038-9"
    organisation.save()
    client.force_login(outsider)
    before = Organisation.objects.count()
    # The older six-digit form of the same ID is the same organisation.
    response = client.post(
        reverse("organisations:register"), _organisation_form(area, business_id="112038-9"), **ENGLISH
    )
    assert response.status_code == 200
    assert response.context["form"].errors["business_id"] == [
        "An organisation with this business ID is already registered."
    ]
    assert Organisation.objects.count() == before


def test_register_needs_sign_in(client, area):
    response = client.post(reverse("organisations:register"), _organisation_form(area))
    assert response.status_code == 302
    assert not Organisation.objects.filter(name="Testin Tukiyhdistys ry").exists()


def test_representative_edits_own_organisation(client, organisation, representative, area):
    theme = ThemeFactory()
    client.force_login(representative)
    form_page = client.get(reverse("organisations:edit", args=[organisation.pk]))
    assert form_page.status_code == 200
    response = client.post(
        reverse("organisations:edit", args=[organisation.pk]),
        _organisation_form(area, name="Uusi Nimi ry", themes=[theme.pk], business_id="0737546-2"),
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Uusi Nimi ry"
    assert organisation.business_id == "0737546-2"
    assert list(organisation.themes.all()) == [theme]
    assert organisation.eligibility == Eligibility.APPROVED


def test_editing_with_bad_input_changes_nothing(client, organisation, representative, area):
    other = OrganisationFactory(welfare_area=area, business_id="0112038-9")
    client.force_login(representative)
    response = client.post(
        reverse("organisations:edit", args=[organisation.pk]),
        _organisation_form(area, name="Uusi Nimi ry", business_id=other.business_id),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["business_id"]
    organisation.refresh_from_db()
    assert organisation.name == "Vaasan Mielenterveysyhdistys ry"
    assert organisation.business_id is None


def test_editing_keeps_own_business_id(client, organisation, representative, area):
    organisation.business_id = "0112038-9"
    organisation.save()
    client.force_login(representative)
    response = client.post(
        reverse("organisations:edit", args=[organisation.pk]), _organisation_form(area, business_id="0112038-9")
    )
    assert response.status_code == 302


# --- junk never gives a 500 ---------------------------------------------------------

JUNK = ["\x00", "²", "1\x00", "-1", "9" * 30, "<script>alert(1)</script>", "' OR 1=1 --", "ä" * 5000]


@pytest.mark.parametrize("junk", JUNK)
def test_junk_in_the_directory_is_handled(client, coordinator, organisation, junk):
    for params in ({"q": junk}, {"theme": junk}, {"municipality": junk}, {"welfare_area": junk}, {"page": junk}):
        assert client.get(reverse("organisations:directory"), params).status_code == 200, params
    client.force_login(coordinator)
    for params in ({"q": junk}, {"theme": junk}):
        response = client.get(reverse("organisations:export"), params)
        assert response.status_code == 200, params
        b"".join(response.streaming_content)


@pytest.mark.parametrize("junk", JUNK)
def test_junk_in_the_forms_is_refused_without_saving(client, area, organisation, representative, coordinator, junk):
    pending = OrganisationFactory(welfare_area=area, eligibility=Eligibility.PENDING)
    request = MembershipFactory(organisation=organisation, status=MembershipStatus.PENDING)
    client.force_login(representative)
    before = (Organisation.objects.count(), Membership.objects.count())
    for field in ("name", "kind", "business_id", "welfare_area", "municipalities", "themes", "website", "email"):
        response = client.post(reverse("organisations:register"), _organisation_form(area, **{field: junk}))
        assert response.status_code in (200, 302), field
    assert client.get(reverse("organisations:join"), {"organisation": junk}).status_code == 200
    assert client.post(reverse("organisations:join"), {"organisation": junk, "message": junk}).status_code == 200
    for data in ({"decision": junk}, {"decision": "reject", "reason": junk}):
        assert client.post(reverse("organisations:decide_membership", args=[request.pk]), data).status_code in (
            302,
            400,
        )
    client.force_login(coordinator)
    for data in ({"decision": junk}, {"decision": "reject", "reason": junk}):
        response = client.post(reverse("organisations:decide_eligibility", args=[pending.pk]), data)
        assert response.status_code in (302, 400)
    if "\x00" in junk:  # PostgreSQL cannot store NUL; the forms must refuse it
        assert (Organisation.objects.count(), Membership.objects.count()) == before


def test_representative_moving_the_organisation_through_the_form_sends_it_to_review(
    client, organisation, representative, other_area
):
    client.force_login(representative)
    response = client.post(reverse("organisations:edit", args=[organisation.pk]), _organisation_form(other_area))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.eligibility == Eligibility.PENDING
    assert client.get(response.url).status_code == 200  # still visible to its own members


# --- the way in: sign up, register an organisation, see it on one's own page -------------


def test_home_page_counts_approved_organisations(client):
    OrganisationFactory(eligibility=Eligibility.APPROVED)
    OrganisationFactory(eligibility=Eligibility.PENDING)
    response = client.get(reverse("home"), **ENGLISH)
    assert response.status_code == 200
    assert response.context["counts"]["organisations"] == 1
    assert "1 approved organisation in the directory" in response.content.decode()


def test_sign_up_verify_and_register_an_organisation(client, area):
    theme = ThemeFactory()
    municipality = MunicipalityFactory(welfare_area=area)

    response = client.post(
        reverse("account_signup"),
        {
            "email": "Liisa.Uusi@Example.org",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "full_name": "Liisa Uusi",
            "language": "sv",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="liisa.uusi@example.org")
    assert user.full_name == "Liisa Uusi"
    assert user.language == "sv"
    # Verification is mandatory: not signed in yet.
    assert client.get(reverse("dashboard")).status_code == 302

    [message] = mail.outbox
    assert message.to == [user.email]
    # The page was in Finnish, but the person chose Swedish: allauth's own (translated) subject says so.
    assert "Vänligen bekräfta din epost-adress" in message.subject
    path = _confirmation_path(message)

    page = client.get(path)
    assert page.status_code == 200
    assert EmailAddress.objects.get(user=user).verified is False  # a GET does not confirm

    confirmed = client.post(path)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified is True

    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 200
    assert dashboard.wsgi_request.user == user

    registered = client.post(
        reverse("organisations:register"),
        {
            "name": "Liisan Vertaistuki ry",
            "kind": "association",
            "business_id": "0112038-9",
            "welfare_area": area.pk,
            "description": "Vertaistukea.",
            "themes": [theme.pk],
            "municipalities": [municipality.pk],
        },
    )
    organisation = Organisation.objects.get(name="Liisan Vertaistuki ry")
    assert registered.status_code == 302
    assert registered.url == reverse("organisations:detail", args=[organisation.pk])
    assert organisation.eligibility == Eligibility.PENDING
    assert Membership.objects.get(organisation=organisation, user=user).role == MembershipRole.REPRESENTATIVE

    page = client.get(registered.url, **ENGLISH)
    assert page.status_code == 200
    assert b"waiting for approval" in page.content

    dashboard = client.get(reverse("dashboard"))
    assert "Liisan Vertaistuki ry" in dashboard.content.decode()


def test_dashboard_lists_memberships_and_pending_requests(client, organisation, member, other_organisation):
    Membership.objects.create(user=member, organisation=other_organisation)  # pending request
    client.force_login(member)
    response = client.get(reverse("dashboard"), **ENGLISH)
    content = response.content.decode()
    assert organisation.name in content
    assert other_organisation.name in content
    assert "Your request: Waiting for approval" in content



# --- Removing a member ----------------------------------------------------------------


def test_representative_removes_a_member_after_confirming(client, organisation, representative, member):
    membership = Membership.objects.get(user=member, organisation=organisation)
    url = reverse("organisations:remove_member", args=[membership.pk])
    client.force_login(representative)
    assert url in client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200 and member.email in confirm.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("organisations:detail",
                                                                           args=[organisation.pk])
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_removing_the_last_representative_is_refused_with_a_message(client, organisation, representative):
    membership = Membership.objects.get(user=representative, organisation=organisation)
    client.force_login(representative)
    response = client.post(reverse("organisations:remove_member", args=[membership.pk]), follow=True,
                           **ENGLISH)
    assert "An organisation must keep at least one representative." in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_member_cannot_remove_others(client, organisation, representative, member):
    membership = Membership.objects.get(user=representative, organisation=organisation)
    client.force_login(member)
    url = reverse("organisations:remove_member", args=[membership.pk])
    assert client.get(url).status_code == 404 and client.post(url).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- The municipality chooser -------------------------------------------------------------


def test_register_form_lists_municipalities_as_checkboxes_grouped_by_county(client, member, area, other_area):
    vaasa = MunicipalityFactory(code="905", name="Vaasa", welfare_area=area)
    rovaniemi = MunicipalityFactory(code="698", name="Rovaniemi", welfare_area=other_area)
    client.force_login(member)
    page = client.get(reverse("organisations:register")).content.decode()
    assert '<select name="municipalities"' not in page and "Ctrl" not in page
    assert f'type="checkbox" name="municipalities" value="{vaasa.pk}"' in page
    assert f'type="checkbox" name="municipalities" value="{rovaniemi.pk}"' in page
    assert page.count("<details") >= 2 and "<legend" in page
    assert "js/municipality-chooser.js" in page and "<script>" not in page
    # After a refused post, the chosen county is open with the ticked municipality kept.
    response = client.post(reverse("organisations:register"), {
        "name": "", "kind": "association", "welfare_area": other_area.pk, "municipalities": [rovaniemi.pk],
    })
    page = response.content.decode()
    assert re.search(rf'<details class="municipality-group mb-1" data-area="{other_area.pk}" open>', page)
    assert not re.search(rf'<details class="municipality-group mb-1" data-area="{area.pk}" open>', page)
    assert f'value="{rovaniemi.pk}" id="id_municipalities_' in page
    assert re.search(rf'value="{rovaniemi.pk}" id="[^"]+" checked', page)


def test_join_with_an_organisation_the_person_may_not_see_shows_the_search(client, area, outsider):
    hidden = OrganisationFactory(name="Salainen Odottaja ry", welfare_area=area, eligibility=Eligibility.PENDING)
    client.force_login(outsider)
    response = client.get(reverse("organisations:join"), {"organisation": hidden.pk})
    assert response.status_code == 200 and response.context["chosen"] is None
    assert hidden.name not in response.content.decode()
