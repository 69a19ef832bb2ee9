from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # rules' autodiscovery only imports modules called rules.py; the meeting rules live in
        # permissions.py and must be registered in every process (web, worker, shell).
        from meetings import permissions  # noqa: F401
        from meetings.emails import register_outbox_rows
        from meetings.selectors import table_minutes_context
        from tables.selectors import register_table_page_section

        # The table page lists the table's coming meetings and published minutes.
        register_table_page_section("meetings/includes/table_meetings.html", table_minutes_context)
        # What meetings send (invitations, reminders, waiting-list places) leaves through the outbox.
        register_outbox_rows()
