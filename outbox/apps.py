from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("E-mail outbox")

    def ready(self):
        from outbox.notifications import register_row_type

        register_row_type()
