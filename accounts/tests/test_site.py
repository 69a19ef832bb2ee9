from django.contrib.sites.models import Site
from django.core import mail
from django.core.management import call_command
from django.urls import reverse


def test_allauth_mail_names_our_site_not_example_com(client, db, settings):
    settings.SITE_URL = "https://kumppanuus.example.fi"
    call_command("set_site")
    assert Site.objects.get_current().domain == "kumppanuus.example.fi"
    client.post(
        reverse("account_signup"),
        {
            "email": "uusi@example.org", "full_name": "Uusi Henkilö", "language": "fi",
            "password1": "hyvä-salasana-2026", "password2": "hyvä-salasana-2026",
        },
    )
    assert len(mail.outbox) == 1
    assert "example.com" not in mail.outbox[0].body
    assert "Kumppanuus" in mail.outbox[0].subject + mail.outbox[0].body
