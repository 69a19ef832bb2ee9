"""A national dataset for benchmarks: every wellbeing services county, thousands of organisations,
tables and meetings, with the history a running installation would have.

At scale 1: the 22 areas and the 293 municipalities of the bundled CSV (import_areas), 10,000
organisations, 50,000 people, 2,000 tables, 20,000 meetings, about 400,000 invitations with their
RSVPs, 100,000 action items, and the attendance, minutes, agendas, evaluations and reminders that
go with them. ``scale`` multiplies every count.

Rows are written with COPY (devdata.scale.writer), not through the services: this is a
snapshot of an installation that has been running for two years, not a replay of it. Nothing is
queued and nothing is mailed: every outbox row is written as ``sent``, and the reminders that were
due when the data was made are recorded as sent, so the reminder sweeps find nothing left to do.
Every person has the same password (SCALE_PASSWORD), hashed once. The audit history
(django-simple-history) of the generated rows starts empty, as after any bulk import.
"""

import datetime
import io
import random
import time
from collections import defaultdict

from django.core.management import call_command
from django.utils import timezone

from devdata.scale import words
from devdata.scale.base import SCALE_PASSWORD, Person, targets
from devdata.scale.meetings import MeetingsMixin
from devdata.scale.people import PeopleMixin
from devdata.scale.tables import TablesMixin
from devdata.scale.writer import RowWriter
from organisations.models import Municipality, Theme, WelfareArea
from tables.models import EvaluationTemplate, ProcessRole, ProcessTemplate

__all__ = ["SCALE_PASSWORD", "generate", "targets"]


class Generator(PeopleMixin, TablesMixin, MeetingsMixin):
    """Writes the dataset part by part (people.py, tables.py, meetings.py), each part remembering
    what the next one needs (Person, Org, Table in base.py)."""

    def __init__(self, *, scale: float, seed: int, log):
        self.scale = scale
        self.rng = random.Random(seed)
        self.log = log
        self.target = targets(scale)
        self.w = RowWriter()
        self.now = self.w.now
        self.today = timezone.localdate(self.now)
        self.started = time.monotonic()
        self.people: list[Person] = []
        self.person_by_id: dict[int, Person] = {}

    def step(self, message: str) -> None:
        self.log(f"[{time.monotonic() - self.started:6.1f} s] {message}")

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def moment_between(self, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
        return start + (end - start) * self.rng.random()

    @staticmethod
    def apportion(total: int, weights: list[float]) -> list[int]:
        """``total`` split in proportion to ``weights`` (largest remainder)."""
        whole = sum(weights) or 1
        exact = [total * weight / whole for weight in weights]
        counts = [int(value) for value in exact]
        largest = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
        for index in largest[: total - sum(counts)]:
            counts[index] += 1
        return counts

    def load_reference(self) -> None:
        call_command("import_areas", stdout=io.StringIO())
        self.areas = list(WelfareArea.objects.order_by("code").values_list("pk", "code", "population"))
        self.area_code = {pk: code for pk, code, _ in self.areas}
        self.municipalities = defaultdict(list)
        for pk, name_fi, name_sv, area, population in Municipality.objects.order_by("code").values_list(
            "pk", "name_fi", "name_sv", "welfare_area_id", "population"
        ):
            self.municipalities[area].append((pk, name_fi, name_sv or name_fi, population or 1000))
        self.themes = dict(Theme.objects.values_list("slug", "pk"))
        self.roles = dict(ProcessRole.objects.values_list("slug", "pk"))
        template = ProcessTemplate.objects.filter(is_default=True).first() or ProcessTemplate.objects.first()
        self.template_steps = (
            list(template.steps.order_by("position", "pk").values_list("role_id", "what", "how", "when"))
            if template else []
        )
        self.evaluation_template = (
            EvaluationTemplate.objects.filter(is_default=True).first() or EvaluationTemplate.objects.first()
        )
        self.questions = (
            list(self.evaluation_template.questions.values_list("pk", "kind")) if self.evaluation_template else []
        )
        self.step(f"{len(self.areas)} wellbeing services counties, "
                  f"{sum(len(m) for m in self.municipalities.values())} municipalities (import_areas)")

    def swedish_share(self, area: int) -> float:
        return words.SWEDISH_SHARE.get(self.area_code[area], 0.01)

    def write_m2m(self, through, left: str, right: str, rows: list[tuple]) -> None:
        ids = self.w.ids(through, len(rows))
        self.w.write(through, ["id", left, right], ((pk, *row) for pk, row in zip(ids, rows, strict=True)))

    def run(self) -> dict[str, int]:
        self.load_reference()
        self.make_coordinators()
        self.make_organisations()
        self.make_members()
        self.write_people()
        self.step(f"{len(self.orgs)} organisations, {self.membership_count} memberships")
        self.make_tables()
        self.make_evaluations()
        self.make_meetings()
        self.make_invitations()
        self.make_records()
        self.w.finish()
        self.step("sequences moved on, statistics analysed")
        return {
            "welfare_areas": len(self.areas),
            "municipalities": sum(len(m) for m in self.municipalities.values()),
            "organisations": len(self.orgs),
            "users": len(self.people),
            "memberships": self.membership_count,
            "tables": len(self.tables),
            "standing_members": self.standing_count,
            "meetings": len(self.meetings),
            "invitations": self.invitation_count,
            "rsvps": self.rsvp_count,
            "action_items": self.action_item_count,
        }


def generate(*, scale: float = 1.0, seed: int = 2026, log=print) -> dict[str, int]:
    """Writes the dataset in the current transaction; returns what was made, by kind."""
    return Generator(scale=scale, seed=seed, log=log).run()
