"""The managed list of themes starts with these; admins add and rename them later."""

from django.db import migrations

THEMES = [
    ("mental-health", "Mielenterveys", "Psykisk hälsa", "Mental health"),
    ("substance-abuse", "Päihteet ja riippuvuudet", "Missbruk och beroende", "Substance abuse and addiction"),
    ("older-people", "Ikäihmiset", "Äldre", "Older people"),
    ("disability", "Vammaisuus", "Funktionsnedsättning", "Disability"),
    ("children-families", "Lapset ja perheet", "Barn och familjer", "Children and families"),
    ("young-people", "Nuoret", "Unga", "Young people"),
    ("health-promotion", "Hyvinvoinnin ja terveyden edistäminen", "Främjande av välfärd och hälsa",
     "Promoting wellbeing and health"),
    ("chronic-illness", "Pitkäaikaissairaudet ja kuntoutus", "Långvariga sjukdomar och rehabilitering",
     "Chronic illness and rehabilitation"),
    ("social-inclusion", "Osallisuus ja yksinäisyys", "Delaktighet och ensamhet", "Inclusion and loneliness"),
    ("housing", "Asuminen", "Boende", "Housing"),
    ("immigrants", "Maahanmuuttajat", "Invandrare", "Immigrants"),
    ("carers", "Omaishoito", "Närståendevård", "Family carers"),
    ("safety", "Turvallisuus", "Säkerhet", "Safety"),
    ("sport-culture", "Liikunta ja kulttuuri", "Motion och kultur", "Sport and culture"),
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("organisations", "Theme")
    for position, (slug, fi, sv, en) in enumerate(THEMES):
        Theme.objects.update_or_create(
            slug=slug,
            defaults={"name": fi, "name_fi": fi, "name_sv": sv, "name_en": en, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
