"""Every URL of the project against every role: one table of expected answers (after pretix's
``src/tests/control/test_permissions.py``).

``MATRIX`` below has a row for every named URL pattern of ``kumppanuus.urls`` (allauth's too);
``test_every_url_pattern_has_a_row`` fails when a new URL has no row, so a view cannot be added
without saying who may use it. The admin is one rule: staff only, everyone else is sent to the
admin's sign-in page (``test_the_admin_is_for_staff_only`` walks every admin URL).

The roles (columns, in this order):

- ``anonymous``: not signed in;
- ``member``: an approved member of ``organisation``, the standing member of both tables;
- ``outsider``: a member of an organisation of another wellbeing services county;
- ``representative``: the representative of ``organisation`` (it chairs the meetings);
- ``coordinator``: coordinates the county of the tables;
- ``other_coordinator``: coordinates another county;
- ``admin``: a superuser.

What the cells say: ``LOGIN`` is a redirect to the sign-in page; ``302`` any other redirect (a
form that was accepted); 404 for a private object the person may not see (the same answer as for
one that does not exist); 403 for an object the person may see but not change. GET for every page;
POST (with valid data) for the views that only take POST. Each request runs in a savepoint that is
rolled back, so the roles see the same world.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.models import AgendaItemStatus, InvitationRequest, MeetingFormat, MeetingStatus
from meetings.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    DecisionFactory,
    InvitationFactory,
    MeetingFactory,
    PublishedMinutesFactory,
    held_meeting,
    in_days,
)
from meetings.tokens import rsvp_token
from organisations.models import Eligibility, Membership, MembershipStatus
from organisations.tests.factories import MembershipFactory, OrganisationFactory
from outbox.preferences import unsubscribe_token
from tables.models import StandingMemberStatus
from tables.services import TABLE_MESSAGE
from tables.tests.factories import (
    AnnualEvaluationFactory,
    PartnershipTableFactory,
    ProcessStepFactory,
    RoleAssignmentFactory,
    SectorFactory,
    StandingMemberFactory,
    TableMessageFactory,
)

ROLES = ("anonymous", "member", "outsider", "representative", "coordinator", "other_coordinator", "admin")
LOGIN = "login"  # 302 to /accounts/login/
ADMIN_LOGIN = "admin-login"  # 302 to /admin/login/

PUBLIC_LINK = "https://meet.example.org/public-room-4821"
PRIVATE_LINK = "https://meet.example.org/private-room-7730"
PAST_LINK = "https://meet.example.org/past-room-1193"


# --- The world: one of everything, so that every URL kwarg can be filled ------------------------


@dataclass(repr=False)
class World:
    users: dict
    organisation: Any
    other_organisation: Any
    pending_organisation: Any
    third_organisation: Any
    member_membership: Any
    pending_membership: Any
    sector: Any
    public_table: Any
    private_table: Any
    named_coordinator: Any
    public_standing: Any
    private_standing: Any
    public_request: Any
    private_request: Any
    public_step: Any
    private_step: Any
    public_assignment: Any
    private_assignment: Any
    public_evaluation: Any
    private_evaluation: Any
    public_meeting: Any
    private_meeting: Any
    draft_meeting: Any
    public_invitation: Any
    private_invitation: Any
    public_item: Any
    private_item: Any
    past_public_meeting: Any
    past_private_meeting: Any
    public_action_item: Any
    private_action_item: Any
    nomination: Any
    invitation_request: Any
    rsvp_token: str
    newcomer_email: Any
    reset_user: Any
    public_message: Any = None
    private_message: Any = None
    extra: dict = field(default_factory=dict)

    def __repr__(self):
        return "World()"  # keeps failure reports (hypothesis prints its arguments) readable


@pytest.fixture
def world(
    area, other_area, organisation, other_organisation, member, outsider, representative, coordinator,
    other_coordinator, admin_user,
):
    """Tables, meetings and records of ``area``, where ``coordinator`` coordinates. ``organisation``
    (``representative``, ``member``) is the standing member of a public and a private table and is
    invited to their meetings; ``outsider`` and ``other_coordinator`` belong to ``other_area``."""
    sector = SectorFactory(welfare_area=area, name="Psykososiaalinen toimiala", name_fi="Psykososiaalinen toimiala")
    owner = UserFactory(email="owner@example.org")
    named_coordinator = UserFactory(email="named-coordinator@example.org")
    public_table = PartnershipTableFactory(
        sector=sector, owner=owner, is_public=True, coordinators=[named_coordinator],
        name="Avoin pöytä", name_fi="Avoin pöytä",
    )
    private_table = PartnershipTableFactory(
        sector=sector, owner=owner, is_public=False, coordinators=[named_coordinator],
        name="Neuvottelukunta", name_fi="Neuvottelukunta",
    )
    standing = {
        table: StandingMemberFactory(
            table=table, organisation=organisation, representative=representative, substitute=member
        )
        for table in (public_table, private_table)
    }
    third_organisation = OrganisationFactory(name="Kolmas Yhdistys ry", welfare_area=area)
    requests = {
        table: StandingMemberFactory(
            table=table, organisation=third_organisation, status=StandingMemberStatus.REQUESTED, decided_at=None,
            representative=None,
        )
        for table in (public_table, private_table)
    }
    pending_organisation = OrganisationFactory(
        name="Odottava Yhdistys ry", welfare_area=area, eligibility=Eligibility.PENDING
    )
    applicant = UserFactory(email="applicant@example.org")
    pending_membership = MembershipFactory(user=applicant, organisation=organisation, status=MembershipStatus.PENDING)

    meetings = {}
    invitations = {}
    items = {}
    for table, link, fmt in (
        (public_table, PUBLIC_LINK, MeetingFormat.HYBRID),
        (private_table, PRIVATE_LINK, MeetingFormat.ONLINE),
    ):
        meeting = MeetingFactory(
            table=table, format=fmt, online_link=link, chair=organisation, created_by=coordinator,
            status=MeetingStatus.SCHEDULED, starts_at=in_days(14), ends_at=in_days(14, hour=15),
        )
        meetings[table] = meeting
        invitations[table] = InvitationFactory(meeting=meeting, user=member, organisation=organisation)
        InvitationFactory(meeting=meeting, user=representative, organisation=organisation)
        items[table] = AgendaItemFactory(meeting=meeting, status=AgendaItemStatus.PROPOSED, proposed_by=member)
    draft_meeting = MeetingFactory(table=public_table, status=MeetingStatus.DRAFT, created_by=coordinator)

    past = {}
    action_items = {}
    for table in (public_table, private_table):
        meeting = held_meeting(table, online_link=PAST_LINK, created_by=coordinator, chair=organisation)
        InvitationFactory(meeting=meeting, user=member, organisation=organisation)
        minutes = PublishedMinutesFactory(meeting=meeting)
        DecisionFactory(minutes=minutes)
        action_items[table] = ActionItemFactory(meeting=meeting, owner_user=member)
        past[table] = meeting

    newcomer = UserFactory(email="newcomer@example.org", verified=False)
    newcomer_email = EmailAddress.objects.create(user=newcomer, email=newcomer.email, verified=False, primary=True)
    reset_user = UserFactory(email="forgetful@example.org")

    return World(
        users={
            "member": member, "outsider": outsider, "representative": representative, "coordinator": coordinator,
            "other_coordinator": other_coordinator, "admin": admin_user,
        },
        organisation=organisation,
        other_organisation=other_organisation,
        pending_organisation=pending_organisation,
        third_organisation=third_organisation,
        member_membership=Membership.objects.get(user=member, organisation=organisation),
        pending_membership=pending_membership,
        sector=sector,
        public_table=public_table,
        private_table=private_table,
        named_coordinator=named_coordinator,
        public_standing=standing[public_table],
        private_standing=standing[private_table],
        public_request=requests[public_table],
        private_request=requests[private_table],
        public_step=ProcessStepFactory(table=public_table),
        private_step=ProcessStepFactory(table=private_table),
        public_assignment=RoleAssignmentFactory(table=public_table),
        private_assignment=RoleAssignmentFactory(table=private_table),
        public_evaluation=AnnualEvaluationFactory(table=public_table),
        private_evaluation=AnnualEvaluationFactory(table=private_table),
        public_meeting=meetings[public_table],
        private_meeting=meetings[private_table],
        draft_meeting=draft_meeting,
        public_invitation=invitations[public_table],
        private_invitation=invitations[private_table],
        public_item=items[public_table],
        private_item=items[private_table],
        past_public_meeting=past[public_table],
        past_private_meeting=past[private_table],
        public_action_item=action_items[public_table],
        private_action_item=action_items[private_table],
        # The outsider (of another county) nominated to a role of the public table: theirs to answer.
        nomination=RoleAssignmentFactory(table=public_table, user=outsider, accepted_at=None),
        # Someone of the organisation who was not invited asks to be.
        invitation_request=InvitationRequest.objects.create(
            meeting=meetings[public_table], user=MembershipFactory(organisation=organisation).user
        ),
        rsvp_token=rsvp_token(invitations[private_table], answer="in_person"),
        newcomer_email=newcomer_email,
        reset_user=reset_user,
        public_message=TableMessageFactory(table=public_table, author=coordinator),
        private_message=TableMessageFactory(table=private_table, author=coordinator),
    )


@pytest.fixture
def clients(world) -> dict[str, Client]:
    """One browser per role, signed in as that person."""
    result = {"anonymous": Client()}
    for role, user in world.users.items():
        client = Client()
        client.force_login(user)
        result[role] = client
    return result


def outcome(response) -> int | str:
    """The status, with the two sign-in redirects told apart from other redirects."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("account_login")):
            return LOGIN
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
    return response.status_code


