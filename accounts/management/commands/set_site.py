"""Names the site after SITE_URL (allauth uses it in e-mails); run after changing SITE_URL."""

from urllib.parse import urlparse

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Set the Sites framework's domain from SITE_URL."

    def handle(self, *args, **options):
        domain = urlparse(settings.SITE_URL).netloc
        Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": domain, "name": "Kumppanuus"})
        Site.objects.clear_cache()
        self.stdout.write(f"Site domain set to {domain}.")
