"""A baseline audit-history record for every row that has none (issue 13).

Rows written by data migrations (the seeded process roles and template steps), bulk_create or
imports have no history record: simple-history's signals do not run for them, so their first
change would show no difference. This writes the "+" record such a row would have had, dated when
the row was created if it says so, with no user and the reason "baseline" (shown as "import").
From now on manage.py create_history_baselines does the same after imports.
"""

from django.db import migrations
from django.utils import timezone

MODELS = ("AreaCoordinator", "Organisation", "Membership")


def add_baselines(apps, schema_editor):
    now = timezone.now()
    for name in MODELS:
        model = apps.get_model("organisations", name)
        history = apps.get_model("organisations", f"Historical{name}")
        kept = {f.attname for f in history._meta.concrete_fields}
        copied = [f.attname for f in model._meta.concrete_fields if f.attname in kept]
        rows = [
            history(
                **{attname: getattr(row, attname) for attname in copied},
                history_date=getattr(row, "created_at", None) or now,
                history_type="+",
                history_change_reason="baseline",
                history_user_id=None,
            )
            for row in model.objects.exclude(pk__in=history.objects.values("id")).iterator()
        ]
        history.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_default_themes")]

    operations = [migrations.RunPython(add_baselines, migrations.RunPython.noop)]
