"""Addresses are stored in one form and compared exactly (kumppanuus/addresses.py): the stored
addresses of invitations are rewritten into it."""

from django.db import migrations

import kumppanuus.addresses


def normalise(apps, schema_editor):
    kumppanuus.addresses.normalise_stored_addresses(apps.get_model("meetings", "Invitation"))


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_outbox_claim_token"),
    ]

    operations = [
        migrations.AlterField(
            model_name="invitation",
            name="email",
            field=kumppanuus.addresses.NormalisedEmailField(max_length=254, verbose_name="e-mail address"),
        ),
        migrations.RunPython(normalise, migrations.RunPython.noop),
    ]
