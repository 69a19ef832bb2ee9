"""Demo data for meetings (issue 13: a county in full use): each demo table has a history of held
meetings with attendance, published minutes, decisions and action items (done, overdue and still
open), and an upcoming meeting scheduled through the services, with invitations sent, answers given
(one person on the waiting list) and a topic proposal waiting for the coordinator. Last year's
annual evaluation is closed with answers; this year's has the representative's answer.

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
    Invitation,
    InvitationSource,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    Minutes,
)
from meetings.services import agenda_item_propose, meeting_create, meeting_schedule, rsvp_record_for_user
from outbox.models import OutboxStatus
from tables.models import (
    AnnualEvaluation,
    EvaluationAnswer,
    EvaluationResponse,
    EvaluationStatus,
    QuestionKind,
    StandingMemberStatus,
)

HELSINKI = ZoneInfo("Europe/Helsinki")

# title (fi), days ago, agenda (fi), decisions, action items: (what, days from the meeting to the due date, done)
HISTORY = [
    (
        "Vuoden ensimmäinen kokous",
        150,
        ["Kuulumiskierros: järjestöjen ajankohtaiset", "Pöydän vuosisuunnitelma", "Järjestöavustusten haku"],
        ["Vuosisuunnitelma hyväksyttiin esitetyssä muodossa."],
        [("Kootaan järjestöjen tapahtumat yhteiseen kalenteriin", 30, True),
         ("Selvitetään kokoustilat Seinäjoella ja Kokkolassa", 45, True)],
    ),
    (
        "Kevään kokous",
        90,
        ["Kuulumiskierros", "Mielenterveysviikon yhteinen tapahtuma", "Kokemusasiantuntijoiden palkkiot"],
        ["Mielenterveysviikon tapahtuma järjestetään yhdessä Vaasan kaupunginkirjastossa.",
         "Kokemusasiantuntijoiden palkkioperiaatteet valmistellaan seuraavaan kokoukseen."],
        [("Valmistellaan esitys kokemusasiantuntijoiden palkkioperiaatteista", 40, False),
         ("Varataan kirjaston tila mielenterveysviikolle", 20, True)],
    ),
    (
        "Syksyn kokous",
        30,
        ["Kuulumiskierros", "Palvelutarpeiden kartoitus 2027", "Vuosiarvioinnin valmistelu"],
        ["Palvelutarpeiden kartoitus tehdään yhdessä järjestöjen kanssa tammikuussa."],
        [("Lähetetään kartoituksen kysymysluonnos järjestöille kommentoitavaksi", 10, False),
         ("Sovitaan vuosiarvioinnin aikataulu omistajan kanssa", 60, False)],
    ),
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=HELSINKI)


def _table_people(table) -> list:
    """(organisation, person) for each active standing member; person is None where nobody is named."""
    members = table.standing_members.filter(status=StandingMemberStatus.ACTIVE).select_related(
        "organisation", "representative"
    )
    return [(member.organisation, member.representative) for member in members.order_by("organisation__name")]


def _held_meeting(table, coordinator, title, days_ago, agenda, decisions, actions, index) -> Meeting:
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
    for position, (organisation, person) in enumerate(_table_people(table)):
        invitation = None
        if person is not None:
            invitation = Invitation.objects.create(
                meeting=meeting, user=person, email=person.email, name=person.full_name, language=person.language,
                organisation=organisation, source=InvitationSource.STANDING_MEMBER,
                delivery_status=OutboxStatus.SENT, sent_at=meeting.scheduled_at, queued_at=meeting.scheduled_at,
            )
        # Most organisations come; one in three misses a meeting in turn, so the statistics have shape.
        attended = (position + index) % 3 != 0
        Attendance.objects.create(
            meeting=meeting, organisation=organisation, user=person, invitation=invitation, attended=attended,
            online=attended and position % 2 == 1, recorded_by=coordinator,
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
    for what, due_in, done in actions:
        ActionItem.objects.create(
            meeting=meeting, what=what, owner_user=coordinator if done or not people else None,
            owner_organisation=people[0][0] if people and not done else None,
            due_on=day + datetime.timedelta(days=due_in),
            status=ActionItemStatus.DONE if done else ActionItemStatus.OPEN,
            completed_at=starts_at + datetime.timedelta(days=due_in - 2) if done else None, created_by=coordinator,
        )
    return meeting


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
    return meeting


def _evaluations(table, users) -> None:
    """Last year's evaluation closed with answers; this year's (open, made by tables' demo) answered by the
    representative."""
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
    answers = [(last_year, users["representative"], 3), (last_year, users["coordinator"], 4),
               (this_year, users["representative"], 4)]
    for evaluation, person, score in answers:
        if EvaluationResponse.objects.filter(evaluation=evaluation, respondent=person).exists():
            continue
        response = EvaluationResponse.objects.create(evaluation=evaluation, respondent=person)
        for question in evaluation.template.questions.order_by("position"):
            if question.kind == QuestionKind.SCALE:
                EvaluationAnswer.objects.create(response=response, question=question,
                                                scale_value=min(5, score + question.position % 2))
            else:
                EvaluationAnswer.objects.create(response=response, question=question,
                                                text="Yhteistyö on tiivistynyt; kokouksiin toivotaan lisää aikaa.")


def load(*, users: dict, tables: list) -> list[Meeting]:
    meetings = []
    for number, table in enumerate(tables):
        for index, (title, days_ago, agenda, decisions, actions) in enumerate(HISTORY):
            meetings.append(_held_meeting(table, users["coordinator"], title, days_ago, agenda, decisions, actions,
                                          index + number))
        # The first table's room is full: one person waits for a seat (or joins online).
        meetings.append(_upcoming_meeting(table, users, capacity=1 if number == 0 else None))
        _evaluations(table, users)
    swedish.add_swedish(tables=tables)
    return meetings