def fetch(client: Client, method: str, url: str, data: dict | None = None):
    """One request in a savepoint that is rolled back; streamed bodies are read inside it.

    The browser's cookies are put back too: a view that renews the session (or sets the language)
    would otherwise leave the client with a session the rollback has removed, signed out.
    """
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = getattr(client, method)(url, data or {})
        if response.streaming:
            response._read_content = b"".join(response.streaming_content)
        else:
            response._read_content = response.content
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


# --- The table -----------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    expect: tuple
    kwargs: Callable[[World], dict] = lambda w: {}
    method: str = "get"
    data: Callable[[World], dict] = lambda w: {}
    query: Callable[[World], str] = lambda w: ""
    variant: str = ""
    signs_out: bool = False  # the view signs a signed-in person out (allauth, on purpose)

    @property
    def id(self) -> str:
        return f"{self.name}[{self.variant}]" if self.variant else self.name

    def url(self, world: World) -> str:
        return reverse(self.name, kwargs=self.kwargs(world)) + self.query(world)


def pk(attribute: str, key: str = "pk"):
    return lambda w: {key: getattr(w, attribute).pk}


def POST(attribute: str, data: Callable[[World], dict] = lambda w: {}, key: str = "pk", **kwargs):
    return {"kwargs": pk(attribute, key), "method": "post", "data": data, **kwargs}


