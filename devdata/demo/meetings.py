"""Demo data for meetings (issue 13: a county in full use): each demo table has a history of held
meetings with attendance, published minutes, decisions and action items (done, overdue, carried on
with a follow-up, some the demo people's own), and an upcoming meeting scheduled through the
services, with invitations sent, answers given (one person on the waiting list) and topic proposals
waiting for the coordinator. Last year's annual evaluation is closed with answers and its results
published; this year's is open with answers given through the service.

Run as often as you like: held meetings are found by their title, the upcoming meeting is made only
when the table has none, and nothing is added twice.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from devdata.demo import swedish
from meetings.models import (
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    Decision,
    FollowUpOutcome,
    Invitation,
    InvitationSource,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    Minutes,
)
from meetings.services import agenda_item_propose, meeting_create, meeting_schedule, rsvp_record_for_user
from meetings.services.actions import action_item_follow_up
from outbox.models import OutboxStatus
from tables.models import (
    AnnualEvaluation,
    EvaluationAnswer,
    EvaluationResponse,
    EvaluationStatus,
    QuestionKind,
    StandingMemberStatus,
)
from tables.permissions import can_answer_evaluation
from tables.services import evaluation_publish_results, evaluation_respond

HELSINKI = ZoneInfo("Europe/Helsinki")

# title (fi), days ago, agenda (fi), decisions, action items: (what, days from the meeting to the due date,
# done, owner: "coordinator", "organisation" (the first standing member), or the demo "representative" or
# "member" where their organisation sits at the table)
HISTORY = [
    (
        "Vuoden ensimmäinen kokous",
        150,
        ["Kuulumiskierros: järjestöjen ajankohtaiset", "Pöydän vuosisuunnitelma", "Järjestöavustusten haku"],
        ["Vuosisuunnitelma hyväksyttiin esitetyssä muodossa."],
        [("Kootaan järjestöjen tapahtumat yhteiseen kalenteriin", 30, True, "coordinator"),
         ("Selvitetään kokoustilat Seinäjoella ja Kokkolassa", 45, True, "coordinator")],
    ),
    (
        "Kevään kokous",
        90,
        ["Kuulumiskierros", "Mielenterveysviikon yhteinen tapahtuma", "Kokemusasiantuntijoiden palkkiot"],
        ["Mielenterveysviikon tapahtuma järjestetään yhdessä Vaasan kaupunginkirjastossa.",
         "Kokemusasiantuntijoiden palkkioperiaatteet valmistellaan seuraavaan kokoukseen."],
        [("Valmistellaan esitys kokemusasiantuntijoiden palkkioperiaatteista", 40, False, "representative"),
         ("Varataan kirjaston tila mielenterveysviikolle", 20, True, "coordinator"),
         ("Kootaan järjestöjen palaute avustushaun aikataulusta", 50, False, "member")],
    ),
    (
        "Syksyn kokous",
        30,
        ["Kuulumiskierros", "Palvelutarpeiden kartoitus 2027", "Vuosiarvioinnin valmistelu"],
        ["Palvelutarpeiden kartoitus tehdään yhdessä järjestöjen kanssa tammikuussa."],
        [("Lähetetään kartoituksen kysymysluonnos järjestöille kommentoitavaksi", 10, False, "organisation"),
         ("Sovitaan vuosiarvioinnin aikataulu omistajan kanssa", 60, False, "coordinator"),
         ("Päivitetään järjestön yhteyshenkilöt pöydän jakelulistalle", 40, False, "member")],
    ),
]

# What a later meeting decided about an earlier meeting's open item (ActionItemFollowUp, recorded
# through the service as the minutes form does): meeting, item, outcome, note, new due date (days from today).
FOLLOW_UPS = [
    ("Syksyn kokous", "Valmistellaan esitys kokemusasiantuntijoiden palkkioperiaatteista", FollowUpOutcome.CARRIED,
     "Luonnos on valmis; se käsitellään talven kokouksessa omistajan kommenttien jälkeen.", 21),
    ("Syksyn kokous", "Kootaan järjestöjen palaute avustushaun aikataulusta", FollowUpOutcome.DONE,
     "Palaute koottiin kyselyllä; yhteenveto on pöytäkirjan liitteenä.", None),
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=HELSINKI)


def _table_people(table) -> list:
    """(organisation, person) for each active standing member; person is None where nobody is named."""
    members = table.standing_members.filter(status=StandingMemberStatus.ACTIVE).select_related(
        "organisation", "representative"
    )
    return [(member.organisation, member.representative) for member in members.order_by("organisation__name")]


def _home_seat(table, users):
    """The demo people's organisation's seat at the table, if it sits there."""
    return table.standing_members.filter(
        status=StandingMemberStatus.ACTIVE, representative=users["representative"]
    ).select_related("organisation").first()


def _held_meeting(table, users, title, days_ago, agenda, decisions, actions, index) -> Meeting:
    coordinator = users["coordinator"]
    existing = Meeting.objects.filter(table=table, title=title).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    day = today - datetime.timedelta(days=days_ago)
    starts_at = _at(day, 13)
    meeting = Meeting.objects.create(
        table=table, title=title, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2),
        format=MeetingFormat.HYBRID, address="Vaasan keskussairaala, Hietalahdenkatu 2–4, kokoushuone 3",
        online_link="https://teams.example.org/demo-kumppanuuspoyta", status=MeetingStatus.HELD,
        scheduled_at=starts_at - datetime.timedelta(days=21), created_by=coordinator,
    )
    items = [
        AgendaItem.objects.create(meeting=meeting, title=text, position=position, status=AgendaItemStatus.ACCEPTED,
                                  duration_minutes=20)
        for position, text in enumerate(agenda, start=1)
    ]
    sent = {"delivery_status": OutboxStatus.SENT, "sent_at": meeting.scheduled_at, "queued_at": meeting.scheduled_at}
    for position, (organisation, person) in enumerate(_table_people(table)):
        invitation = None
        if person is not None:
            invitation = Invitation.objects.create(
                meeting=meeting, user=person, email=person.email, name=person.full_name, language=person.language,
                organisation=organisation, source=InvitationSource.STANDING_MEMBER, **sent,
            )
        # Most organisations come; one in three misses a meeting in turn, so the statistics have shape.
        attended = (position + index) % 3 != 0
        Attendance.objects.create(
            meeting=meeting, organisation=organisation, user=person, invitation=invitation, attended=attended,
            online=attended and position % 2 == 1, recorded_by=coordinator,
        )
    # The coordinator is invited as the table's coordinator, and the substitute was asked too, so their
    # pages list the meetings they were at.
    seat = _home_seat(table, users)
    extra = [(coordinator, None, InvitationSource.ROLE)]
    if seat is not None and seat.substitute is not None:
        extra.append((seat.substitute, seat.organisation, InvitationSource.STANDING_MEMBER))
    for person, organisation, source in extra:
        if not meeting.invitations.filter(user=person).exists():
            Invitation.objects.create(
                meeting=meeting, user=person, email=person.email, name=person.full_name, language=person.language,
                organisation=organisation, source=source, **sent,
            )
    minutes = Minutes.objects.create(
        meeting=meeting, published_at=starts_at + datetime.timedelta(days=5), published_by=coordinator,
        updated_by=coordinator,
        body_markdown="\n".join(f"{number}. **{item.title}** – käsiteltiin." for number, item in enumerate(items, 1)),
    )
    for position, text in enumerate(decisions, start=1):
        Decision.objects.create(minutes=minutes, agenda_item=items[min(position, len(items) - 1)], text=text,
                                position=position)
    people = _table_people(table)
    for what, due_in, done, owner in actions:
        owner_user, owner_organisation = None, people[0][0] if people else None
        if owner == "coordinator" or not people:
            owner_user, owner_organisation = coordinator, None
        elif owner in ("representative", "member") and seat is not None:
            owner_user, owner_organisation = users[owner], seat.organisation
        ActionItem.objects.create(
            meeting=meeting, what=what, owner_user=owner_user, owner_organisation=owner_organisation,
            due_on=day + datetime.timedelta(days=due_in),
            status=ActionItemStatus.DONE if done else ActionItemStatus.OPEN,
            completed_at=starts_at + datetime.timedelta(days=due_in - 2) if done else None, created_by=coordinator,
        )
    return meeting


def _follow_ups(table, coordinator) -> None:
    """Later meetings' decisions on earlier open items: done, or carried on with a new due date."""
    for meeting_title, what, outcome, note, due_in in FOLLOW_UPS:
        meeting = Meeting.objects.filter(table=table, title=meeting_title).first()
        item = ActionItem.objects.filter(meeting__table=table, what=what).first()
        if meeting is None or item is None or item.follow_ups.exists():
            continue
        new_due_on = timezone.localdate() + datetime.timedelta(days=due_in) if due_in is not None else None
        action_item_follow_up(actor=coordinator, meeting=meeting, action_item=item, outcome=outcome, note=note,
                              new_due_on=new_due_on)


