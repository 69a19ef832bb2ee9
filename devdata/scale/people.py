"""People, coordinators, organisations and memberships."""

import datetime
import secrets
from collections import Counter, defaultdict

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from accounts.models import User
from devdata.scale import words
from devdata.scale.base import HISTORY, SCALE_PASSWORD, Org, Person
from organisations.models import AreaCoordinator, Membership, Municipality, Organisation
from organisations.validators import business_id_check_digit


class PeopleMixin:
    """Everyone belongs to an organisation of their county; each county has its coordinators."""

    def new_people(self, areas: list[int]) -> list[Person]:
        ids = self.w.ids(User, len(areas))
        made = []
        for pk, area in zip(ids, areas, strict=True):
            language = "sv" if self.chance(self.swedish_share(area)) else ("en" if self.chance(0.01) else "fi")
            if language == "sv":
                first, last = self.rng.choice(words.FIRST_NAMES_SV), self.rng.choice(words.LAST_NAMES_SV)
            else:
                first, last = self.rng.choice(words.FIRST_NAMES_FI), self.rng.choice(words.LAST_NAMES_FI)
            domain = self.rng.choice(("example.org", "example.net", "example.com"))
            person = Person(
                id=pk, email=f"{words.slug(first)}.{words.slug(last)}.{pk}@{domain}", name=f"{first} {last}",
                language=language, area=area, notify_meetings=self.chance(0.96), notify_actions=self.chance(0.93),
            )
            made.append(person)
            self.person_by_id[pk] = person
        self.people.extend(made)
        return made

    def write_people(self) -> None:
        password = make_password(SCALE_PASSWORD)  # once: hashing 50,000 times would take hours
        joined_from = self.now - HISTORY - datetime.timedelta(days=365)
        admin_ids = set(self.admin_ids)
        self.w.write(
            User,
            ["id", "email", "full_name", "language", "password", "calendar_token", "is_staff", "is_superuser",
             "notify_meeting_reminders", "notify_action_items", "date_joined"],
            (
                (p.id, p.email, p.name, p.language, password, secrets.token_urlsafe(24), p.id in admin_ids,
                 p.id in admin_ids, p.notify_meetings, p.notify_actions,
                 self.moment_between(joined_from, self.now - datetime.timedelta(days=30)))
                for p in self.people
            ),
        )
        # allauth signs in only people whose address is verified.
        address_ids = self.w.ids(EmailAddress, len(self.people))
        self.w.write(
            EmailAddress, ["id", "user_id", "email", "verified", "primary"],
            ((pk, p.id, p.email, True, True) for pk, p in zip(address_ids, self.people, strict=True)),
        )
        self.step(f"{len(self.people)} people")

    def make_coordinators(self) -> None:
        per_area = 3 if self.scale >= 0.1 else 1
        self.admin_ids = [p.id for p in self.new_people([self.areas[0][0]])]
        self.coordinators: dict[int, list[int]] = {}
        rows = []
        for area, _code, _population in self.areas:
            people = self.new_people([area] * per_area)
            self.coordinators[area] = [p.id for p in people]
            rows += [(p.id, area) for p in people]
        ids = self.w.ids(AreaCoordinator, len(rows))
        self.w.write(
            AreaCoordinator, ["id", "user_id", "welfare_area_id"],
            ((pk, *row) for pk, row in zip(ids, rows, strict=True)),
        )

    def business_ids(self, count: int) -> list[str]:
        taken = set(Organisation.objects.exclude(business_id=None).values_list("business_id", flat=True))
        found = []
        while len(found) < count:
            digits = f"{self.rng.randrange(10**6, 3 * 10**6):07d}"
            check = business_id_check_digit(digits)
            value = f"{digits}-{check}"
            if check is not None and value not in taken:
                taken.add(value)
                found.append(value)
        return found

    def make_organisations(self) -> None:
        count = self.target["organisations"]
        per_area = self.apportion(count, [population or 1 for _pk, _code, population in self.areas])
        ids = iter(self.w.ids(Organisation, count))
        business = iter(self.business_ids(count))
        names = set(Organisation.objects.values_list("name", flat=True))
        slugs = list(self.themes)
        kinds = ["association", "foundation", "other_ngo", "public_body"]
        self.orgs: list[Org] = []
        rows, theme_rows, municipality_rows = [], [], []
        for (area, _code, _population), n in zip(self.areas, per_area, strict=True):
            municipalities = self.municipalities[area]
            weights = [population for *_rest, population in municipalities]
            for _ in range(n):
                pk = next(ids)
                themes = self.rng.sample(slugs, self.rng.choice((1, 1, 2, 2, 3)))
                home = self.rng.choices(municipalities, weights=weights)[0]
                swedish = self.chance(self.swedish_share(area))
                noun_fi, noun_sv = self.rng.choice(words.ORGANISATION_NOUNS.get(themes[0], [("Yhdistys", "Förening")]))
                name, suffix = None, ""
                for attempt in range(40):
                    name = f"{home[2]} {noun_sv}{suffix} rf" if swedish else f"{noun_fi} {home[1]}{suffix} ry"
                    if name not in names:
                        break
                    suffix = f" {self.rng.choice(words.NICKNAMES)}" if attempt < 30 else f" {attempt}"
                names.add(name)
                eligibility = self.rng.choices(("approved", "pending", "rejected"), weights=(88, 9, 3))[0]
                decided = eligibility != "pending"
                created = self.moment_between(self.now - HISTORY - datetime.timedelta(days=300), self.now)
                kind = self.rng.choices(kinds, weights=(85, 5, 8, 2))[0]
                domain = f"{words.slug(noun_fi)}-{words.slug(home[1])}{pk}.example.org"
                rows.append((
                    pk, name, kind, next(business) if self.chance(0.35) else None,
                    str(self.rng.randint(100000, 230000)) if kind == "association" else "",
                    words.DESCRIPTIONS.get(themes[0], ""), area,
                    f"https://www.{domain}/" if self.chance(0.5) else "",
                    f"info@{domain}" if self.chance(0.6) else "",
                    f"+358 40 {self.rng.randint(1000000, 9999999)}" if self.chance(0.4) else "",
                    eligibility,
                    "Ei edistä sosiaali- ja terveysalaa eikä hyvinvointia." if eligibility == "rejected" else "",
                    self.rng.choice(self.coordinators[area]) if decided else None,
                    created + datetime.timedelta(days=3) if decided else None,
                    created,
                ))
                theme_rows += [(pk, self.themes[slug]) for slug in themes]
                others = self.rng.sample(municipalities, min(len(municipalities), self.rng.choice((0, 0, 1, 2))))
                for municipality_id in {home[0], *(m[0] for m in others)}:
                    municipality_rows.append((pk, municipality_id))
                self.orgs.append(Org(pk, area, eligibility == "approved", [], []))
        self.w.write(
            Organisation,
            ["id", "name", "kind", "business_id", "register_number", "description", "welfare_area_id", "website",
             "email", "phone", "eligibility", "eligibility_reason", "eligibility_decided_by_id",
             "eligibility_decided_at", "created_at"],
            rows,
        )
        self.write_m2m(Organisation.themes.through, "organisation_id", "theme_id", theme_rows)
        self.write_m2m(Organisation.municipalities.through, "organisation_id", "municipality_id", municipality_rows)

    def make_members(self) -> None:
        """Everyone else belongs to an organisation: two people in each at least, more in the big ones."""
        members = max(0, self.target["users"] - len(self.people))
        base = 2 if members >= 2 * len(self.orgs) else 1
        counts = [base] * len(self.orgs)
        extra = members - base * len(self.orgs)
        if extra > 0:
            weights = [self.rng.paretovariate(1.5) for _ in self.orgs]
            for index, n in Counter(self.rng.choices(range(len(self.orgs)), weights=weights, k=extra)).items():
                counts[index] += n
        elif extra < 0:
            counts = [1 if i < members else 0 for i in range(len(self.orgs))]
        rows = []
        for org, n in zip(self.orgs, counts, strict=True):
            for position, person in enumerate(self.new_people([org.area] * n)):
                representative = position == 0 or (position == 1 and self.chance(0.3))
                status = "approved" if position == 0 or self.chance(0.97) else "pending"
                rows.append((person.id, org.id, "representative" if representative else "member", status))
                if status == "approved":
                    org.members.append(person.id)
                    if representative:
                        org.representatives.append(person.id)
        # One in ten also belongs to a second organisation of the same county.
        by_area = defaultdict(list)
        for org in self.orgs:
            by_area[org.area].append(org)
        member_of = {(user, org) for user, org, _role, _status in rows}
        for user, _org, _role, _status in list(rows):
            if self.chance(0.1):
                other = self.rng.choice(by_area[self.person_by_id[user].area])
                if (user, other.id) not in member_of:
                    member_of.add((user, other.id))
                    rows.append((user, other.id, "member", "approved"))
                    other.members.append(user)
        ids = self.w.ids(Membership, len(rows))
        joined = self.now - datetime.timedelta(days=400)
        self.w.write(
            Membership, ["id", "user_id", "organisation_id", "role", "status", "decided_at", "created_at"],
            ((pk, *row, joined if row[3] == "approved" else None, joined) for pk, row in zip(ids, rows, strict=True)),
        )
        self.membership_count = len(rows)
        # Municipalities name an NGO liaison person from their county.
        people_by_area = defaultdict(list)
        for person in self.people:
            people_by_area[person.area].append(person.id)
        liaisons = [
            (municipality[0], self.rng.choice(people_by_area[area]))
            for area, municipalities in self.municipalities.items()
            if people_by_area[area]
            for municipality in municipalities
        ]
        self.write_m2m(Municipality.liaison_persons.through, "municipality_id", "user_id", liaisons)
        self.people_by_area = people_by_area