ALL = (200,) * 7
SIGNED_IN = (LOGIN, 200, 200, 200, 200, 200, 200)
ANYONE_REDIRECTED = (302,) * 7
# Signed-in people are sent on (to their dashboard); allauth's pages for those not signed in.
SIGNED_OUT_ONLY = (200, 302, 302, 302, 302, 302, 302)
COORDINATORS = (LOGIN, 403, 403, 403, 200, 200, 200)  # any county's coordinator, and admins
# A table's (or meeting's) management: its county's coordinator and admins. The public table can
# be seen by everyone, so the others get 403; the private one is not revealed (404) to outsiders.
MANAGE_PUBLIC = (LOGIN, 403, 403, 403, 200, 403, 200)
MANAGE_PRIVATE = (LOGIN, 403, 404, 403, 200, 404, 200)
MANAGE_PUBLIC_POST = (LOGIN, 403, 403, 403, 302, 403, 302)
MANAGE_PRIVATE_POST = (LOGIN, 403, 404, 403, 302, 404, 302)
# Visible to whoever may see the private table: its standing members, coordinators and admins.
PRIVATE_VISIBLE = (LOGIN, 200, 404, 200, 200, 404, 200)
TODAY = lambda w: {"valid_to": timezone.localdate().isoformat()}  # noqa: E731
UNSUBSCRIBE = lambda w: {"token": unsubscribe_token(w.users["member"].pk, TABLE_MESSAGE)}  # noqa: E731

