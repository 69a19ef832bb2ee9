"""The demo's texts in Swedish: Pohjanmaa / Österbotten is a bilingual county, so its coordinators
write process steps, meeting titles and agenda items in Finnish and Swedish (modeltranslation's
*_sv columns). ``add_swedish`` fills in the Swedish where a demo text has none, so it can run on a
demo loaded before (and as often as you like): a Swedish text someone wrote is left alone."""

from meetings.models import AgendaItem, Meeting
from tables.models import ProcessStep

# Finnish "what" of the default process template's steps → Swedish what, how, when.
STEPS = {
    "Pyytää vakituisilta jäseniltä aiheita seuraavaan kokoukseen": (
        "Ber de ständiga medlemmarna om ämnen till nästa möte",
        "Per e-post till alla representanter och ersättare för de ständiga medlemsorganisationerna; ämnena "
        "samlas i en gemensam lista.",
        "8 veckor före mötet",
    ),
    "Valmistelee esityslistan": (
        "Bereder föredragningslistan",
        "Går igenom de insamlade ämnena med koordinatorn, väljer ärendena och ber vid behov om inledare. "
        "Den roterande ordföranden berättar först om sin egen organisations aktuella frågor.",
        "4 veckor före mötet",
    ),
    "Lähettää kokouskutsun ja esityslistan": (
        "Skickar möteskallelsen och föredragningslistan",
        "Inbjudan skickas från tjänsten till de ständiga medlemmarna (vid ett öppet bord även till de "
        "anmälda); länken till distansmötet syns bara för de inbjudna.",
        "3 veckor före mötet",
    ),
    "Valmistautuu kokoukseen ja kokoaa järjestönsä näkemykset": (
        "Förbereder sig för mötet och samlar sin organisations synpunkter",
        "Går igenom föredragningslistan i sin organisation och meddelar om ersättaren deltar i stället.",
        "Senast en vecka före mötet",
    ),
    "Johtaa kokouksen": (
        "Leder mötet",
        "Går igenom föredragningslistan och ser till att varje organisation får ordet och att praktiska "
        "frågor avtalas med ansvarspersoner.",
        "På mötet",
    ),
    "Tuo kokemustiedon keskusteluun": (
        "För in erfarenhetskunskap i diskussionen",
        "Kommenterar ärendena ur perspektivet hos dem som har använt tjänsterna.",
        "På mötet",
    ),
    "Sopii pöydän kanssa seuraavan kokouksen ja seuraavan puheenjohtajan": (
        "Kommer överens med bordet om nästa möte och nästa ordförande",
        "I slutet av mötet kommer bordet överens om tid och plats för nästa möte och om den roterande "
        "ordförandeturen.",
        "I slutet av mötet",
    ),
    "Kirjoittaa ja julkaisee muistion": (
        "Skriver och publicerar promemorian",
        "Antecknar besluten och de överenskomna åtgärderna med ansvarspersoner och tidsfrister och publicerar "
        "promemorian i tjänsten.",
        "Inom en vecka efter mötet",
    ),
    "Vie pöydän esitykset toimialan päätöksentekoon": (
        "För bordets förslag till sektorns beslutsfattande",
        "Behandlar de överenskomna frågorna i sektorns ledningsgrupp och berättar om resultaten på nästa möte.",
        "Inom en månad efter mötet",
    ),
    "Seuraa sovittujen toimenpiteiden etenemistä": (
        "Följer upp de överenskomna åtgärderna",
        "Går igenom de öppna åtgärderna i tjänsten och påminner ansvarspersonerna.",
        "Mellan mötena varje månad",
    ),
    "Käynnistää vuosiarvioinnin": (
        "Inleder den årliga utvärderingen",
        "Utvärderingen öppnas i tjänsten; ägaren uppmuntrar koordinatorerna och de ständiga medlemmarna att "
        "svara och stänger utvärderingen efter tidsfristen.",
        "Årligen i november",
    ),
    "Käy arvioinnin tulokset läpi pöydän kanssa ja päivittää prosessikuvauksen": (
        "Går igenom utvärderingens resultat med bordet och uppdaterar processbeskrivningen",
        "Presenterar sammandraget och förändringarna från föregående år; bordet kommer överens om "
        "utvecklingsområden.",
        "Vid årets första möte",
    ),
}

MEETINGS = {
    "Vuoden ensimmäinen kokous": "Årets första möte",
    "Kevään kokous": "Vårens möte",
    "Syksyn kokous": "Höstens möte",
    "Talven kokous": "Vintermöte",
}

MEETING_DESCRIPTIONS = {
    "Vuoden viimeinen kokous: palvelutarpeiden kartoitus ja ensi vuoden kokousaikataulu.":
        "Årets sista möte: kartläggningen av servicebehoven och nästa års mötestidtabell.",
}

AGENDA = {
    "Kuulumiskierros: järjestöjen ajankohtaiset": "Nyhetsrunda: aktuellt från organisationerna",
    "Pöydän vuosisuunnitelma": "Bordets årsplan",
    "Järjestöavustusten haku": "Ansökan om understöd för organisationer",
    "Kuulumiskierros": "Nyhetsrunda",
    "Mielenterveysviikon yhteinen tapahtuma": "Mentalvårdsveckans gemensamma evenemang",
    "Kokemusasiantuntijoiden palkkiot": "Arvoden för erfarenhetsexperter",
    "Palvelutarpeiden kartoitus 2027": "Kartläggning av servicebehoven 2027",
    "Vuosiarvioinnin valmistelu": "Förberedelse av den årliga utvärderingen",
    "Palvelutarpeiden kartoitus: tulokset": "Kartläggningen av servicebehoven: resultat",
    "Kokousaikataulu 2027": "Mötestidtabell 2027",
}


def add_swedish(*, tables: list) -> None:
    """Gives the demo tables' process steps, meetings and agenda items their Swedish texts where they
    have none (one UPDATE per text; the demo is small)."""
    steps = ProcessStep.objects.rewrite(False).filter(table__in=tables, what_sv__isnull=True)
    for what_fi, (what_sv, how_sv, when_sv) in STEPS.items():
        steps.filter(what_fi=what_fi).update(what_sv=what_sv, how_sv=how_sv, when_sv=when_sv)
    meetings = Meeting.objects.rewrite(False).filter(table__in=tables)
    for title_fi, title_sv in MEETINGS.items():
        meetings.filter(title_fi=title_fi, title_sv__isnull=True).update(title_sv=title_sv)
    for description_fi, description_sv in MEETING_DESCRIPTIONS.items():
        meetings.filter(description_fi=description_fi, description_sv__isnull=True).update(
            description_sv=description_sv
        )
    items = AgendaItem.objects.rewrite(False).filter(meeting__table__in=tables, title_sv__isnull=True)
    for title_fi, title_sv in AGENDA.items():
        items.filter(title_fi=title_fi).update(title_sv=title_sv)
