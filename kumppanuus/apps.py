from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class KumppanuusConfig(AppConfig):
    """The ground floor: its management commands and system checks."""

    default = True
    name = "kumppanuus"
    verbose_name = "Kumppanuus"

    def ready(self):
        from kumppanuus import checks  # noqa: F401 (registers the system checks)


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin with our site (kumppanuus/sites.py): it signs people in through allauth's
    rate-limited sign-in, never with a password form of its own."""

    default = False
    default_site = "kumppanuus.sites.AdminSite"