#     roles:  anonymous member outsider representative coordinator other_coordinator admin
MATRIX = [
    # --- Site pages ---------------------------------------------------------------------------
    Row("home", ALL),
    Row("healthz", ALL),
    Row("dashboard", SIGNED_IN),
    Row("accessibility", ALL),
    Row("privacy", ALL),
    Row("set_language", ANYONE_REDIRECTED, method="post", data=lambda w: {"language": "sv", "next": "/"}),
    Row("accounts:profile", SIGNED_IN),
    # The List-Unsubscribe link of a notification e-mail: the signed token proves who, for everyone
    # (GET only asks; POST turns the kind off). A forged token gets the "not valid" page.
    Row("accounts:unsubscribe", ALL, kwargs=UNSUBSCRIBE),
    Row("accounts:unsubscribe", ALL, method="post", variant="post", kwargs=UNSUBSCRIBE),
    Row("accounts:unsubscribe", (400,) * 7, variant="forged",
        kwargs=lambda w: {"token": UNSUBSCRIBE(w)["token"][:-2] + "xx"}),
    # Personal data: only ever the signed-in person's own (no id in the address).
    Row("personal_data", SIGNED_IN),
    Row("personal_data_download", SIGNED_IN, method="post"),
    Row("account_delete", SIGNED_IN),
    # --- allauth ------------------------------------------------------------------------------
    Row("account_login", SIGNED_OUT_ONLY),
    Row("account_logout", (302, 200, 200, 200, 200, 200, 200)),  # nothing to sign out of: home
    Row("account_inactive", ALL),
    Row("account_signup", SIGNED_OUT_ONLY),
    Row("account_reauthenticate", SIGNED_IN),
    Row("account_email", SIGNED_IN),
    Row("account_email_verification_sent", ALL),
    Row("account_change_password", SIGNED_IN),
    Row("account_set_password", (LOGIN, 302, 302, 302, 302, 302, 302)),  # they have one: change it
    Row("account_reset_password", ALL),
    Row("account_reset_password_done", ALL),
    # Sign-in by code is off: back to the sign-in page (signed-in people to their dashboard).
    Row("account_confirm_login_code", (LOGIN, 302, 302, 302, 302, 302, 302)),
    # Someone signed in who opens another account's confirmation link is signed out first.
    Row("account_confirm_email", ALL, kwargs=lambda w: {"key": EmailConfirmationHMAC(w.newcomer_email).key},
        signs_out=True),
    Row("account_confirm_email", ALL, kwargs=lambda w: {"key": "forged-key"}, variant="bad key"),
    Row(
        "account_reset_password_from_key",
        ANYONE_REDIRECTED,  # a valid key is moved into the session and the browser sent on
        kwargs=lambda w: {
            "uidb36": user_pk_to_url_str(w.reset_user), "key": default_token_generator.make_token(w.reset_user),
        },
    ),
    Row(
        "account_reset_password_from_key", ALL,  # "the link is not valid"
        kwargs=lambda w: {"uidb36": user_pk_to_url_str(w.reset_user), "key": "forged-key"}, variant="bad key",
    ),
    Row("account_reset_password_from_key_done", ALL),
    # --- Organisations ------------------------------------------------------------------------
    Row("organisations:directory", ALL),
    Row("organisations:export", COORDINATORS),
    Row("organisations:register", SIGNED_IN),
    Row("organisations:join", SIGNED_IN),
    Row("organisations:review_queue", (LOGIN, 403, 403, 200, 200, 200, 200)),
    Row("organisations:detail", ALL, kwargs=pk("organisation")),
    Row("organisations:detail", (404, 404, 404, 404, 200, 404, 200), kwargs=pk("pending_organisation"),
        variant="pending"),
    Row("organisations:edit", (LOGIN, 403, 403, 200, 200, 403, 200), kwargs=pk("organisation")),
    Row("organisations:edit", (LOGIN, 404, 404, 404, 200, 404, 200), kwargs=pk("pending_organisation"),
        variant="pending"),
    # The audit history of the eligibility decisions (issue 13): the county's coordinators and admins.
    Row("organisations:history", (LOGIN, 403, 403, 403, 200, 403, 200), kwargs=pk("organisation")),
    Row("organisations:history", (LOGIN, 404, 404, 404, 200, 404, 200), kwargs=pk("pending_organisation"),
        variant="pending"),
    Row("organisations:history", (LOGIN, 403, 403, 403, 200, 403, 200), kwargs=pk("organisation"),
        query=lambda w: "?all=1", variant="every change"),
    Row("organisations:decide_eligibility", (LOGIN, 404, 404, 404, 302, 404, 302),
        **POST("pending_organisation", lambda w: {"decision": "approve"})),
    Row("organisations:decide_eligibility", (LOGIN, 403, 403, 403, 302, 403, 302),  # may be decided again
        **POST("organisation", lambda w: {"decision": "approve"}), variant="approved"),
    Row("organisations:decide_membership", (LOGIN, 404, 404, 302, 302, 404, 302),
        **POST("pending_membership", lambda w: {"decision": "approve"})),
    # The organisation's representative and its county's coordinators; GET is the confirmation page.
    Row("organisations:remove_member", (LOGIN, 404, 404, 200, 200, 404, 200), kwargs=pk("member_membership")),
    Row("organisations:remove_member", (LOGIN, 404, 404, 302, 302, 404, 302), **POST("member_membership"),
        variant="post"),
    Row("organisations:set_member_role", (LOGIN, 404, 404, 302, 302, 404, 302),
        **POST("member_membership", lambda w: {"role": "representative"})),
    # --- Tables -------------------------------------------------------------------------------
    Row("tables:list", ALL),
    Row("tables:mine", SIGNED_IN),
    Row("tables:create", COORDINATORS),
    Row("tables:sectors", COORDINATORS),
    Row("tables:sector_edit", MANAGE_PUBLIC, kwargs=pk("sector")),
    Row("tables:detail", ALL, kwargs=pk("public_table")),
    Row("tables:detail", (404, 200, 404, 200, 200, 404, 200), kwargs=pk("private_table"), variant="private"),
    Row("tables:process", ALL, kwargs=pk("public_table")),
    Row("tables:process", (404, 200, 404, 200, 200, 404, 200), kwargs=pk("private_table"), variant="private"),
    Row("tables:edit", MANAGE_PUBLIC, kwargs=pk("public_table")),
    Row("tables:edit", MANAGE_PRIVATE, kwargs=pk("private_table"), variant="private"),
    Row("tables:standing_members", MANAGE_PUBLIC, kwargs=pk("public_table")),
    Row("tables:standing_members", MANAGE_PRIVATE, kwargs=pk("private_table"), variant="private"),
    # Representatives of approved organisations ask; coordinators decide.
    Row("tables:request_membership", (LOGIN, 403, 403, 200, 403, 403, 200), kwargs=pk("public_table")),
    Row("tables:request_membership", (LOGIN, 403, 404, 200, 403, 404, 200), kwargs=pk("private_table"),
        variant="private"),
    Row("tables:standing_member_decide", MANAGE_PUBLIC_POST,
        **POST("public_request", lambda w: {"decision": "approve"})),
    Row("tables:standing_member_decide", MANAGE_PRIVATE_POST,
        **POST("private_request", lambda w: {"decision": "approve"}), variant="private"),
    # The organisation's representative names its people too.
    Row("tables:standing_member_edit", (LOGIN, 403, 403, 200, 200, 403, 200), kwargs=pk("public_standing")),
    Row("tables:standing_member_edit", (LOGIN, 403, 404, 200, 200, 404, 200), kwargs=pk("private_standing"),
        variant="private"),
    Row("tables:standing_member_end", MANAGE_PUBLIC, kwargs=pk("public_standing")),
    Row("tables:standing_member_end", MANAGE_PRIVATE, kwargs=pk("private_standing"), variant="private"),
    Row("tables:roles", MANAGE_PUBLIC, kwargs=pk("public_table")),
    Row("tables:roles", MANAGE_PRIVATE, kwargs=pk("private_table"), variant="private"),
    Row("tables:coordinator_add", MANAGE_PUBLIC_POST,
        **POST("public_table", lambda w: {"user": "applicant@example.org"})),
    Row("tables:coordinator_add", MANAGE_PRIVATE_POST,
        **POST("private_table", lambda w: {"user": "applicant@example.org"}), variant="private"),
    Row("tables:coordinator_remove", MANAGE_PUBLIC_POST, method="post",
        kwargs=lambda w: {"pk": w.public_table.pk, "user_pk": w.named_coordinator.pk}),
    Row("tables:coordinator_remove", MANAGE_PRIVATE_POST, method="post",
        kwargs=lambda w: {"pk": w.private_table.pk, "user_pk": w.named_coordinator.pk}, variant="private"),
    Row("tables:role_assignment_end", MANAGE_PUBLIC_POST, **POST("public_assignment", TODAY)),
    Row("tables:role_assignment_end", MANAGE_PRIVATE_POST, **POST("private_assignment", TODAY), variant="private"),
    # GET is the confirmation page (nothing changes); the POST above ends the role.
    Row("tables:role_assignment_end", MANAGE_PUBLIC, kwargs=pk("public_assignment"), variant="confirm"),
    Row("tables:role_assignment_end", MANAGE_PRIVATE, kwargs=pk("private_assignment"), variant="private confirm"),
    # A nomination is answered by its nominee only; to anyone else it does not exist.
    Row("tables:nominations", SIGNED_IN),
    Row("tables:nomination_accept", (LOGIN, 404, 302, 404, 404, 404, 404), **POST("nomination")),
    Row("tables:nomination_decline", (LOGIN, 404, 302, 404, 404, 404, 404), **POST("nomination")),
    Row("tables:steps", MANAGE_PUBLIC, kwargs=pk("public_table")),
    Row("tables:steps", MANAGE_PRIVATE, kwargs=pk("private_table"), variant="private"),
    Row("tables:step_edit", MANAGE_PUBLIC, kwargs=pk("public_step")),
    Row("tables:step_edit", MANAGE_PRIVATE, kwargs=pk("private_step"), variant="private"),
    Row("tables:step_delete", MANAGE_PUBLIC, kwargs=pk("public_step")),
    Row("tables:step_delete", MANAGE_PRIVATE, kwargs=pk("private_step"), variant="private"),
    Row("tables:step_move", MANAGE_PUBLIC_POST, **POST("public_step", lambda w: {"direction": "down"})),
    Row("tables:step_move", MANAGE_PRIVATE_POST, **POST("private_step", lambda w: {"direction": "down"}),
        variant="private"),
    Row("tables:evaluations", MANAGE_PUBLIC, kwargs=pk("public_table")),
    Row("tables:evaluations", MANAGE_PRIVATE, kwargs=pk("private_table"), variant="private"),
    Row("tables:evaluation_summary", MANAGE_PUBLIC, kwargs=pk("public_evaluation")),
    Row("tables:evaluation_summary", MANAGE_PRIVATE, kwargs=pk("private_evaluation"), variant="private"),
    # The coordinator and the standing members answer; admins may see it but do not answer.
    Row("tables:evaluation_answer", (LOGIN, 200, 403, 200, 200, 403, 403), kwargs=pk("public_evaluation")),
    Row("tables:evaluation_answer", (LOGIN, 200, 404, 200, 200, 404, 403), kwargs=pk("private_evaluation"),
        variant="private"),
    Row("tables:evaluation_open", MANAGE_PUBLIC_POST, **POST("public_evaluation")),  # open already: a message
    Row("tables:evaluation_open", MANAGE_PRIVATE_POST, **POST("private_evaluation"), variant="private"),
    Row("tables:evaluation_close", MANAGE_PUBLIC_POST, **POST("public_evaluation")),
    Row("tables:evaluation_close", MANAGE_PRIVATE_POST, **POST("private_evaluation"), variant="private"),
    Row("tables:evaluation_close", MANAGE_PUBLIC, kwargs=pk("public_evaluation"), variant="confirm"),
    Row("tables:evaluation_close", MANAGE_PRIVATE, kwargs=pk("private_evaluation"), variant="private confirm"),
    # Reopening and publishing: confirmation pages; posting on an open evaluation is refused with a message.
    Row("tables:evaluation_reopen", MANAGE_PUBLIC, kwargs=pk("public_evaluation")),
    Row("tables:evaluation_reopen", MANAGE_PRIVATE, kwargs=pk("private_evaluation"), variant="private"),
    Row("tables:evaluation_publish", MANAGE_PUBLIC, kwargs=pk("public_evaluation")),
    Row("tables:evaluation_publish", MANAGE_PRIVATE, kwargs=pk("private_evaluation"), variant="private"),
    Row("tables:evaluation_publish", MANAGE_PUBLIC_POST, **POST("public_evaluation"), variant="post"),
    Row("tables:evaluation_export", MANAGE_PUBLIC, kwargs=pk("public_evaluation")),
    Row("tables:evaluation_export", MANAGE_PRIVATE, kwargs=pk("private_evaluation"), variant="private"),
    # Messages: the table's people read them (not the public, not other tables' people); its
    # coordinators write them (a preview first, then the send) and export its contact list.
    Row("tables:messages", (LOGIN, 200, 403, 200, 200, 403, 200), kwargs=pk("public_table")),
    Row("tables:messages", PRIVATE_VISIBLE, kwargs=pk("private_table"), variant="private"),
    Row("tables:message_detail", (LOGIN, 200, 403, 200, 200, 403, 200), kwargs=pk("public_message")),
    Row("tables:message_detail", PRIVATE_VISIBLE, kwargs=pk("private_message"), variant="private"),
    Row("tables:message_compose", MANAGE_PUBLIC, kwargs=pk("public_table")),
    Row("tables:message_compose", MANAGE_PRIVATE, kwargs=pk("private_table"), variant="private"),
    Row("tables:message_compose", MANAGE_PUBLIC, variant="confirm",
        **POST("public_table", lambda w: {"subject_fi": "Aihe", "body_fi": "Viesti.", "preview": "1"})),
    Row("tables:message_compose", MANAGE_PRIVATE, variant="private confirm",
        **POST("private_table", lambda w: {"subject_fi": "Aihe", "body_fi": "Viesti.", "preview": "1"})),
    Row("tables:message_compose", MANAGE_PUBLIC_POST, variant="send",
        **POST("public_table", lambda w: {"subject_fi": "Aihe", "body_fi": "Viesti.", "send": "1"})),
    Row("tables:message_compose", MANAGE_PRIVATE_POST, variant="private send",
        **POST("private_table", lambda w: {"subject_fi": "Aihe", "body_fi": "Viesti.", "send": "1"})),
    Row("tables:contacts_export", MANAGE_PUBLIC, kwargs=pk("public_table")),
    Row("tables:contacts_export", MANAGE_PRIVATE, kwargs=pk("private_table"), variant="private"),
    # The audit history (issue 13): for those who run the table (its coordinators, its owner) and admins.
    Row("tables:history", MANAGE_PUBLIC, kwargs=pk("public_table")),
    Row("tables:history", MANAGE_PRIVATE, kwargs=pk("private_table"), variant="private"),
    Row("tables:history", MANAGE_PUBLIC, kwargs=pk("public_table"), query=lambda w: "?kind=members&page=2",
        variant="filtered"),
    # --- Meetings -----------------------------------------------------------------------------
    Row("meetings:create", MANAGE_PUBLIC, query=lambda w: f"?table={w.public_table.pk}"),
    Row("meetings:create", MANAGE_PRIVATE, query=lambda w: f"?table={w.private_table.pk}", variant="private"),
    Row("meetings:table_meetings", ALL, kwargs=lambda w: {"table_id": w.public_table.pk}),
    Row("meetings:table_meetings", PRIVATE_VISIBLE, kwargs=lambda w: {"table_id": w.private_table.pk},
        variant="private"),
    Row("meetings:detail", ALL, kwargs=pk("public_meeting")),
    Row("meetings:detail", PRIVATE_VISIBLE, kwargs=pk("private_meeting"), variant="private"),
    Row("meetings:detail", (LOGIN, 404, 404, 404, 200, 404, 200), kwargs=pk("draft_meeting"), variant="draft"),
    Row("meetings:ics", ALL, kwargs=pk("public_meeting")),
    Row("meetings:ics", PRIVATE_VISIBLE, kwargs=pk("private_meeting"), variant="private"),
    Row("meetings:edit", MANAGE_PUBLIC, kwargs=pk("public_meeting")),
    Row("meetings:edit", MANAGE_PRIVATE, kwargs=pk("private_meeting"), variant="private"),
    Row("meetings:schedule", (LOGIN, 404, 404, 404, 200, 404, 200), kwargs=pk("draft_meeting")),
    Row("meetings:add_invitees", MANAGE_PUBLIC, kwargs=pk("public_meeting")),
    Row("meetings:add_invitees", MANAGE_PRIVATE, kwargs=pk("private_meeting"), variant="private"),
    Row("meetings:retry_failed", MANAGE_PUBLIC_POST, **POST("public_meeting")),
    Row("meetings:retry_failed", MANAGE_PRIVATE_POST, **POST("private_meeting"), variant="private"),
    Row("meetings:cancel", MANAGE_PUBLIC, kwargs=pk("public_meeting")),
    Row("meetings:cancel", MANAGE_PRIVATE, kwargs=pk("private_meeting"), variant="private"),
    # Only a draft nobody was invited to is deleted (the others are sent back to the meeting page).
    Row("meetings:delete", (LOGIN, 404, 404, 404, 200, 404, 200), kwargs=pk("draft_meeting")),
    Row("meetings:delete", (LOGIN, 404, 404, 404, 302, 404, 302), **POST("draft_meeting"), variant="confirmed"),
    Row("meetings:delete", MANAGE_PUBLIC_POST, kwargs=pk("public_meeting"), variant="scheduled"),
    Row("meetings:copy", MANAGE_PUBLIC, kwargs=pk("public_meeting")),
    Row("meetings:copy", MANAGE_PRIVATE, kwargs=pk("private_meeting"), variant="private"),
    Row("meetings:copy", (LOGIN, 404, 404, 404, 200, 404, 200), kwargs=pk("draft_meeting"), variant="draft"),
    Row("meetings:attendees_csv", MANAGE_PUBLIC, kwargs=pk("public_meeting")),
    Row("meetings:attendees_csv", MANAGE_PRIVATE, kwargs=pk("private_meeting"), variant="private"),
    # The chairing organisation's representative prepares the agenda with the coordinators.
    Row("meetings:agenda_add", (LOGIN, 403, 403, 200, 200, 403, 200), kwargs=pk("public_meeting")),
    Row("meetings:agenda_add", (LOGIN, 403, 404, 200, 200, 404, 200), kwargs=pk("private_meeting"),
        variant="private"),
    Row("meetings:agenda_propose", (LOGIN, 200, 403, 200, 200, 403, 200), kwargs=pk("public_meeting")),
    Row("meetings:agenda_propose", PRIVATE_VISIBLE, kwargs=pk("private_meeting"), variant="private"),
    Row("meetings:agenda_decide", (LOGIN, 403, 403, 302, 302, 403, 302),
        **POST("public_item", lambda w: {"decision": "accept"}, key="item_pk")),
    Row("meetings:agenda_decide", (LOGIN, 403, 404, 302, 302, 404, 302),
        **POST("private_item", lambda w: {"decision": "accept"}, key="item_pk"), variant="private"),
    Row("meetings:agenda_move", (LOGIN, 403, 403, 302, 302, 403, 302),
        **POST("public_item", lambda w: {"direction": "up"}, key="item_pk")),
    Row("meetings:agenda_move", (LOGIN, 403, 404, 302, 302, 404, 302),
        **POST("private_item", lambda w: {"direction": "up"}, key="item_pk"), variant="private"),
    # Editing and deleting an item: the chair (the representative's organisation chairs) and coordinators.
    Row("meetings:agenda_edit", (LOGIN, 403, 403, 200, 200, 403, 200), kwargs=pk("public_item", "item_pk")),
    Row("meetings:agenda_edit", (LOGIN, 403, 404, 200, 200, 404, 200), kwargs=pk("private_item", "item_pk"),
        variant="private"),
    Row("meetings:agenda_delete", (LOGIN, 403, 403, 200, 200, 403, 200), kwargs=pk("public_item", "item_pk")),
    Row("meetings:agenda_delete", (LOGIN, 403, 404, 200, 200, 404, 200), kwargs=pk("private_item", "item_pk"),
        variant="private"),
    Row("meetings:agenda_delete", (LOGIN, 403, 403, 302, 302, 403, 302), **POST("public_item", key="item_pk"),
        variant="confirmed"),
    Row("meetings:agenda_delete", (LOGIN, 403, 404, 302, 302, 404, 302), **POST("private_item", key="item_pk"),
        variant="private, confirmed"),
    # The invited answer; a coordinator who is not invited has nothing to answer. Admins may do
    # anything (Django gives superusers every permission): answering registers them.
    # Everyone in the world who may see the meeting is invited or manages it: nobody has anything to ask
    # (the admin, as a superuser, may do anything). The asking itself: meetings/tests/test_invitation_requests.py.
    Row("meetings:invitation_request", (LOGIN, 403, 403, 403, 403, 403, 302), **POST("public_meeting")),
    Row("meetings:invitation_request", (LOGIN, 403, 404, 403, 403, 404, 302), **POST("private_meeting"),
        variant="private"),
    Row("meetings:invitation_request_decide", MANAGE_PUBLIC_POST,
        **POST("invitation_request", lambda w: {"approve": "1"})),
    Row("meetings:rsvp", (LOGIN, 302, 403, 302, 403, 403, 302),
        **POST("public_meeting", lambda w: {"response": "in_person"})),
    Row("meetings:rsvp", (LOGIN, 302, 404, 302, 403, 404, 302),
        **POST("private_meeting", lambda w: {"response": "online"}), variant="private"),
    # The signed link is the key: it works for whoever holds it, signed in or not.
    Row("meetings:rsvp_link", ALL, kwargs=lambda w: {"token": w.rsvp_token}),
    Row("meetings:rsvp_link", (400,) * 7, kwargs=lambda w: {"token": w.rsvp_token[:-1] + "x"}, variant="forged"),
    Row("meetings:mine", SIGNED_IN),
    Row("meetings:attendance", MANAGE_PUBLIC, kwargs=pk("past_public_meeting")),
    Row("meetings:attendance", MANAGE_PRIVATE, kwargs=pk("past_private_meeting"), variant="private"),
    Row("meetings:minutes", ALL, kwargs=pk("past_public_meeting")),
    Row("meetings:minutes", PRIVATE_VISIBLE, kwargs=pk("past_private_meeting"), variant="private"),
    Row("meetings:minutes_edit", MANAGE_PUBLIC, kwargs=pk("past_public_meeting")),
    Row("meetings:minutes_edit", MANAGE_PRIVATE, kwargs=pk("past_private_meeting"), variant="private"),
    Row("meetings:close", MANAGE_PUBLIC, kwargs=pk("past_public_meeting")),
    Row("meetings:close", MANAGE_PRIVATE, kwargs=pk("past_private_meeting"), variant="private"),
    # The owner (member) and the minutes' writers; for anyone else the item is not there.
    Row("meetings:action_item_status", (LOGIN, 302, 404, 404, 302, 404, 302),
        **POST("public_action_item", lambda w: {"status": "done"})),
    Row("meetings:action_item_status", (LOGIN, 302, 404, 404, 302, 404, 302),
        **POST("private_action_item", lambda w: {"status": "done"}), variant="private"),
    # A table's action items: whoever may see its minutes; the items to reassign are the person's own
    # list (empty unless they coordinate); reassigning is for the table's coordinators.
    Row("meetings:table_actions", ALL, kwargs=lambda w: {"table_id": w.public_table.pk}),
    Row("meetings:table_actions", PRIVATE_VISIBLE, kwargs=lambda w: {"table_id": w.private_table.pk},
        variant="private"),
    Row("meetings:actions_to_reassign", SIGNED_IN),
    Row("meetings:action_item_reassign", MANAGE_PUBLIC, kwargs=pk("public_action_item")),
    Row("meetings:action_item_reassign", MANAGE_PRIVATE, kwargs=pk("private_action_item"), variant="private"),
    Row("meetings:table_minutes", ALL, kwargs=lambda w: {"table_id": w.public_table.pk}),
    Row("meetings:table_minutes", PRIVATE_VISIBLE, kwargs=lambda w: {"table_id": w.private_table.pk},
        variant="private"),
    Row("meetings:table_statistics", MANAGE_PUBLIC, kwargs=lambda w: {"table_id": w.public_table.pk}),
    Row("meetings:table_statistics", MANAGE_PRIVATE, kwargs=lambda w: {"table_id": w.private_table.pk},
        variant="private"),
    Row("meetings:table_statistics_csv", MANAGE_PUBLIC, kwargs=lambda w: {"table_id": w.public_table.pk}),
    Row("meetings:table_statistics_csv", MANAGE_PRIVATE, kwargs=lambda w: {"table_id": w.private_table.pk},
        variant="private"),
    # The county statistics: the county's coordinators and admins (not a coordinator named on one table only).
    Row("meetings:county_statistics", MANAGE_PUBLIC, kwargs=lambda w: {"area_id": w.public_table.welfare_area_id}),
    Row("meetings:county_statistics_csv", MANAGE_PUBLIC,
        kwargs=lambda w: {"area_id": w.public_table.welfare_area_id, "section": "participation"}),
    Row("meetings:county_statistics_csv", MANAGE_PUBLIC,
        kwargs=lambda w: {"area_id": w.public_table.welfare_area_id, "section": "evaluations"}, variant="evaluations"),
    Row("meetings:county_statistics_csv", (LOGIN, 403, 403, 403, 404, 403, 404),
        kwargs=lambda w: {"area_id": w.public_table.welfare_area_id, "section": "nothing"}, variant="unknown"),
    # An organisation's representation: its members (representatives too), its county's coordinators,
    # admins; a pending organisation is not revealed to those who may not see its page.
    Row("meetings:representation", (LOGIN, 200, 403, 200, 200, 403, 200), kwargs=pk("organisation")),
    Row("meetings:representation", (LOGIN, 403, 200, 403, 403, 200, 200), kwargs=pk("other_organisation"),
        variant="other-county"),
    Row("meetings:representation", (LOGIN, 404, 404, 404, 200, 404, 200), kwargs=pk("pending_organisation"),
        variant="pending"),
    Row("meetings:representation_overview", COORDINATORS),
    Row("meetings:feed_table", ALL, kwargs=lambda w: {"table_id": w.public_table.pk}),
    Row("meetings:feed_table", (404,) * 7, kwargs=lambda w: {"table_id": w.private_table.pk}, variant="private"),
    Row("meetings:feed_reset", SIGNED_IN),
    # The secret in the address is the key to the member's feed.
    Row("meetings:feed_personal", ALL, kwargs=lambda w: {"token": w.users["member"].calendar_token}),
    Row("meetings:feed_personal", (404,) * 7, kwargs=lambda w: {"token": w.users["member"].calendar_token[:-1]},
        variant="guessed"),
]