def _upcoming_meeting(table, users, *, capacity: int | None) -> Meeting:
    """The table's next meeting, scheduled through the services as a coordinator would: the invitations
    leave through the outbox (printed to the console by make run), and the demo people answer."""
    upcoming = Meeting.objects.filter(table=table, starts_at__gt=timezone.now()).exclude(
        status=MeetingStatus.CANCELLED
    )
    if upcoming.exists():
        return upcoming.first()
    coordinator, representative, member = users["coordinator"], users["representative"], users["member"]
    starts_at = _at(timezone.localdate() + datetime.timedelta(days=14), 13)
    description = "Vuoden viimeinen kokous: palvelutarpeiden kartoitus ja ensi vuoden kokousaikataulu."
    meeting = meeting_create(
        actor=coordinator, table=table, title="Talven kokous", starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2), format=MeetingFormat.HYBRID,
        description=description, title_sv=swedish.MEETINGS["Talven kokous"],
        description_sv=swedish.MEETING_DESCRIPTIONS[description],
        address="Vaasan keskussairaala, Hietalahdenkatu 2–4, kokoushuone 3",
        online_link="https://teams.example.org/demo-kumppanuuspoyta", capacity=capacity,
    )
    for position, text in enumerate(["Kuulumiskierros", "Palvelutarpeiden kartoitus: tulokset",
                                     "Kokousaikataulu 2027"], start=1):
        AgendaItem.objects.create(meeting=meeting, title_fi=text, title_sv=swedish.AGENDA.get(text),
                                  position=position, status=AgendaItemStatus.ACCEPTED, duration_minutes=30)
    # The Swedish texts before the invitations go: the representative reads the service in Swedish.
    meeting_schedule(actor=coordinator, meeting=meeting)
    invited = set(meeting.invitations.values_list("user_id", flat=True))
    if representative.pk in invited:
        rsvp_record_for_user(user=representative, meeting=meeting, response="in_person",
                             note="Tulen paikan päälle. / Jag kommer på plats.")
    if member.pk in invited:
        # With one seat in the room, the second "in person" answer goes to the waiting list.
        rsvp_record_for_user(user=member, meeting=meeting, response="in_person")
    if representative.pk in invited:
        agenda_item_propose(
            actor=representative, meeting=meeting, title="Vertaistukiryhmien tilat ensi vuonna",
            description="Ehdotamme, että pöytä selvittää hyvinvointialueen tilojen käyttöä vertaisryhmille.",
        )
    if member.pk in invited:
        agenda_item_propose(
            actor=member, meeting=meeting, title="Kokemusasiantuntijoiden koulutus keväällä",
            description="Järjestöt voisivat kouluttaa kokemusasiantuntijoita yhdessä; pyydän puheenvuoroa.",
        )
    return meeting


