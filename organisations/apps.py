from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        # The rules are registered when permissions.py is imported; rules' autodiscovery only
        # looks for modules called rules.py, so without this a shell, a management command or
        # a worker that has not imported the views would silently refuse every permission.
        from organisations import permissions  # noqa: F401
        from organisations.emails import register_notifications

        # What organisations send (eligibility and membership notices) leaves through the outbox.
        register_notifications()
