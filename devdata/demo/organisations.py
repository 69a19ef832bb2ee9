"""Demo data for organisations: Pohjanmaa / Österbotten, bilingual, ~30 organisations."""

from django.utils import timezone

from organisations.models import (
    AreaCoordinator,
    Eligibility,
    Membership,
    MembershipRole,
    MembershipStatus,
    Municipality,
    Organisation,
    OrganisationKind,
    Theme,
    WelfareArea,
)

AREA_CODE = "PO"

# name, kind, business id or "", themes, municipality codes, eligibility, description
ORGANISATIONS = [
    ("Vaasan Mielenterveysyhdistys ry", "association", "0209806-4", ["mental-health"], ["905"], "approved",
     "Vertaistukea ja kohtaamispaikka mielenterveyskuntoutujille Vaasassa."),
    ("Österbottens Svenska Pensionärsförbund rf", "association", "", ["older-people", "social-inclusion"],
     ["905", "499", "598"], "approved", "Intressebevakning och verksamhet för svenskspråkiga pensionärer."),
    ("Pohjanmaan Omaishoitajat ry", "association", "", ["carers", "older-people"], ["905", "545", "499"],
     "approved", "Tukea ja virkistystä omaishoitajille koko Pohjanmaalla."),
    ("Föreningen Luckan i Jakobstad rf", "association", "", ["young-people", "social-inclusion"], ["598"],
     "approved", "Information och vägledning för unga vuxna."),
    ("A-klinikkasäätiö, Vaasan toimipiste", "foundation", "0215367-6", ["substance-abuse", "mental-health"],
     ["905", "499"], "approved", "Päihde- ja riippuvuustyötä sekä matalan kynnyksen palveluja."),
    ("Mannerheimin Lastensuojeluliiton Vaasan osasto", "association", "", ["children-families"], ["905"],
     "approved", "Perhekahvilat, lastenhoitoapu ja tukihenkilötoiminta."),
    ("Folkhälsan i Österbotten", "other_ngo", "", ["health-promotion", "children-families"],
     ["499", "598", "545", "287"], "approved", "Hälsofrämjande verksamhet på svenska."),
    ("Vaasan Seudun Sydänyhdistys ry", "association", "", ["chronic-illness", "health-promotion"], ["905", "399"],
     "approved", "Sydänsairaiden vertaistuki ja liikuntaryhmät."),
    ("Närpes Handikappförening rf", "association", "", ["disability"], ["545"], "approved",
     "Tillgänglighet och gemenskap för personer med funktionsnedsättning."),
    ("Kristinestads Mentalvårdsförening rf", "association", "", ["mental-health"], ["287"], "approved",
     "Mötesplats och stödverksamhet i Kristinestad."),
    ("Laihian Eläkeläiset ry", "association", "", ["older-people"], ["399"], "approved",
     "Kerhotoimintaa ja retkiä ikäihmisille."),
    ("Vaasan Ensi- ja turvakoti ry", "association", "", ["children-families", "safety"], ["905", "499"], "approved",
     "Työtä lähisuhdeväkivallan ehkäisemiseksi ja vauvaperheiden tukemiseksi."),
    ("Pohjanmaan Nuorisoseurat ry", "association", "", ["young-people", "sport-culture"], ["905", "399", "152"],
     "approved", "Nuorten harrastustoimintaa ja kulttuuria."),
    ("Jakobstadsnejdens Alzheimerförening rf", "association", "", ["older-people", "carers"], ["598", "599"],
     "approved", "Stöd för personer med minnessjukdom och deras närstående."),
    ("Vaasan Kuurojen Yhdistys ry", "association", "", ["disability"], ["905"], "approved",
     "Viittomakielisten kohtaamispaikka."),
    ("Multicultural Association Vaasa ry", "association", "", ["immigrants", "social-inclusion"], ["905"],
     "approved", "Kotoutumista tukevaa toimintaa ja kielikahviloita."),
    ("Korsholms Föräldraförening rf", "association", "", ["children-families"], ["499"], "approved",
     "Föräldrar stöder föräldrar i Korsholm."),
    ("Vaasan Asunnottomien Tuki ry", "association", "", ["housing", "substance-abuse"], ["905"], "approved",
     "Asumisneuvontaa ja tukea asunnottomuuden ehkäisyyn."),
    ("Pietarsaaren Diabetesyhdistys ry", "association", "", ["chronic-illness"], ["598"], "approved",
     "Vertaistukea diabeetikoille ja heidän läheisilleen."),
    ("Vörå Ungdomsförening rf", "association", "", ["young-people", "sport-culture"], ["946"], "approved",
     "Ungdomsgård och evenemang i Vörå."),
    ("Pohjanmaan Syöpäyhdistys ry", "association", "", ["chronic-illness"], ["905", "598", "545"], "approved",
     "Neuvontaa ja kuntoutusta syöpään sairastuneille."),
    ("Malax Hembygds- och Pensionärsförening rf", "association", "", ["older-people", "sport-culture"], ["475"],
     "approved", "Träffar och kultur för äldre i Malax."),
    ("Vaasan Kriisikeskus Mobile", "other_ngo", "", ["mental-health", "safety"], ["905", "499", "399"], "approved",
     "Kriisiapua ja keskusteluapua maksutta."),
    ("Larsmo Marthaförening rf", "association", "", ["health-promotion"], ["440"], "approved",
     "Hushåll, hälsa och gemenskap i Larsmo."),
    ("Kaskisten Kyläyhdistys ry", "association", "", ["social-inclusion"], ["231"], "approved",
     "Kylätoimintaa ja yhteisöllisyyttä Kaskisissa."),
    ("Uudenkaarlepyyn Päihdetyön Tuki ry", "association", "", ["substance-abuse"], ["893"], "pending",
     "Vapaaehtoisvoimin toimiva päihdetyön tukiyhdistys."),
    ("Korsnäs Närståendevårdare rf", "association", "", ["carers"], ["280"], "pending",
     "Stöd för närståendevårdare i Korsnäs."),
    ("Vaasan Liikuntaseura Vauhti ry", "association", "", ["sport-culture"], ["905"], "pending",
     "Matalan kynnyksen liikuntaryhmiä kaikenikäisille."),
    ("Pedersöre Invandrarstöd rf", "association", "", ["immigrants"], ["599"], "pending",
     "Frivilliga som stöder nyanlända i Pedersöre."),
    ("Esimerkkiyritys Oy", "other_ngo", "", [], ["905"], "rejected",
     "Yritys, joka halusi markkinoida palvelujaan kumppanuuspöydissä."),
]