def _scale_answer(question, score: int) -> int:
    return min(5, score + question.position % 2)


TEXT_ANSWER = "Yhteistyö on tiivistynyt; kokouksiin toivotaan lisää aikaa."


def _evaluations(table, users) -> None:
    """Last year's evaluation closed with answers and its results published; this year's (open, made
    by tables' demo) answered through the service by those of the demo people who may answer it."""
    this_year = AnnualEvaluation.objects.filter(table=table, year=timezone.localdate().year).first()
    if this_year is None:
        return
    last_year, created = AnnualEvaluation.objects.get_or_create(
        table=table, year=this_year.year - 1,
        defaults={
            "template": this_year.template,
            "opens_on": this_year.opens_on.replace(year=this_year.year - 1),
            "due_on": this_year.due_on.replace(year=this_year.year - 1),
            "status": EvaluationStatus.CLOSED,
            "opened_at": timezone.now() - datetime.timedelta(days=365),
            "closed_at": timezone.now() - datetime.timedelta(days=330),
        },
    )
    # Last year's answers were given while it was open, a year ago: written as they were kept.
    for person, score in ((users["representative"], 3), (users["coordinator"], 4)):
        if EvaluationResponse.objects.filter(evaluation=last_year, respondent=person).exists():
            continue
        response = EvaluationResponse.objects.create(evaluation=last_year, respondent=person)
        for question in last_year.template.questions.order_by("position"):
            if question.kind == QuestionKind.SCALE:
                EvaluationAnswer.objects.create(response=response, question=question,
                                                scale_value=_scale_answer(question, score))
            else:
                EvaluationAnswer.objects.create(response=response, question=question, text=TEXT_ANSWER)
    if last_year.status == EvaluationStatus.CLOSED and last_year.results_published_at is None:
        evaluation_publish_results(actor=users["coordinator"], evaluation=last_year)
    if this_year.status != EvaluationStatus.OPEN:
        return
    # This year's: the organisation's people have answered; the coordinator answers where nobody else may.
    respondents = [(users[role], score) for role, score in (("representative", 4), ("member", 3))
                   if can_answer_evaluation(users[role], table)] or [(users["coordinator"], 4)]
    for person, score in respondents:
        if EvaluationResponse.objects.filter(evaluation=this_year, respondent=person).exists():
            continue
        answers = {
            question.pk: _scale_answer(question, score) if question.kind == QuestionKind.SCALE else TEXT_ANSWER
            for question in this_year.template.questions.all()
        }
        evaluation_respond(respondent=person, evaluation=this_year, answers=answers)


def load(*, users: dict, tables: list) -> list[Meeting]:
    meetings = []
    for number, table in enumerate(tables):
        for index, (title, days_ago, agenda, decisions, actions) in enumerate(HISTORY):
            meetings.append(_held_meeting(table, users, title, days_ago, agenda, decisions, actions, index + number))
        _follow_ups(table, users["coordinator"])
        # The first table's room is full: one person waits for a seat (or joins online).
        meetings.append(_upcoming_meeting(table, users, capacity=1 if number == 0 else None))
        _evaluations(table, users)
    swedish.add_swedish(tables=tables)
    return meetings
