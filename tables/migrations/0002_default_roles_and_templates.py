"""The process roles of the operating model, the default evaluation questions and the default process.

Drawn from the seeds: the process description names who does what and how (seed 000),
the chair rotates and prepares the agenda (seed 001), and the table is evaluated every
year by the coordinator and the standing members (seed 000). Admins edit all of these
later; running this again updates the texts but keeps anything admins added.
"""

from django.db import migrations

# slug, (fi, sv, en) name, (fi, sv, en) description
ROLES = [
    (
        "owner",
        ("Omistaja", "Ägare", "Owner"),
        (
            "Vastaa toimintamallin ylläpidosta ja kehittämisestä hyvinvointialueella ja käynnistää vuosiarvioinnin.",
            "Ansvarar för att verksamhetsmodellen upprätthålls och utvecklas i välfärdsområdet och startar den "
            "årliga utvärderingen.",
            "Maintains and develops the operating model in the wellbeing services county and starts the annual "
            "evaluation.",
        ),
    ),
    (
        "coordinator",
        ("Järjestökoordinaattori", "Organisationskoordinator", "Coordinator"),
        (
            "Hyvinvointialueen järjestökoordinaattori kutsuu pöydän koolle, kokoaa aiheet ja pitää jäsenet ajan "
            "tasalla.",
            "Välfärdsområdets organisationskoordinator sammankallar bordet, samlar in ämnen och håller "
            "medlemmarna informerade.",
            "The county's NGO coordinator convenes the table, collects the topics and keeps the members informed.",
        ),
    ),
    (
        "chair",
        ("Puheenjohtaja", "Ordförande", "Chair"),
        (
            "Kiertävä puheenjohtaja valmistelee esityslistan ja johtaa kokouksen.",
            "Den roterande ordföranden förbereder föredragningslistan och leder mötet.",
            "The rotating chair prepares the agenda and leads the meeting.",
        ),
    ),
    (
        "secretary",
        ("Sihteeri", "Sekreterare", "Secretary"),
        (
            "Kirjaa muistioon päätökset ja sovitut toimenpiteet vastuuhenkilöineen.",
            "Skriver promemorian med besluten och de överenskomna åtgärderna och deras ansvariga.",
            "Writes the minutes: the decisions and the agreed actions with the people responsible.",
        ),
    ),
    (
        "standing-member",
        ("Vakituinen jäsen", "Ständig medlem", "Standing member"),
        (
            "Järjestön nimetty edustaja tuo järjestönsä näkökulman pöytään ja vie tiedon takaisin järjestöön.",
            "Organisationens utsedda representant för fram organisationens synvinkel och för informationen "
            "tillbaka till organisationen.",
            "An organisation's named representative brings its view to the table and takes the information back.",
        ),
    ),
    (
        "experience-expert",
        ("Kokemusasiantuntija", "Erfarenhetsexpert", "Experience expert"),
        (
            "Tuo palveluja käyttäneiden kokemuksen pöydän keskusteluihin ja kehittämiseen.",
            "Bidrar med erfarenheterna hos dem som använt tjänsterna till bordets diskussioner och utveckling.",
            "Brings the experience of people who have used the services to the table's discussions and development.",
        ),
    ),
    (
        "sector-director",
        ("Toimialajohtaja", "Sektordirektör", "Sector director"),
        (
            "Sitoutuu toimialan johtona pöydän työhön ja vie sovitut asiat toimialan päätöksentekoon.",
            "Förbinder sig som sektorns ledning till bordets arbete och för de överenskomna frågorna vidare till "
            "sektorns beslutsfattande.",
            "As the sector's management, commits to the table's work and takes agreed matters into the sector's "
            "decision-making.",
        ),
    ),
]

EVALUATION_TEMPLATE = "Kumppanuuspöydän vuosiarviointi"
# kind, (fi, sv, en)
QUESTIONS = [
    (
        "scale",
        (
            "Saavuttiko kumppanuuspöytä sille asetetut tavoitteet?",
            "Uppnådde partnerskapsbordet sina mål?",
            "Did the partnership table meet its goals?",
        ),
    ),
    (
        "scale",
        (
            "Edustivatko osallistujat kattavasti toimialan järjestöjä?",
            "Var deltagarna representativa för sektorns organisationer?",
            "Was participation representative of the sector's organisations?",
        ),
    ),
    (
        "scale",
        (
            "Toteutuivatko yhdessä sovitut käytännön asiat?",
            "Genomfördes de praktiska saker som man kommit överens om?",
            "Did the agreed practical matters get done?",
        ),
    ),
    (
        "text",
        (
            "Mitä kumppanuuspöydän toiminnassa pitäisi kehittää?",
            "Vad borde utvecklas i partnerskapsbordets verksamhet?",
            "What should be developed in the table's work?",
        ),
    ),
    (
        "text",
        (
            "Mikä toimi hyvin?",
            "Vad fungerade bra?",
            "What worked well?",
        ),
    ),
]

