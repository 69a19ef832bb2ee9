import pytest
from django.core.exceptions import ValidationError

from accounts.services import user_set_language, user_update_profile
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_update_profile_saves_name_language_and_notifications():
    user = UserFactory(language="fi")
    user_update_profile(user=user, data={"full_name": "Uusi Nimi", "language": "en", "notify_action_items": False})
    user.refresh_from_db()
    assert (user.full_name, user.language, user.notify_action_items) == ("Uusi Nimi", "en", False)
    assert user.notify_meeting_reminders is True  # not named, not changed


def test_update_profile_refuses_unknown_language():
    user = UserFactory(language="fi")
    with pytest.raises(ValidationError) as caught:
        user_update_profile(user=user, data={"language": "de"})
    assert "language" in caught.value.error_dict
    user.refresh_from_db()
    assert user.language == "fi"


def test_set_language_saves_known_languages_only():
    user = UserFactory(language="fi")
    user_set_language(user=user, language="sv")
    user.refresh_from_db()
    assert user.language == "sv"
    user_set_language(user=user, language="xx")
    user.refresh_from_db()
    assert user.language == "sv"


def test_email_is_stored_in_lower_case():
    from accounts.models import User

    user = User.objects.create_user("Someone@Example.ORG", password="x" * 12)
    assert user.email == "someone@example.org"
    assert user.check_password("x" * 12)
