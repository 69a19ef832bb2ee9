"""Addresses are stored in one form and compared exactly (kumppanuus/addresses.py): the account's
address and allauth's addresses are rewritten into it."""

from django.db import migrations

import kumppanuus.addresses


def normalise(apps, schema_editor):
    kumppanuus.addresses.normalise_stored_addresses(apps.get_model("accounts", "User"))
    kumppanuus.addresses.normalise_stored_addresses(apps.get_model("account", "EmailAddress"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_site_from_site_url"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="email",
            field=kumppanuus.addresses.NormalisedEmailField(max_length=254, unique=True, verbose_name="e-mail address"),
        ),
        migrations.RunPython(normalise, migrations.RunPython.noop),
    ]
