"""Addresses are stored in one form and compared exactly (kumppanuus/addresses.py): the stored
addresses of notifications are rewritten into it."""

from django.db import migrations

import kumppanuus.addresses


def normalise(apps, schema_editor):
    kumppanuus.addresses.normalise_stored_addresses(apps.get_model("outbox", "Notification"))


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0002_rename_periodic_tasks"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="email",
            field=kumppanuus.addresses.NormalisedEmailField(max_length=254, verbose_name="e-mail address"),
        ),
        migrations.RunPython(normalise, migrations.RunPython.noop),
    ]
