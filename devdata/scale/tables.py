"""Sectors, partnership tables with their standing members, roles and process steps, and evaluations."""

import datetime
from collections import defaultdict

from devdata.scale import words
from devdata.scale.base import HISTORY, Table
from meetings.ical import HELSINKI
from tables.models import (
    AnnualEvaluation,
    EvaluationAnswer,
    EvaluationReminder,
    EvaluationResponse,
    PartnershipTable,
    ProcessStep,
    RoleAssignment,
    Sector,
    StandingMember,
)


class TablesMixin:
    """Tables in every county, in proportion to its population."""

    def make_tables(self) -> None:
        count = self.target["tables"]
        per_area = self.apportion(count, [population or 1 for _pk, _code, population in self.areas])
        sector_rows, self.tables = [], []
        sectors = {}
        sector_ids = iter(self.w.ids(Sector, len(self.areas) * len(words.SECTORS)))
        for area, _code, _population in self.areas:
            sectors[area] = []
            for name_fi, name_sv in words.SECTORS:
                pk = next(sector_ids)
                sector_rows.append((pk, area, name_fi, name_fi, name_sv, self.rng.choice(self.coordinators[area])))
                sectors[area].append((pk, name_fi, name_sv))
        self.w.write(Sector, ["id", "welfare_area_id", "name", "name_fi", "name_sv", "director_id"], sector_rows)

        approved_by_area = defaultdict(list)
        for org in self.orgs:
            if org.approved and org.representatives:
                approved_by_area[org.area].append(org)
        table_ids = iter(self.w.ids(PartnershipTable, count))
        rows, coordinator_rows, standing_rows, role_rows, step_rows = [], [], [], [], []
        start_of_history = (self.now - HISTORY - datetime.timedelta(days=60)).date()
        for (area, _code, _population), n in zip(self.areas, per_area, strict=True):
            municipalities = self.municipalities[area]
            for number in range(n):
                pk = next(table_ids)
                sector_id, sector_fi, sector_sv = sectors[area][number % len(sectors[area])]
                municipality = self.rng.choice(municipalities)
                forum = self.chance(0.1)
                if forum:
                    name_fi, name_sv = f"Järjestöareena {municipality[1]}", f"Organisationsarenan {municipality[2]}"
                else:
                    name_fi = f"{sector_fi}: kumppanuuspöytä, {municipality[1]}"
                    name_sv = f"{sector_sv}: partnerskapsbord, {municipality[2]}"
                status = self.rng.choices(("active", "planned", "paused", "closed"), weights=(85, 5, 5, 5))[0]
                owner, coordinator = self.rng.choice(self.coordinators[area]), self.rng.choice(self.coordinators[area])
                reminder_days = self.rng.choices((2, 7, None), weights=(80, 10, 10))[0]
                rows.append((
                    pk, area, sector_id, name_fi, name_fi, name_sv,
                    "Järjestöjen ja hyvinvointialueen säännöllinen yhteistyöfoorumi.",
                    "Järjestöjen ja hyvinvointialueen säännöllinen yhteistyöfoorumi.",
                    "Ett regelbundet samarbetsforum för organisationer och välfärdsområdet.",
                    status, "open" if forum else "members", "neljästi vuodessa", owner, self.chance(0.92),
                    reminder_days,
                ))
                coordinator_rows.append((pk, coordinator))
                pool = approved_by_area[area]
                chosen = self.rng.sample(pool, min(len(pool), self.rng.randint(5, 11)))
                standing = []
                for org in chosen:
                    member_status = self.rng.choices(("active", "requested", "ended"), weights=(90, 5, 5))[0]
                    representative = org.representatives[0]
                    others = [m for m in org.members if m != representative]
                    substitute = self.rng.choice(others) if others and self.chance(0.8) else None
                    standing_rows.append((pk, org.id, representative, substitute, member_status, representative,
                                          coordinator if member_status != "requested" else None))
                    if member_status == "active":
                        standing.append((org.id, representative, substitute))
                people = self.people_by_area[area]
                secretary = (
                    self.rng.choice([m for _org, m, _sub in standing]) if standing and self.chance(0.5) else coordinator
                )
                holders = [("owner", owner), ("coordinator", coordinator), ("secretary", secretary)]
                if standing:
                    holders.append(("chair", standing[0][1]))
                if people and self.chance(0.3):
                    holders.append(("experience-expert", self.rng.choice(people)))
                role_people = []
                for slug, user in holders:
                    if slug not in self.roles:
                        continue
                    ended = self.chance(0.05)
                    valid_to = self.today - datetime.timedelta(days=self.rng.randint(1, 300)) if ended else None
                    role_rows.append((pk, self.roles[slug], user, start_of_history, valid_to))
                    if not ended:
                        role_people.append(user)
                step_rows += [
                    (pk, position, role, what, how, when)
                    for position, (role, what, how, when) in enumerate(self.template_steps, start=1)
                ]
                self.tables.append(
                    Table(pk, area, status, "open" if forum else "members", owner, coordinator, secretary,
                          reminder_days, standing, role_people)
                )
        self.w.write(
            PartnershipTable,
            ["id", "welfare_area_id", "sector_id", "name", "name_fi", "name_sv", "purpose", "purpose_fi",
             "purpose_sv", "status", "access", "meeting_frequency", "owner_id", "is_public", "meeting_reminder_days"],
            rows,
        )
        self.write_m2m(PartnershipTable.coordinators.through, "partnershiptable_id", "user_id", coordinator_rows)
        ids = self.w.ids(StandingMember, len(standing_rows))
        self.w.write(
            StandingMember,
            ["id", "table_id", "organisation_id", "representative_id", "substitute_id", "status", "requested_by_id",
             "decided_by_id"],
            ((pk, *row) for pk, row in zip(ids, standing_rows, strict=True)),
        )
        ids = self.w.ids(RoleAssignment, len(role_rows))
        # Every generated assignment is in force (accepted), as the county's own people's are.
        self.w.write(RoleAssignment,
                     ["id", "table_id", "role_id", "user_id", "valid_from", "valid_to", "email", "accepted_at"],
                     ((pk, *row, "", self.now) for pk, row in zip(ids, role_rows, strict=True)))
        ids = self.w.ids(ProcessStep, len(step_rows))
        self.w.write(ProcessStep, ["id", "table_id", "position", "role_id", "what", "how", "when"],
                     ((pk, *row) for pk, row in zip(ids, step_rows, strict=True)))
        self.standing_count = len(standing_rows)
        self.step(f"{len(self.tables)} tables, {len(standing_rows)} standing members, {len(role_rows)} roles, "
                  f"{len(step_rows)} process steps")

    def make_evaluations(self) -> None:
        """Last year's evaluations closed; this year's open since 1 November if that day has come."""
        if self.evaluation_template is None:
            return
        from django.conf import settings

        month, day = settings.EVALUATION_OPENS
        due_days = datetime.timedelta(days=settings.EVALUATION_DUE_DAYS)
        rows, responses, answers, reminders = [], [], [], []
        for table in self.tables:
            if table.status == "planned":
                continue
            respondents = {table.coordinator} | {
                person for _org, rep, sub in table.standing for person in (rep, sub) if person
            }
            for year in (self.today.year - 1, self.today.year):
                opens_on = datetime.date(year, month, day)
                due_on = opens_on + due_days
                if opens_on > self.today or (year == self.today.year and table.status != "active"):
                    continue
                closed = due_on + datetime.timedelta(days=14) < self.today
                (pk,) = self.w.ids(AnnualEvaluation, 1)
                opened_at = datetime.datetime.combine(opens_on, datetime.time(7), HELSINKI)
                rows.append((pk, table.id, year, self.evaluation_template.pk, opens_on, due_on,
                             "closed" if closed else "open", opened_at,
                             datetime.datetime.combine(due_on, datetime.time(12), HELSINKI) if closed else None))
                answered = {person for person in respondents if self.chance(0.7 if closed else 0.4)}
                for person in answered:
                    (response,) = self.w.ids(EvaluationResponse, 1)
                    responses.append((response, pk, person))
                    for question, kind in self.questions:
                        answers.append((response, question, self.rng.randint(2, 5) if kind == "scale" else None,
                                        "" if kind == "scale" else "Yhteistyö on toiminut hyvin."))
                # The notices already sent: opened, then the reminders whose day has come.
                for kind, first_day, people in (
                    ("opened", opens_on, respondents | {table.owner}),
                    ("due_14", due_on - datetime.timedelta(days=14), respondents - answered),
                    ("due_3", due_on - datetime.timedelta(days=3), respondents - answered),
                    ("overdue", due_on + datetime.timedelta(days=1), {table.owner}),
                ):
                    if first_day <= self.today:
                        reminders += [(pk, person, kind) for person in people]
        self.w.write(
            AnnualEvaluation,
            ["id", "table_id", "year", "template_id", "opens_on", "due_on", "status", "opened_at", "closed_at"], rows,
        )
        self.w.write(EvaluationResponse, ["id", "evaluation_id", "respondent_id"], responses)
        ids = self.w.ids(EvaluationAnswer, len(answers))
        self.w.write(EvaluationAnswer, ["id", "response_id", "question_id", "scale_value", "text"],
                     ((pk, *row) for pk, row in zip(ids, answers, strict=True)))
        ids = self.w.ids(EvaluationReminder, len(reminders))
        self.w.write(EvaluationReminder, ["id", "evaluation_id", "user_id", "kind"],
                     ((pk, *row) for pk, row in zip(ids, reminders, strict=True)))
        self.step(f"{len(rows)} annual evaluations, {len(responses)} responses, {len(reminders)} notices sent")
