"""Demo data for what waits for someone (issue 13): a new organisation registration, a request to join
an organisation, a request for a seat at a table, a request for an invitation, a message in each
table's archive and a role nomination waiting for its answer, each made through the service a person
would use, so the demo is what the product would produce (and the coordinator's "Waiting for you"
list is full).

The people asking are not demo logins: they have no password. Run as often as you like: each thing is
made only when it is not there yet.
"""

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from meetings.models import InvitationRequest, Meeting, MeetingStatus
from meetings.services import invitation_request_create
from organisations.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Municipality,
    Organisation,
    OrganisationKind,
    Theme,
    WelfareArea,
)
from organisations.services import membership_request, organisation_register
from tables.models import ProcessRole, RoleAssignment, RoleSlug, StandingMember, TableMessage
from tables.services import role_assignment_create, standing_member_request, table_message_send

AREA_CODE = "PO"
HOME = "Vaasan Mielenterveysyhdistys ry"

# key, e-mail, name, language
PEOPLE = [
    ("founder", "pekka.perustaja@demo.kumppanuus.fi", "Pekka Perustaja", "fi"),
    ("joiner", "lina.lindqvist@demo.kumppanuus.fi", "Lina Lindqvist", "sv"),
    ("asker", "mikko.mukana@demo.kumppanuus.fi", "Mikko Mukana", "fi"),
    ("applicant", "sara.sundqvist@demo.kumppanuus.fi", "Sara Sundqvist", "sv"),
]
# An approved organisation whose representative asks for a seat at the first table.
APPLICANT_ORGANISATION = "Folkhälsan i Österbotten"
NEW_ORGANISATION = "Vaasan Vertaisohjaajat ry"
# Someone outside the county, named by address: the nomination waits until they sign up and accept.
NOMINEE = "kokemusasiantuntija.demo@example.org"

MESSAGES = {
    "fi": ("Talven kokouksen materiaalit", "Hei,\n\ntalven kokouksen taustamateriaali on nyt kokouksen sivulla. "
           "Tutustuttehan palvelutarpeiden kartoituksen tuloksiin ennen kokousta.\n\nTerveisin\nKaisa"),
    "sv": ("Material till vintermötet", "Hej,\n\nbakgrundsmaterialet till vintermötet finns nu på mötets sida. "
           "Bekanta er gärna med resultaten av kartläggningen av servicebehoven före mötet.\n\nHälsningar\nKaisa"),
}


def _people() -> dict:
    people = {}
    for key, email, full_name, language in PEOPLE:
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name, "language": language})
        if created:
            user.set_unusable_password()
            user.save()
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        people[key] = user
    return people


def load(*, users: dict, tables: list) -> None:
    area = WelfareArea.objects.get(code=AREA_CODE)
    coordinator = users["coordinator"]
    people = _people()
    home = Organisation.objects.get(name=HOME)

    # A new organisation registers itself and waits for the coordinator's review.
    if not Organisation.objects.filter(name=NEW_ORGANISATION).exists():
        organisation_register(
            actor=people["founder"], name=NEW_ORGANISATION, kind=OrganisationKind.REGISTERED_ASSOCIATION,
            welfare_area=area,
            description="Koulutettuja vertaisohjaajia mielenterveys- ja päihdekuntoutujien ryhmiin Vaasan seudulla.",
            themes=Theme.objects.filter(slug__in=["mental-health", "substance-abuse"]),
            municipalities=Municipality.objects.filter(welfare_area=area, code__in=["905", "499"]),
        )

    # Someone asks to join the demo people's organisation: its representative (or the coordinator) decides.
    if not Membership.objects.filter(user=people["joiner"], organisation=home).exists():
        membership_request(
            user=people["joiner"], organisation=home,
            message="Jag är ny volontär i kamratstödsgruppen i Vasa och vill följa partnerskapsborden.",
        )

    # A member of a standing organisation, not invited, asks for an invitation to the next meeting.
    Membership.objects.get_or_create(
        user=people["asker"], organisation=home,
        defaults={"role": MembershipRole.MEMBER, "status": MembershipStatus.APPROVED},
    )
    upcoming = (
        Meeting.objects.filter(table=tables[0], status=MeetingStatus.SCHEDULED).order_by("starts_at").first()
        if tables else None
    )
    if (
        upcoming is not None
        and not InvitationRequest.objects.filter(meeting=upcoming, user=people["asker"]).exists()
        and people["asker"].has_perm("meetings.request_invitation", upcoming)
    ):
        invitation_request_create(actor=people["asker"], meeting=upcoming)

    # Another organisation asks for a seat at the first table; the coordinators decide.
    applicant = Organisation.objects.filter(name=APPLICANT_ORGANISATION).first()
    if applicant is not None and tables:
        Membership.objects.get_or_create(
            user=people["applicant"], organisation=applicant,
            defaults={"role": MembershipRole.REPRESENTATIVE, "status": MembershipStatus.APPROVED},
        )
        if not StandingMember.objects.filter(table=tables[0], organisation=applicant).exists():
            standing_member_request(actor=people["applicant"], table=tables[0], organisation=applicant)

    for table in tables:
        # A message in the table's archive (sent to its people, in their language).
        if not TableMessage.objects.filter(table=table).exists():
            table_message_send(
                actor=coordinator, table=table, subject_fi=MESSAGES["fi"][0], body_fi=MESSAGES["fi"][1],
                subject_sv=MESSAGES["sv"][0], body_sv=MESSAGES["sv"][1],
            )
    # An experience expert from outside the county is nominated on the second table and has not answered yet.
    role = ProcessRole.objects.filter(slug=RoleSlug.EXPERIENCE_EXPERT).first()
    if role is not None and len(tables) > 1 and not RoleAssignment.objects.filter(email=NOMINEE).exists():
        role_assignment_create(
            actor=coordinator, table=tables[-1], role=role, email=NOMINEE,
            valid_from=timezone.localdate(),
        )
