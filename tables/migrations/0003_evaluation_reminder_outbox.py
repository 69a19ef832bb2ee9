"""Evaluation reminders become outbox rows (issue 10): every existing row was a notice already sent."""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def created_when_sent(apps, schema_editor):
    EvaluationReminder = apps.get_model("tables", "EvaluationReminder")
    EvaluationReminder.objects.update(created_at=F("sent_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('tables', '0002_default_roles_and_templates'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='evaluationreminder',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='attempts'),
        ),
        migrations.AddField(
            model_name='evaluationreminder',
            name='claim_token',
            field=models.CharField(blank=True, editable=False, max_length=32, verbose_name='claimed by batch'),
        ),
        migrations.AddField(
            model_name='evaluationreminder',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='created'),
        ),
        migrations.AddField(
            model_name='evaluationreminder',
            name='delivery_status',
            # The rows that exist were sent when they were written (the old code sent, then recorded).
            field=models.CharField(choices=[('queued', 'Queued'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed'), ('skipped', 'Not needed')], default='sent', max_length=10, verbose_name='delivery status'),
        ),
        migrations.AlterField(
            model_name='evaluationreminder',
            name='delivery_status',
            field=models.CharField(choices=[('queued', 'Queued'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed'), ('skipped', 'Not needed')], default='queued', max_length=10, verbose_name='delivery status'),
        ),
        migrations.RunPython(created_when_sent, migrations.RunPython.noop),
        migrations.AddField(
            model_name='evaluationreminder',
            name='last_error',
            field=models.TextField(blank=True, verbose_name='last error'),
        ),
        migrations.AddField(
            model_name='evaluationreminder',
            name='queued_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='queued at'),
        ),
        migrations.AddField(
            model_name='evaluationreminder',
            name='sending_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='sending started at'),
        ),
        migrations.AlterField(
            model_name='evaluationreminder',
            name='sent_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='sent at'),
        ),
        migrations.AddIndex(
            model_name='evaluationreminder',
            index=models.Index(condition=models.Q(('delivery_status__in', ['queued', 'sending'])), fields=['delivery_status', 'queued_at'], name='evaluation_reminder_unsent'),
        ),
    ]
