"""Answer links become revocable (issue 11): each invitation gets a link key signed into its links.

Existing invitations keep an empty key, so the links already e-mailed (which carry none) keep working
until a coordinator revokes them; new invitations get a random key.
"""

import meetings.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0005_normalised_email'),
    ]

    operations = [
        migrations.AddField(
            model_name='invitation',
            name='link_key',
            field=models.CharField(blank=True, default='', editable=False, max_length=32, verbose_name='answer link key'),
        ),
        migrations.AlterField(
            model_name='invitation',
            name='link_key',
            field=models.CharField(blank=True, default=meetings.models.new_link_key, editable=False, max_length=32, verbose_name='answer link key'),
        ),
    ]
