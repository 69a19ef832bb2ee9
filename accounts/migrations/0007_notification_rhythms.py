from django.db import migrations, models

# The kinds the two booleans become (tables.services.messages.TABLE_MESSAGE, meetings.emails.AGENDA_UPDATE),
# spelled out: a migration must not depend on code that may change.
TABLE_MESSAGE = "tables.table_message"
AGENDA_UPDATE = "meetings.agenda_update"


def booleans_to_rhythms(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(models.Q(notify_table_messages=False) | models.Q(notify_agenda_updates=False)):
        rhythms = dict(user.notification_rhythms or {})
        if not user.notify_table_messages:
            rhythms[TABLE_MESSAGE] = "off"
        if not user.notify_agenda_updates:
            rhythms[AGENDA_UPDATE] = "off"
        user.notification_rhythms = rhythms
        user.save(update_fields=["notification_rhythms"])


def rhythms_to_booleans(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(notification_rhythms={}):
        rhythms = user.notification_rhythms or {}
        user.notify_table_messages = rhythms.get(TABLE_MESSAGE, "now") != "off"
        user.notify_agenda_updates = rhythms.get(AGENDA_UPDATE, "now") != "off"
        user.save(update_fields=["notify_table_messages", "notify_agenda_updates"])


class Migration(migrations.Migration):
    """Messages from tables and agenda updates were on/off; they become two of the per-kind choices
    (at once, daily or weekly digest, off): off stays off, on becomes "at once" (the default)."""

    dependencies = [
        ('accounts', '0006_notify_agenda_updates'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='notification_rhythms',
            field=models.JSONField(blank=True, default=dict, verbose_name='notification rhythms'),
        ),
        migrations.RunPython(booleans_to_rhythms, rhythms_to_booleans),
        migrations.RemoveField(
            model_name='user',
            name='notify_agenda_updates',
        ),
        migrations.RemoveField(
            model_name='user',
            name='notify_table_messages',
        ),
    ]
