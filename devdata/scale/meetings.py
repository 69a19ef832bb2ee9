"""Meetings with their invitations, RSVPs, attendance, reminders, agendas, minutes and action items."""

import datetime
import uuid
from collections import defaultdict

from devdata.scale import words
from devdata.scale.base import AHEAD, HISTORY, LARGE_MEETING, Table
from meetings.ical import HELSINKI
from meetings.models import (
    ActionItem,
    ActionItemReminder,
    AgendaItem,
    Attendance,
    Decision,
    Invitation,
    Meeting,
    MeetingReminder,
    Minutes,
    Rsvp,
)
from meetings.services.reminders import RSVP_REMINDER_DAYS, local_days_before, week_start


class MeetingsMixin:
    """Two years of meetings behind and half a year ahead, for every table."""

    def meeting_times(self, table: Table, count: int) -> list[datetime.datetime]:
        if table.status == "planned":
            start, end = self.now + datetime.timedelta(days=7), self.now + AHEAD
        elif table.status == "closed":
            start, end = self.now - HISTORY, self.now - datetime.timedelta(days=60)
        else:
            start, end = self.now - HISTORY, self.now + AHEAD
        step = (end - start) / max(count, 1)
        times = []
        for index in range(count):
            moment = start + step * (index + self.rng.random() * 0.6)
            local = moment.astimezone(HELSINKI).date()
            while local.weekday() >= 5:
                local += datetime.timedelta(days=1)
            times.append(datetime.datetime.combine(local, datetime.time(self.rng.choice((9, 10, 13, 14)), 0), HELSINKI))
        return times

    def make_meetings(self) -> None:
        weights = {"active": 1.0, "paused": 0.6, "closed": 0.6, "planned": 0.1}
        per_table = self.apportion(self.target["meetings"], [weights[t.status] for t in self.tables])
        ids = iter(self.w.ids(Meeting, self.target["meetings"]))
        self.meetings = []  # (id, table, starts_at, status, format, capacity, rsvp_deadline, sequence, scheduled_at)
        rows = []
        for table, count in zip(self.tables, per_table, strict=True):
            municipality = self.rng.choice(self.municipalities[table.area])
            for number, starts in enumerate(self.meeting_times(table, count), start=1):
                pk = next(ids)
                past = starts < self.now
                if past and starts > self.now - datetime.timedelta(days=14):
                    status = self.rng.choices(("held", "scheduled", "cancelled"), weights=(50, 45, 5))[0]
                elif past:
                    status = self.rng.choices(("held", "cancelled"), weights=(92, 8))[0]
                elif table.status == "planned":
                    status = "draft"
                else:
                    status = self.rng.choices(("scheduled", "draft", "cancelled"), weights=(85, 10, 5))[0]
                format_ = self.rng.choices(("in_person", "online", "hybrid"), weights=(45, 25, 30))[0]
                if table.access == "open":
                    capacity = self.rng.choice((None, 300, 400)) if format_ != "online" else None
                else:
                    capacity = 30 if self.chance(0.1) else None
                deadline = (
                    datetime.datetime.combine(starts.date() - datetime.timedelta(days=3), datetime.time(16), HELSINKI)
                    if self.chance(0.5) else None
                )
                sequence = self.rng.choices((0, 1, 2), weights=(80, 15, 5))[0]
                scheduled_at = None if status == "draft" else starts - datetime.timedelta(days=self.rng.randint(20, 45))
                chair = self.rng.choice(table.standing) if table.standing else None
                title = (f"Järjestöareena {number}/{starts.year}" if table.access == "open"
                         else f"Kumppanuuspöydän kokous {number}/{starts.year}")
                rows.append((
                    pk, table.id, title, "Kokouksen asialista tarkentuu ehdotusten perusteella.",
                    starts, starts + datetime.timedelta(minutes=self.rng.choice((90, 120, 150))), format_,
                    f"{self.rng.choice(words.ADDRESSES)} {self.rng.randint(1, 40)}, {municipality[1]}"
                    if format_ != "online" else "",
                    f"https://meet.example.org/{uuid.uuid4().hex[:12]}" if format_ != "in_person" else "",
                    capacity, deadline, chair[0] if chair else None, chair[1] if chair else None, table.secretary,
                    status, sequence, uuid.uuid4(), "Peruttu päällekkäisyyden vuoksi." if status == "cancelled" else "",
                    scheduled_at, scheduled_at + datetime.timedelta(days=5) if status == "cancelled" else None,
                    table.coordinator, (scheduled_at or self.now) - datetime.timedelta(days=3),
                ))
                self.meetings.append((pk, table, starts, status, format_, capacity, deadline, sequence, scheduled_at))
        self.w.write(
            Meeting,
            ["id", "table_id", "title", "description", "starts_at", "ends_at", "format", "address", "online_link",
             "capacity", "rsvp_deadline", "chair_id", "chair_person_id", "secretary_id", "status", "sequence", "uid",
             "cancellation_reason", "scheduled_at", "cancelled_at", "created_by_id", "created_at"],
            rows,
        )
        self.step(f"{len(rows)} meetings")

    def invitees(self) -> dict[int, list[tuple[int, int | None, str]]]:
        """(person, organisation, source) per sent meeting, as table_invitees() would have chosen them,
        and the large open-forum meetings that take the rest of the invitations."""
        lists = {}
        for pk, table, _starts, status, *_rest in self.meetings:
            if status == "draft":
                continue
            seen, people = set(), []
            for org, representative, substitute in table.standing:
                for person in (representative, substitute):
                    if person and person not in seen:
                        seen.add(person)
                        people.append((person, org, "standing_member"))
            for person in table.role_people:
                if person not in seen:
                    seen.add(person)
                    people.append((person, None, "role"))
            lists[pk] = people
        budget = self.target["invitations"] - sum(len(people) for people in lists.values())
        forums = [m for m in self.meetings if m[1].access == "open" and m[0] in lists]
        # The first large meeting is upcoming, so the benchmarks can open it as its coordinator.
        forums.sort(key=lambda m: (not (m[3] == "scheduled" and m[2] > self.now), self.rng.random()))
        everyone = [person.id for person in self.people]
        for pk, table, *_rest in forums:
            if budget <= 0:
                break
            people = lists[pk]
            seen = {person for person, _org, _source in people}
            want = min(LARGE_MEETING - len(people), budget)
            local = self.people_by_area[table.area]
            pool = local if len(local) >= 2 * want else everyone
            for person in self.rng.sample(pool, min(len(pool), want + len(seen))):
                if len(people) >= LARGE_MEETING or budget <= 0:
                    break
                if person not in seen:
                    seen.add(person)
                    people.append((person, None, "self"))
                    budget -= 1
        return lists

    def make_invitations(self) -> None:
        lists = self.invitees()
        total = sum(len(people) for people in lists.values())
        invitation_ids = iter(self.w.ids(Invitation, total))
        invitations, rsvps, attendances, reminders = [], [], [], []
        self.attending_by_meeting = defaultdict(list)
        meetings = {m[0]: m for m in self.meetings}
        for pk, people in lists.items():
            _pk, table, starts, status, format_, capacity, deadline, sequence, scheduled_at = meetings[pk]
            kind = "cancel" if status == "cancelled" else "invite"
            sent_at = scheduled_at + datetime.timedelta(seconds=30)
            answer_until = min(starts, self.now)
            seat = "online" if format_ == "online" else "in_person"
            seats_taken = 0
            answers = {"in_person": ("in_person", "no", "maybe"), "online": ("online", "no", "maybe"),
                       "hybrid": ("in_person", "online", "no", "maybe")}[format_]
            answer_weights = {"in_person": (65, 25, 10), "online": (65, 25, 10), "hybrid": (40, 30, 20, 10)}[format_]
            reminder_at = (
                local_days_before(starts, table.reminder_days) if table.reminder_days is not None else None
            )
            for person_id, org, source in people:
                person = self.person_by_id[person_id]
                invitation = next(invitation_ids)
                invitations.append((
                    invitation, pk, person_id, person.email, person.name, person.language, org, source, kind,
                    "sent", 1, scheduled_at, sent_at, sequence, kind, table.coordinator, scheduled_at,
                ))
                if status == "cancelled" or not self.chance(0.85 if starts < self.now else 0.6):
                    if (status == "scheduled" and deadline is not None and deadline > self.now
                            and person.notify_meetings
                            and local_days_before(deadline, RSVP_REMINDER_DAYS) <= self.now):
                        reminders.append((pk, invitation, "rsvp_deadline", starts,
                                          local_days_before(deadline, RSVP_REMINDER_DAYS)))
                    continue
                response = self.rng.choices(answers, weights=answer_weights)[0]
                responded = self.moment_between(sent_at, answer_until)
                waitlisted = False
                if response == seat and capacity is not None:
                    waitlisted = seats_taken >= capacity
                    seats_taken += not waitlisted
                rsvps.append((pk, invitation, response, waitlisted, responded if waitlisted else None,
                              "Erityisruokavalio: gluteeniton." if self.chance(0.03) else "", responded))
                attending = response in ("in_person", "online") and not waitlisted
                if not attending:
                    continue
                self.attending_by_meeting[pk].append((person_id, org))
                if status == "held":
                    attendances.append((pk, person_id, org, invitation, self.chance(0.9), response == "online",
                                        table.secretary))
                if (status in ("held", "scheduled") and reminder_at is not None and reminder_at <= self.now
                        and person.notify_meetings):
                    reminders.append((pk, invitation, "attending", starts, reminder_at))
        self.w.write(
            Invitation,
            ["id", "meeting_id", "user_id", "email", "name", "language", "organisation_id", "source", "kind",
             "delivery_status", "attempts", "queued_at", "sent_at", "sent_sequence", "sent_kind", "added_by_id",
             "created_at"],
            invitations,
        )
        self.invitation_count = len(invitations)
        ids = self.w.ids(Rsvp, len(rsvps))
        self.w.write(
            Rsvp, ["id", "meeting_id", "invitation_id", "response", "waitlisted", "waitlisted_at", "note",
                   "responded_at"],
            ((rsvp_id, *row) for rsvp_id, row in zip(ids, rsvps, strict=True)),
        )
        self.rsvp_count = len(rsvps)
        ids = self.w.ids(Attendance, len(attendances))
        self.w.write(
            Attendance, ["id", "meeting_id", "user_id", "organisation_id", "invitation_id", "attended", "online",
                         "recorded_by_id"],
            ((attendance_id, *row) for attendance_id, row in zip(ids, attendances, strict=True)),
        )
        ids = self.w.ids(MeetingReminder, len(reminders))
        self.w.write(
            MeetingReminder,
            ["id", "meeting_id", "invitation_id", "kind", "for_starts_at", "delivery_status", "attempts", "queued_at",
             "sent_at"],
            (
                (pk, meeting, invitation, kind, starts, "sent", 1, at, at)
                for pk, (meeting, invitation, kind, starts, at) in zip(ids, reminders, strict=True)
            ),
        )
        self.step(f"{len(invitations)} invitations, {len(rsvps)} RSVPs, {len(attendances)} attendances, "
                  f"{len(reminders)} meeting reminders sent")

    def make_records(self) -> None:
        """Agendas for every meeting; minutes, decisions and action items for those held."""
        agenda, minutes, decisions, actions, reminders = [], [], [], [], []
        held = [m for m in self.meetings if m[3] == "held"]
        minute_meetings = [m for m in held if self.chance(0.95)]
        per_meeting = self.apportion(self.target["action_items"], [1.0] * len(minute_meetings))
        actions_for = {m[0]: n for m, n in zip(minute_meetings, per_meeting, strict=True)}
        minutes_ids = iter(self.w.ids(Minutes, len(minute_meetings)))
        week = week_start(self.today)
        for pk, table, starts, status, *_rest in self.meetings:
            titles = words.AGENDA_TITLES[: self.rng.randint(3, len(words.AGENDA_TITLES))]
            for position, title in enumerate(titles, start=1):
                agenda.append((pk, title, position, "accepted", table.coordinator))
            if status in ("scheduled", "draft") and table.standing and self.chance(0.2):
                agenda.append((pk, "Ehdotus: yhteinen tapahtuma syksyllä", 0, "proposed", table.standing[-1][1]))
            if pk not in actions_for:
                continue
            minutes_id = next(minutes_ids)
            published = starts + datetime.timedelta(days=7)
            minutes.append((minutes_id, pk, "## Muistio\n\nKokous pidettiin suunnitellusti.\n",
                            published if self.chance(0.85) and published < self.now else None, table.secretary,
                            table.secretary))
            decisions += [(minutes_id, text, position) for position, text in enumerate(words.DECISIONS[:2], start=1)]
            attending = self.attending_by_meeting.get(pk) or [(table.coordinator, None)]
            for _ in range(actions_for[pk]):
                due = (starts + datetime.timedelta(days=self.rng.randint(14, 90))).date()
                age = (self.today - due).days
                if age > 180:
                    status_ = self.rng.choices(("done", "open", "cancelled"), weights=(88, 7, 5))[0]
                elif age > 0:
                    status_ = self.rng.choices(("done", "open", "cancelled"), weights=(60, 35, 5))[0]
                else:
                    status_ = self.rng.choices(("done", "open"), weights=(25, 75))[0]
                if table.standing and self.chance(0.4):
                    owner_user, owner_org = None, self.rng.choice(table.standing)[0]
                else:
                    owner_user, owner_org = self.rng.choice(attending)[0], None
                actions.append((pk, self.rng.choice(words.ACTION_ITEMS), owner_user, owner_org, due, status_,
                                table.secretary, starts + datetime.timedelta(hours=3),
                                starts + datetime.timedelta(days=self.rng.randint(10, 60))
                                if status_ == "done" else None,
                                table))
        self.w.write(AgendaItem, ["id", "meeting_id", "title", "position", "status", "proposed_by_id"],
                     ((pk, *row) for pk, row in zip(self.w.ids(AgendaItem, len(agenda)), agenda, strict=True)))
        self.w.write(Minutes, ["id", "meeting_id", "body_markdown", "published_at", "published_by_id", "updated_by_id"],
                     minutes)
        self.w.write(Decision, ["id", "minutes_id", "text", "position"],
                     ((pk, *row) for pk, row in zip(self.w.ids(Decision, len(decisions)), decisions, strict=True)))
        action_ids = self.w.ids(ActionItem, len(actions))
        representatives = {
            (table.id, org): representative for table in self.tables for org, representative, _sub in table.standing
        }
        for pk, (_meeting, _what, owner_user, owner_org, due, status_, *_rest, table) in zip(
            action_ids, actions, strict=True
        ):
            if status_ != "open" or due >= self.today:
                continue
            owner = owner_user or representatives.get((table.id, owner_org))
            person = self.person_by_id.get(owner)
            if person is not None and person.notify_actions:
                reminders.append((pk, owner, week))  # this week's reminder has gone out
        self.w.write(
            ActionItem,
            ["id", "meeting_id", "what", "owner_user_id", "owner_organisation_id", "due_on", "status", "created_by_id",
             "created_at", "completed_at"],
            ((pk, *row[:-1]) for pk, row in zip(action_ids, actions, strict=True)),
        )
        ids = self.w.ids(ActionItemReminder, len(reminders))
        self.w.write(
            ActionItemReminder, ["id", "action_item_id", "user_id", "week", "delivery_status", "attempts", "queued_at",
                                 "sent_at"],
            (
                (pk, item, user, week, "sent", 1, self.now, self.now)
                for pk, (item, user, week) in zip(ids, reminders, strict=True)
            ),
        )
        self.action_item_count = len(actions)
        self.step(f"{len(agenda)} agenda items, {len(minutes)} minutes, {len(actions)} action items "
                  f"({len(reminders)} overdue reminders this week)")
