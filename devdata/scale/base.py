"""What the parts of the generator share: the counts at scale 1 and what it remembers of the rows it wrote."""

import datetime
from dataclasses import dataclass

SCALE_PASSWORD = "kumppanuus-scale-2026"

# At scale 1 (issue 6).
BASE = {
    "organisations": 10_000,
    "users": 50_000,
    "tables": 2_000,
    "meetings": 20_000,
    "invitations": 400_000,
    "action_items": 100_000,
}
LARGE_MEETING = 500  # invitees of the open-forum meetings that take the invitations the tables do not
HISTORY = datetime.timedelta(days=730)
AHEAD = datetime.timedelta(days=180)


def targets(scale: float) -> dict[str, int]:
    return {name: max(1, round(count * scale)) for name, count in BASE.items()}


@dataclass(slots=True)
class Person:
    id: int
    email: str
    name: str
    language: str
    area: int  # welfare area id
    notify_meetings: bool
    notify_actions: bool


@dataclass(slots=True)
class Org:
    id: int
    area: int
    approved: bool
    members: list  # approved member user ids, representative first
    representatives: list


@dataclass(slots=True)
class Table:
    id: int
    area: int
    status: str
    access: str
    owner: int
    coordinator: int
    secretary: int
    reminder_days: int | None
    standing: list  # (org id, representative id, substitute id or None) of active standing members
    role_people: list  # user ids holding a current role
