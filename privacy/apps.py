from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    # Personal data (GDPR): the download, account deletion and the User admin that uses it. No models.
    name = "privacy"
