"""Demo data for partnership tables: the two pilot tables of Pohjanmaa (seed 000), bilingual.

Run as often as you like: it updates what is there and adds only what is missing.
"""

import datetime

from django.utils import timezone

from organisations.models import WelfareArea
from tables.models import (
    AnnualEvaluation,
    EvaluationStatus,
    EvaluationTemplate,
    PartnershipTable,
    ProcessRole,
    ProcessStep,
    ProcessTemplate,
    RoleAssignment,
    RoleSlug,
    Sector,
    StandingMember,
    StandingMemberStatus,
    TableAccess,
    TableStatus,
)
from tables.services import process_steps_copy, standing_member_request

AREA_CODE = "PO"

# key, (fi, sv, en)
SECTORS = [
    ("psychosocial", ("Psykososiaalinen toimiala", "Psykosociala sektorn", "Psychosocial services")),
    ("home", ("Koti- ja asumispalvelut", "Hem- och boendetjänster", "Home and housing services")),
]

# sector key, (fi, sv, en) name, (fi, sv) purpose, frequency, standing member organisations
TABLES = [
    (
        "psychosocial",
        (
            "Psykososiaalisen toimialan kumppanuuspöytä",
            "Partnerskapsbordet för den psykosociala sektorn",
            "Partnership table of psychosocial services",
        ),
        (
            "Yhteistyökanava mielenterveys- ja päihdetyön järjestöjen ja Pohjanmaan hyvinvointialueen välillä: "
            "tunnistetaan yhdessä asukkaiden tarpeet ja sovitaan käytännön yhteistyöstä.",
            "En samarbetskanal mellan organisationerna inom mentalvårds- och missbruksarbetet och Österbottens "
            "välfärdsområde: vi identifierar invånarnas behov tillsammans och kommer överens om det praktiska "
            "samarbetet.",
        ),
        "Neljä kertaa vuodessa",
        [
            "Vaasan Mielenterveysyhdistys ry",
            "A-klinikkasäätiö, Vaasan toimipiste",
            "Vaasan Kriisikeskus Mobile",
            "Kristinestads Mentalvårdsförening rf",
            "Vaasan Ensi- ja turvakoti ry",
        ],
    ),
    (
        "home",
        (
            "Koti- ja asumispalveluiden kumppanuuspöytä",
            "Partnerskapsbordet för hem- och boendetjänster",
            "Partnership table of home and housing services",
        ),
        (
            "Kotona asumista tukevien järjestöjen ja hyvinvointialueen koti- ja asumispalveluiden yhteinen "
            "foorumi: omaishoito, ikäihmiset, vammaisuus ja asunnottomuuden ehkäisy.",
            "Ett gemensamt forum för organisationer som stöder boende hemma och välfärdsområdets hem- och "
            "boendetjänster: närståendevård, äldre, funktionsnedsättning och förebyggande av bostadslöshet.",
        ),
        "Kolme kertaa vuodessa",
        [
            "Vaasan Asunnottomien Tuki ry",
            "Pohjanmaan Omaishoitajat ry",
            "Österbottens Svenska Pensionärsförbund rf",
            "Jakobstadsnejdens Alzheimerförening rf",
            "Närpes Handikappförening rf",
        ],
    ),
]


def load(*, users: dict, organisations: dict) -> list[PartnershipTable]:
    """Creates (or updates) the demo sectors and tables; ``users`` by role, ``organisations`` by name."""
    area = WelfareArea.objects.get(code=AREA_CODE)
    coordinator = users["coordinator"]
    today = timezone.localdate()
    sectors = {}
    for key, (name_fi, name_sv, name_en) in SECTORS:
        sectors[key], _ = Sector.objects.update_or_create(
            welfare_area=area, name_fi=name_fi,
            defaults={"name": name_fi, "name_sv": name_sv, "name_en": name_en},
        )
    roles = {role.slug: role for role in ProcessRole.objects.all()}
    template = ProcessTemplate.objects.filter(is_default=True).first()
    questions = EvaluationTemplate.objects.filter(is_default=True).first()
    tables = []
    for sector_key, (name_fi, name_sv, name_en), (purpose_fi, purpose_sv), frequency, members in TABLES:
        table, _ = PartnershipTable.objects.update_or_create(
            welfare_area=area, name_fi=name_fi,
            defaults={
                "sector": sectors[sector_key],
                "name": name_fi, "name_sv": name_sv, "name_en": name_en,
                "purpose": purpose_fi, "purpose_fi": purpose_fi, "purpose_sv": purpose_sv,
                "status": TableStatus.ACTIVE,
                "access": TableAccess.MEMBERS_ONLY,
                "meeting_frequency": frequency,
                "owner": coordinator,
                "is_public": True,
            },
        )
        table.coordinators.add(coordinator)
        if template is not None and not ProcessStep.objects.filter(table=table).exists():
            process_steps_copy(actor=coordinator, table=table, source_template=template)
        for slug in (RoleSlug.COORDINATOR, RoleSlug.OWNER):
            if slug in roles:
                RoleAssignment.objects.get_or_create(
                    table=table, role=roles[slug], user=coordinator, valid_to=None,
                    defaults={"valid_from": datetime.date(today.year, 1, 1), "accepted_at": timezone.now()},
                )
        for name in members:
            organisation = organisations.get(name)
            if organisation is None or not organisation.is_approved:
                continue
            defaults = {"status": StandingMemberStatus.ACTIVE, "decided_by": coordinator}
            if name == "Vaasan Mielenterveysyhdistys ry":
                defaults.update(representative=users["representative"], substitute=users["member"])
            StandingMember.objects.get_or_create(
                table=table, organisation=organisation, defaults={**defaults, "decided_at": timezone.now()},
            )
        if questions is not None:
            AnnualEvaluation.objects.get_or_create(
                table=table, year=today.year,
                defaults={
                    "template": questions,
                    "opens_on": today - datetime.timedelta(days=7),
                    "due_on": today + datetime.timedelta(days=21),
                    "status": EvaluationStatus.OPEN,
                    "opened_at": timezone.now(),
                },
            )
        tables.append(table)
    # The representative's organisation asks to join the second table, so the approval flow has something to show.
    home_table = tables[1]
    organisation = organisations.get("Vaasan Mielenterveysyhdistys ry")
    asked = StandingMember.objects.filter(table=home_table, organisation=organisation).exists()
    if organisation is not None and not asked:
        # Through the service, as a representative would ask: the coordinators' notification is an
        # outbox row, printed to the console by make run and listed in the admin's e-mail outbox.
        standing_member_request(actor=users["representative"], table=home_table, organisation=organisation)
    if RoleSlug.CHAIR in roles:
        RoleAssignment.objects.get_or_create(
            table=tables[0], role=roles[RoleSlug.CHAIR], user=users["representative"], valid_to=None,
            defaults={"valid_from": datetime.date(today.year, 1, 1), "accepted_at": timezone.now()},
        )
    return tables