# --- The tests -----------------------------------------------------------------------------------


def _walk(patterns, namespace=None, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _walk(pattern.url_patterns, full, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, prefix + str(pattern.pattern)


def url_patterns() -> list[tuple[str | None, str]]:
    """(name, route) of every URL pattern the project serves."""
    return list(_walk(get_resolver().url_patterns))


def test_every_url_pattern_has_a_row():
    names = set()
    for name, route in url_patterns():
        if route.startswith("admin/"):
            continue  # one rule for the admin: test_the_admin_is_for_staff_only
        assert name, f"the URL pattern {route!r} has no name, so it cannot have a row in MATRIX"
        names.add(name)
    in_table = {row.name for row in MATRIX}
    assert not names - in_table, f"URLs without a row in MATRIX (say who may use them): {sorted(names - in_table)}"
    assert not in_table - names, f"rows in MATRIX for URLs that no longer exist: {sorted(in_table - names)}"


def test_every_row_has_one_answer_per_role():
    for row in MATRIX:
        assert len(row.expect) == len(ROLES), row.id
    ids = [row.id for row in MATRIX]
    assert len(ids) == len(set(ids)), "two rows with the same name and variant"


def section(row: Row) -> str:
    """The rows are run in groups (one world per group, not per row: building it is the slow part)."""
    if row.name.startswith("account_"):
        return "allauth"
    return row.name.partition(":")[0] if ":" in row.name else "site"


SECTIONS = sorted({section(row) for row in MATRIX})


@pytest.mark.parametrize("name", SECTIONS)
def test_permission_matrix(name, world, clients):
    wrong = []
    rows = [row for row in MATRIX if section(row) == name]
    for row in rows:
        url = row.url(world)
        for role, expected in zip(ROLES, row.expect, strict=True):
            response = fetch(clients[role], row.method, url, row.data(world))
            # Each cell is measured as its role: signed in as that person, or not signed in.
            person = None if row.signs_out else world.users.get(role)
            assert response.wsgi_request.user.pk == (person.pk if person else None), (row.id, role)
            got = outcome(response)
            if got != expected:
                wrong.append(
                    f"  {row.id:<40} {row.method.upper():<4} {url:<45} {role:<18} "
                    f"expected {expected!s:<6} got {got} {response.get('Location', '')}"
                )
    assert not wrong, f"{len(wrong)} of {len(rows) * len(ROLES)} answers differ from MATRIX:\n" + "\n".join(wrong)


# --- The admin: one rule -------------------------------------------------------------------------


def _first_pk(model) -> str:
    first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    return str(first if first is not None else 0)


def _first_history_pk(model) -> str:
    history = getattr(model, "history", None)
    first = history.order_by("pk").values_list("pk", flat=True).first() if history is not None else None
    return str(first if first is not None else 0)


def admin_urls(world: World) -> dict[str, str]:
    """Every named admin URL with its kwargs filled from the world's objects."""
    urls = {}
    for model, model_admin in admin.site._registry.items():
        for pattern in model_admin.urls:
            if not pattern.name:
                continue
            regex = pattern.pattern.regex
            kwargs = {}
            for key in regex.groupindex:
                assert key in ("object_id", "id"), f"admin URL {pattern.name} has an unknown kwarg {key}"
                kwargs[key] = _first_pk(model)
            # django-simple-history's "history/<history_id>/" is a regex with unnamed groups.
            args = [] if kwargs else [_first_pk(model), _first_history_pk(model)][: regex.groups]
            urls[f"admin:{pattern.name}"] = reverse(f"admin:{pattern.name}", args=args, kwargs=kwargs)
    organisation_type = ContentType.objects.get_for_model(world.organisation)
    urls.update(
        {
            "admin:index": reverse("admin:index"),
            "admin:login": reverse("admin:login"),
            "admin:logout": reverse("admin:logout"),
            "admin:password_change": reverse("admin:password_change"),
            "admin:password_change_done": reverse("admin:password_change_done"),
            "admin:autocomplete": reverse("admin:autocomplete"),
            "admin:jsi18n": reverse("admin:jsi18n"),
            "admin:view_on_site": reverse(
                "admin:view_on_site", args=[organisation_type.pk, world.organisation.pk]
            ),
            "admin:app_list": reverse("admin:app_list", kwargs={"app_label": "organisations"}),
        }
    )
    return urls


def test_the_admin_is_for_staff_only(world, clients):
    """Every admin URL: people who are not staff are sent to the admin's sign-in page; the admin gets
    the page (or a redirect within the admin), never the sign-in page or an error."""
    urls = admin_urls(world)
    named = {name for name, route in url_patterns() if route.startswith("admin/") and name}
    assert named == set(urls), f"admin URLs not walked: {sorted(named - set(urls))}"
    urls["catch-all"] = "/admin/no-such-page/"
    request = RequestFactory().get("/admin/")
    request.user = world.users["admin"]
    addable = {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_add": model_admin.has_add_permission(request)
        for model, model_admin in admin.site._registry.items()
    }
    wrong = []
    for name, url in sorted(urls.items()):
        for role in ROLES:
            response = fetch(clients[role], "get", url)
            got = outcome(response)
            if role == "admin":
                ok = got not in (ADMIN_LOGIN, LOGIN) and got < 500
                if name.endswith("_changelist") or name in ("admin:index", "admin:app_list"):
                    ok = got == 200
                elif name in addable:
                    # Meetings, invitations and reminders are made by the services, not in the admin.
                    ok = got == (200 if addable[name] else 403)
            elif name == "admin:login":
                # No password form of its own: allauth's rate-limited sign-in (kumppanuus/sites.py),
                # and a signed-in person who is not staff is told they lack the right.
                ok = got == (LOGIN if role == "anonymous" else 403)
            elif name == "admin:logout":
                ok = got == 302 and response["Location"] == reverse("admin:index")  # which sends on to sign in
            else:
                ok = got == ADMIN_LOGIN
            if not ok:
                wrong.append(f"  {name} {url} {role}: {got} {response.get('Location', '')}")
    assert not wrong, "admin URLs that break the staff-only rule:\n" + "\n".join(wrong)


# Keep the world importable for the IDOR tests (test_security.py).
__all__ = ["World", "world", "clients", "fetch", "outcome", "PUBLIC_LINK", "PRIVATE_LINK", "PAST_LINK"]

