from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TablesConfig(AppConfig):
    name = "tables"
    verbose_name = _("Partnership tables")

    def ready(self):
        # rules' autodiscovery only imports modules called rules.py; the table rules live
        # in permissions.py and must be registered in every process (web, worker, shell).
        from tables import permissions  # noqa: F401
        from tables.emails import register_outbox_rows
        from tables.receivers import connect

        # What tables send (evaluation notices, standing-member notices) leaves through the outbox.
        register_outbox_rows()
        # Role nominations made to an address bind to the account that verifies it.
        connect()
        from organisations.selectors import register_review_queue_section
        from tables.views.members import review_queue_section

        # The coordinators' review queue lists the requests for standing membership too.
        register_review_queue_section("tables/includes/review_queue_standing_members.html", review_queue_section)