PROCESS_TEMPLATE = "Kumppanuuspöydän perusprosessi"
PROCESS_DESCRIPTION = (
    "Pohjanmaan hyvinvointialueen kumppanuuspöytien prosessikuvaus: kuka tekee mitä, miten ja milloin. "
    "Kopioi pöydälle ja muokkaa omaksi."
)
# role slug, what, how, when
STEPS = [
    (
        "coordinator",
        "Pyytää vakituisilta jäseniltä aiheita seuraavaan kokoukseen",
        "Sähköpostilla kaikille vakituisten jäsenjärjestöjen edustajille ja varajäsenille; aiheet kootaan "
        "yhteiseen listaan.",
        "8 viikkoa ennen kokousta",
    ),
    (
        "chair",
        "Valmistelee esityslistan",
        "Käy kootut aiheet läpi koordinaattorin kanssa, valitsee käsiteltävät asiat ja pyytää tarvittaessa "
        "alustajat. Kiertävä puheenjohtaja esittelee ensin oman järjestönsä kuulumiset.",
        "4 viikkoa ennen kokousta",
    ),
    (
        "coordinator",
        "Lähettää kokouskutsun ja esityslistan",
        "Kutsu lähtee sovelluksesta vakituisille jäsenille (avoimessa pöydässä myös ilmoittautuneille); "
        "etäyhteyden linkki näkyy vain kutsutuille.",
        "3 viikkoa ennen kokousta",
    ),
    (
        "standing-member",
        "Valmistautuu kokoukseen ja kokoaa järjestönsä näkemykset",
        "Käy esityslistan läpi omassa järjestössään ja ilmoittaa, jos varajäsen osallistuu hänen sijastaan.",
        "Viimeistään viikkoa ennen kokousta",
    ),
    (
        "chair",
        "Johtaa kokouksen",
        "Käy esityslistan läpi ja huolehtii, että jokainen järjestö saa puheenvuoron ja että käytännön "
        "asioista sovitaan vastuuhenkilöineen.",
        "Kokouksessa",
    ),
    (
        "experience-expert",
        "Tuo kokemustiedon keskusteluun",
        "Kommentoi käsiteltäviä asioita palveluja käyttäneiden näkökulmasta.",
        "Kokouksessa",
    ),
    (
        "chair",
        "Sopii pöydän kanssa seuraavan kokouksen ja seuraavan puheenjohtajan",
        "Pöytä sopii kokouksen lopuksi seuraavan kokoontumisen ajan ja paikan sekä kiertävän "
        "puheenjohtajavuoron.",
        "Kokouksen lopussa",
    ),
    (
        "secretary",
        "Kirjoittaa ja julkaisee muistion",
        "Kirjaa päätökset ja sovitut toimenpiteet vastuuhenkilöineen ja määräaikoineen ja julkaisee muistion "
        "sovelluksessa.",
        "Viikon kuluessa kokouksesta",
    ),
    (
        "sector-director",
        "Vie pöydän esitykset toimialan päätöksentekoon",
        "Käsittelee sovitut asiat toimialan johtoryhmässä ja kertoo tuloksista seuraavassa kokouksessa.",
        "Kuukauden kuluessa kokouksesta",
    ),
    (
        "coordinator",
        "Seuraa sovittujen toimenpiteiden etenemistä",
        "Käy avoimet toimenpiteet läpi sovelluksessa ja muistuttaa vastuuhenkilöitä.",
        "Kokousten välillä kuukausittain",
    ),
    (
        "owner",
        "Käynnistää vuosiarvioinnin",
        "Arviointi avautuu sovelluksessa; omistaja kannustaa koordinaattoreita ja vakituisia jäseniä "
        "vastaamaan ja sulkee arvioinnin määräajan jälkeen.",
        "Vuosittain marraskuussa",
    ),
    (
        "coordinator",
        "Käy arvioinnin tulokset läpi pöydän kanssa ja päivittää prosessikuvauksen",
        "Esittelee yhteenvedon ja muutokset edellisestä vuodesta; pöytä sopii kehittämiskohteet.",
        "Vuoden ensimmäisessä kokouksessa",
    ),
]


def seed(apps, schema_editor):
    ProcessRole = apps.get_model("tables", "ProcessRole")
    EvaluationTemplate = apps.get_model("tables", "EvaluationTemplate")
    EvaluationQuestion = apps.get_model("tables", "EvaluationQuestion")
    ProcessTemplate = apps.get_model("tables", "ProcessTemplate")
    ProcessStep = apps.get_model("tables", "ProcessStep")

    roles = {}
    for position, (slug, (name_fi, name_sv, name_en), (desc_fi, desc_sv, desc_en)) in enumerate(ROLES, start=1):
        roles[slug], _ = ProcessRole.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name_fi, "name_fi": name_fi, "name_sv": name_sv, "name_en": name_en,
                "description": desc_fi, "description_fi": desc_fi, "description_sv": desc_sv,
                "description_en": desc_en, "position": position,
            },
        )

    evaluation, created = EvaluationTemplate.objects.get_or_create(
        name=EVALUATION_TEMPLATE, defaults={"is_default": not EvaluationTemplate.objects.filter(is_default=True).exists()}
    )
    if created:
        for position, (kind, (fi, sv, en)) in enumerate(QUESTIONS, start=1):
            EvaluationQuestion.objects.create(
                template=evaluation, position=position, kind=kind, text=fi, text_fi=fi, text_sv=sv, text_en=en,
            )

    process, created = ProcessTemplate.objects.get_or_create(
        name=PROCESS_TEMPLATE,
        defaults={
            "description": PROCESS_DESCRIPTION,
            "is_default": not ProcessTemplate.objects.filter(is_default=True).exists(),
        },
    )
    if created:
        for position, (slug, what, how, when) in enumerate(STEPS, start=1):
            ProcessStep.objects.create(
                template=process, position=position, role=roles[slug], what=what, how=how, when=when,
            )


class Migration(migrations.Migration):
    dependencies = [("tables", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
