"""Loads a realistic, bilingual demo: run it as often as you like, it updates what is there."""

from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from devdata.demo import meetings as meetings_demo
from devdata.demo import organisations as organisations_demo
from devdata.demo import tables as tables_demo
from devdata.demo import waiting as waiting_demo

DEMO_PASSWORD = "kumppanuus-demo-2026"

# role, e-mail, full name, language
DEMO_USERS = [
    ("admin", "admin@demo.kumppanuus.fi", "Aino Admin", "fi"),
    ("coordinator", "koordinaattori@demo.kumppanuus.fi", "Kaisa Koordinaattori", "fi"),
    ("representative", "edustaja@demo.kumppanuus.fi", "Erik Edustaja", "sv"),
    ("member", "jasen@demo.kumppanuus.fi", "Jenni Jäsen", "fi"),
]


class Command(BaseCommand):
    help = "Load the demo data (Pohjanmaa / Österbotten) and print the demo logins."

    @transaction.atomic
    def handle(self, *args, **options):
        call_command("import_areas", stdout=self.stdout)
        users = {}
        for role, email, full_name, language in DEMO_USERS:
            user, _ = User.objects.update_or_create(
                email=email,
                defaults={
                    "full_name": full_name,
                    "language": language,
                    "is_staff": role == "admin",
                    "is_superuser": role == "admin",
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            users[role] = user

        organisations = organisations_demo.load(users=users)
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {len(organisations)} organisations."))

        tables = tables_demo.load(users=users, organisations=organisations)
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {len(tables)} partnership tables."))
        meetings = meetings_demo.load(users=users, tables=tables)
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {len(meetings)} meetings."))
        waiting_demo.load(users=users, tables=tables)
        self.stdout.write(self.style.SUCCESS("Demo loaded: registrations, requests and messages waiting."))
        # Anything the demo wrote without a history record gets its baseline (issue 13).
        call_command("create_history_baselines", stdout=self.stdout)
        call_command("setup_periodic_tasks", stdout=self.stdout)
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for role, email, full_name, _language in DEMO_USERS:
            self.stdout.write(f"  {role:15} {email}  ({full_name})")
