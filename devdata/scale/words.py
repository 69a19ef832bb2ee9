"""Words for generated data: Finnish and Swedish names of people, organisations, sectors and meetings."""

FIRST_NAMES_FI = [
    "Aino", "Anna", "Anni", "Eeva", "Elina", "Emilia", "Hanna", "Heidi", "Helena", "Johanna", "Kaisa", "Katja",
    "Laura", "Leena", "Liisa", "Maria", "Marja", "Minna", "Noora", "Outi", "Päivi", "Riikka", "Sanna", "Satu",
    "Tiina", "Tuula", "Ville", "Antti", "Eero", "Heikki", "Jari", "Jukka", "Juha", "Kari", "Lauri", "Markku",
    "Matti", "Mikko", "Olli", "Pekka", "Petri", "Sami", "Timo", "Tuomas", "Veikko", "Janne", "Joonas", "Ari",
    "Esa", "Kalle", "Hilkka", "Raili", "Seija", "Irma", "Arja", "Merja", "Pirjo", "Sirpa", "Jaana", "Krista",
]
LAST_NAMES_FI = [
    "Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen", "Koskinen",
    "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi", "Heikkilä", "Kinnunen",
    "Salonen", "Turunen", "Salo", "Laitinen", "Tuominen", "Rantanen", "Karjalainen", "Jokinen", "Mattila",
    "Savolainen", "Lahtinen", "Ahonen", "Hiltunen", "Leinonen", "Kallio", "Miettinen", "Pitkänen", "Aaltonen",
    "Manninen", "Hakala", "Seppälä", "Väisänen", "Kettunen", "Huttunen", "Peltonen", "Ojala", "Räsänen",
]
FIRST_NAMES_SV = [
    "Anders", "Bengt", "Carl", "Erik", "Fredrik", "Göran", "Henrik", "Johan", "Kaj", "Lars", "Mats", "Nils",
    "Per", "Stefan", "Ulf", "Anna", "Britt", "Camilla", "Ebba", "Gunilla", "Ingrid", "Karin", "Lena", "Linnea",
    "Maria", "Sara", "Sofia", "Ulla", "Viveka", "Åsa",
]
LAST_NAMES_SV = [
    "Andersson", "Björklund", "Ek", "Forsman", "Granholm", "Holmström", "Johansson", "Karlsson", "Lindqvist",
    "Lund", "Nyman", "Sjöberg", "Strömberg", "Sundqvist", "Wikström", "Öhman", "Nordström", "Backman",
    "Westerlund", "Lindholm", "Sandvik", "Hägglund", "Björk", "Åkerlund",
]

# Share of Swedish speakers by welfare area code (roughly the official language statistics).
SWEDISH_SHARE = {"PO": 0.5, "LU": 0.2, "IU": 0.3, "VS": 0.06, "HKI": 0.06, "KP": 0.08, "VK": 0.03, "KU": 0.02}

# theme slug -> (Finnish, Swedish) kinds of association working on it
ORGANISATION_NOUNS = {
    "mental-health": [
        ("Mielenterveysseura", "Mentalvårdsförening"),
        ("Mielenterveysyhdistys", "Föreningen för psykisk hälsa"),
        ("Kriisikeskus", "Kriscenter"),
    ],
    "substance-abuse": [("A-kilta", "A-gillet"), ("Päihdetyön tuki", "Stöd för missbruksarbete"),
                        ("Raittiusyhdistys", "Nykterhetsförening")],
    "older-people": [("Eläkeläiset", "Pensionärsförening"), ("Senioriyhdistys", "Seniorförening"),
                     ("Muistiyhdistys", "Minnesförening")],
    "disability": [
        ("Invalidiyhdistys", "Invalidförening"),
        ("Näkövammaiset", "Synskadade"),
        ("Kehitysvammaisten tuki", "Stöd för personer med utvecklingsstörning"),
        ("Kuurojen yhdistys", "Dövas förening"),
    ],
    "children-families": [("MLL:n paikallisyhdistys", "MLL lokalförening"), ("Perheyhdistys", "Familjeförening"),
                          ("Ensi- ja turvakoti", "Mödra- och skyddshem")],
    "young-people": [
        ("Nuorisoseura", "Ungdomsförening"), ("Partiolaiset", "Scoutkår"), ("Nuorten tuki", "Ungdomsstöd"),
    ],
    "health-promotion": [("Martat", "Marthaförening"), ("Terveysliikuntaseura", "Motionsförening"),
                         ("Kansanterveysyhdistys", "Folkhälsoförening")],
    "chronic-illness": [("Sydänyhdistys", "Hjärtförening"), ("Diabetesyhdistys", "Diabetesförening"),
                        ("Syöpäyhdistys", "Cancerförening"), ("Reumayhdistys", "Reumaförening")],
    "social-inclusion": [
        ("Kyläyhdistys", "Byaförening"), ("Setlementti", "Settlementet"), ("Ystäväpiiri", "Vänkretsen"),
    ],
    "housing": [("Asunnottomien tuki", "Stöd för bostadslösa"), ("Asumisyhdistys", "Boendeförening")],
    "immigrants": [("Monikulttuuriyhdistys", "Mångkulturell förening"), ("Kotoutumisen tuki", "Integrationsstöd")],
    "carers": [("Omaishoitajat", "Närståendevårdare")],
    "safety": [("Vapaapalokunta", "Frivilliga brandkår"), ("Turvakotiyhdistys", "Skyddshemsförening")],
    "sport-culture": [("Urheiluseura", "Idrottsförening"), ("Kulttuuriyhdistys", "Kulturförening")],
}
NICKNAMES = ["Valo", "Toivo", "Kipinä", "Tuki", "Yhdessä", "Silta", "Majakka", "Ankkuri", "Pilari", "Verso",
             "Kompassi", "Tähti", "Helmi", "Kajo", "Lyhty", "Ankkuri", "Aalto", "Tupa", "Pirtti", "Kehto"]