def load(*, users: dict) -> dict:
    """Creates (or updates) the demo organisations; ``users`` holds the demo persons by role."""
    area = WelfareArea.objects.get(code=AREA_CODE)
    AreaCoordinator.objects.get_or_create(user=users["coordinator"], welfare_area=area)
    themes = {t.slug: t for t in Theme.objects.all()}
    municipalities = {m.code: m for m in Municipality.objects.filter(welfare_area=area)}
    created = {}
    for name, kind, business_id, theme_slugs, codes, eligibility, description in ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "kind": OrganisationKind(kind),
                "business_id": business_id or None,
                "welfare_area": area,
                "description": description,
                "eligibility": eligibility,
                "eligibility_reason": (
                    "Yritys, ei sosiaali- ja terveysalaa edistävä järjestö." if eligibility == "rejected" else ""
                ),
                "eligibility_decided_by": users["coordinator"] if eligibility != Eligibility.PENDING else None,
                "eligibility_decided_at": timezone.now() if eligibility != Eligibility.PENDING else None,
                "email": "",
            },
        )
        organisation.themes.set([themes[s] for s in theme_slugs if s in themes])
        organisation.municipalities.set([municipalities[c] for c in codes if c in municipalities])
        created[name] = organisation
    home = created["Vaasan Mielenterveysyhdistys ry"]
    Membership.objects.update_or_create(
        user=users["representative"], organisation=home,
        defaults={"role": MembershipRole.REPRESENTATIVE, "status": MembershipStatus.APPROVED},
    )
    Membership.objects.update_or_create(
        user=users["member"], organisation=home,
        defaults={"role": MembershipRole.MEMBER, "status": MembershipStatus.APPROVED},
    )
    return created
