import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_user_admin_renders_with_coordinator_roles(client, admin_user, coordinator):
    client.force_login(admin_user)
    assert client.get(reverse("admin:accounts_user_changelist"), {"q": "coordinator"}).status_code == 200
    assert client.get(reverse("admin:accounts_user_add")).status_code == 200
    response = client.get(reverse("admin:accounts_user_change", args=[coordinator.pk]))
    assert response.status_code == 200
    assert "coordinator@example.org" in response.content.decode()


def test_admin_creates_a_user_with_email_only(client, admin_user):
    from accounts.models import User

    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Uusi@Example.org",
            "full_name": "Uusi",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "usable_password": "true",
            "area_coordinator_roles-TOTAL_FORMS": "0",
            "area_coordinator_roles-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    assert User.objects.filter(email="uusi@example.org").exists()