DESCRIPTIONS = {
    "mental-health": "Vertaistukea, kohtaamispaikka ja matalan kynnyksen keskusteluapua mielenterveyskuntoutujille.",
    "substance-abuse": "Päihde- ja riippuvuustyötä, vertaisryhmiä ja tukea läheisille.",
    "older-people": "Kerhoja, retkiä ja ystävätoimintaa ikäihmisille.",
    "disability": "Edunvalvontaa, vertaistukea ja saavutettavia harrastuksia.",
    "children-families": "Perhekahvilat, tukihenkilöt ja lastenhoitoapu lapsiperheille.",
    "young-people": "Nuorten harrastus- ja vapaa-ajan toimintaa sekä ohjausta.",
    "health-promotion": "Terveyttä ja hyvinvointia edistävää toimintaa kaikenikäisille.",
    "chronic-illness": "Neuvontaa, kuntoutusta ja vertaistukea pitkäaikaissairaille ja läheisille.",
    "social-inclusion": "Yhteisöllisyyttä ja osallisuutta: kohtaamispaikka ja vapaaehtoistoimintaa.",
    "housing": "Asumisneuvontaa ja tukea asunnottomuuden ehkäisyyn.",
    "immigrants": "Kotoutumista tukevaa toimintaa, kielikahviloita ja neuvontaa.",
    "carers": "Tukea, virkistystä ja vertaisryhmiä omaishoitajille.",
    "safety": "Turvallisuutta edistävää toimintaa ja tukea väkivaltaa kokeneille.",
    "sport-culture": "Liikunta- ja kulttuuritoimintaa kaikille, myös erityisryhmille.",
}

SECTORS = [
    ("Psykososiaaliset palvelut", "Psykosociala tjänster"),
    ("Kotona asumisen palvelut", "Tjänster för boende hemma"),
    ("Lapsi- ja perhepalvelut", "Barn- och familjetjänster"),
    ("Ikääntyneiden palvelut", "Tjänster för äldre"),
    ("Vammaispalvelut", "Handikappservice"),
    ("Päihde- ja riippuvuuspalvelut", "Missbruks- och beroendevård"),
    ("Hyvinvoinnin ja terveyden edistäminen", "Främjande av välfärd och hälsa"),
    ("Työikäisten palvelut", "Tjänster för personer i arbetsför ålder"),
]

AGENDA_TITLES = [
    "Edellisen kokouksen muistio",
    "Ajankohtaiset kuulumiset järjestöiltä",
    "Hyvinvointialueen ajankohtaiset asiat",
    "Yhteistyöhankkeet ja avustukset",
    "Palvelutarpeet ja järjestöjen rooli",
    "Seuraavan kokouksen ajankohta ja puheenjohtaja",
]
DECISIONS = [
    "Muistio hyväksyttiin.",
    "Päätettiin koota järjestöjen palautteet yhteiseen dokumenttiin.",
    "Seuraava kokous pidetään hybridinä; puheenjohtajavuoro kiertää.",
    "Sovittiin yhteisestä tiedotuksesta hyvinvointialueen verkkosivuilla.",
]
ACTION_ITEMS = [
    "Kootaan järjestöjen yhteystiedot päivitettyyn listaan",
    "Valmistellaan yhteinen lausunto palvelustrategiasta",
    "Selvitetään tilavaraukset seuraavaa kokousta varten",
    "Lähetetään kysely jäsenjärjestöille vapaaehtoistoiminnasta",
    "Päivitetään prosessikuvaus vastuuhenkilöineen",
    "Kutsutaan kokemusasiantuntija seuraavaan kokoukseen",
    "Tiedotetaan avustushausta jäsenjärjestöille",
    "Kootaan tilastot kohtaamispaikkojen kävijämääristä",
]
ADDRESSES = ["Kirkkokatu", "Kauppakatu", "Rantakatu", "Asemakatu", "Koulukatu", "Hallituskatu", "Torikatu"]

ASCII = str.maketrans({"ä": "a", "ö": "o", "å": "a", "Ä": "A", "Ö": "O", "Å": "A", "é": "e", ":": "", " ": "-"})


def slug(text: str) -> str:
    return text.translate(ASCII).lower()
