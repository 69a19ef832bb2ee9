"""The notification settings: a choice per kind (at once, daily or weekly digest, off) beside the
reminders; the one-click unsubscribe page; the booleans that became choices."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from accounts.services import user_update_profile
from meetings.services.agenda import AGENDA_UPDATE
from organisations.services import ELIGIBILITY_DECISION, MEMBERSHIP_REQUEST
from outbox.preferences import Rhythm, choosable_kinds, settings_anchor, unsubscribe_token
from tables.services import TABLE_MESSAGE

pytestmark = pytest.mark.django_db

PROFILE_QUERIES, UNSUBSCRIBE_QUERIES = 5, 6  # session, person, ...: none per kind
PROFILE = {"full_name": "Maija", "language": "fi", "notify_meeting_reminders": "on"}


def test_the_page_offers_every_kind_the_person_may_choose_as_a_labelled_radio_group(client, member):
    client.force_login(member)
    with override("fi"):
        page = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert choosable_kinds()
    for kind in choosable_kinds():
        assert f'<fieldset id="{settings_anchor(kind)}"' in page  # the e-mails' settings links land here
    assert 'type="radio"' in page and "<legend" in page
    assert 'name="rhythm_tables_table_message" value="now" id=' in page
    assert "Päivän koosteessa" in page  # the choices are translated
    assert f'id="{settings_anchor(ELIGIBILITY_DECISION)}"' not in page  # always sent: listed, not offered
    assert 'name="notify_action_items"' in page  # the reminders stay on/off, in the same section


def test_choices_are_saved_and_unchanged_kinds_kept(client, member):
    member.notification_rhythms = {MEMBERSHIP_REQUEST: Rhythm.WEEKLY}
    member.save()
    client.force_login(member)
    response = client.post(reverse("accounts:profile"), {
        **PROFILE, "rhythm_tables_table_message": "daily", "rhythm_meetings_agenda_update": "off",
    })
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.notification_rhythms == {
        AGENDA_UPDATE: "off", MEMBERSHIP_REQUEST: "weekly", TABLE_MESSAGE: "daily",
    }
    client.post(reverse("accounts:profile"), {**PROFILE, "rhythm_tables_table_message": "now"})
    member.refresh_from_db()
    assert TABLE_MESSAGE not in member.notification_rhythms  # "at once" is the default: not stored


def test_a_bad_choice_is_shown_next_to_its_group_and_nothing_is_saved(client, member):
    client.force_login(member)
    response = client.post(reverse("accounts:profile"), {**PROFILE, "rhythm_tables_table_message": "hourly"})
    assert response.status_code == 200
    page = response.content.decode()
    anchor = settings_anchor(TABLE_MESSAGE)
    assert f'id="{anchor}-errors"' in page and f'aria-describedby="rhythm-help {anchor}-errors"' in page
    member.refresh_from_db()
    assert member.notification_rhythms == {}


def test_the_service_refuses_kinds_that_cannot_be_chosen(member):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        user_update_profile(user=member, data={"notification_rhythms": {ELIGIBILITY_DECISION: "off"}})
    with pytest.raises(ValidationError):
        user_update_profile(user=member, data={"notification_rhythms": {TABLE_MESSAGE: "sometimes"}})


def test_the_unsubscribe_page_asks_then_turns_off(client, member):
    url = reverse("accounts:unsubscribe", args=[unsubscribe_token(member.pk, TABLE_MESSAGE)])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    member.refresh_from_db()
    assert member.notification_rhythms == {}
    done = client.post(url)
    assert done.status_code == 200 and done.context["labels"]
    member.refresh_from_db()
    assert member.notification_rhythms == {TABLE_MESSAGE: "off"}
    assert client.post(url).context["labels"] == []  # a second click changes nothing


def test_a_digest_unsubscribe_turns_off_what_the_digest_carries(client, member):
    member.notification_rhythms = {TABLE_MESSAGE: "daily", AGENDA_UPDATE: "weekly"}
    member.save()
    client.post(reverse("accounts:unsubscribe", args=[unsubscribe_token(member.pk, "digest.daily")]))
    member.refresh_from_db()
    assert member.notification_rhythms == {TABLE_MESSAGE: "off", AGENDA_UPDATE: "weekly"}


@pytest.mark.parametrize("problem", ["forged", "closed", "expired"])
def test_a_bad_unsubscribe_link_gets_a_clear_page(client, member, problem, settings):
    token = unsubscribe_token(member.pk, TABLE_MESSAGE)
    if problem == "forged":
        token = token[:-2] + "xx"
    elif problem == "closed":
        member.is_active = False
        member.save()
    else:
        settings.OUTBOX_UNSUBSCRIBE_DAYS = -1
    response = client.post(reverse("accounts:unsubscribe", args=[token]))
    assert response.status_code == 400 and response.context["invalid"]
    member.refresh_from_db()
    assert member.notification_rhythms == {}


def test_the_migration_keeps_off_as_off(django_db_blocker):
    """0007 turns the two booleans into choices: off stays off, on becomes the default."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0006_notify_agenda_updates")])
    old = executor.loader.project_state([("accounts", "0006_notify_agenda_updates")]).apps
    User = old.get_model("accounts", "User")
    User.objects.create(email="quiet@example.org", notify_table_messages=False, notify_agenda_updates=True)
    User.objects.create(email="loud@example.org")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from accounts.models import User as Current

    assert Current.objects.get(email="quiet@example.org").notification_rhythms == {TABLE_MESSAGE: "off"}
    assert Current.objects.get(email="loud@example.org").notification_rhythms == {}


@pytest.mark.parametrize("chosen", [0, 1000])
def test_the_settings_and_unsubscribe_pages_read_a_fixed_number_of_queries(client, member, chosen):
    """However many kinds a person has chosen for (the choices are one JSON value on the person)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member.notification_rhythms = dict.fromkeys(choosable_kinds()[:chosen], Rhythm.DAILY)
    member.save()
    client.force_login(member)
    with CaptureQueriesContext(connection) as page:
        assert client.get(reverse("accounts:profile")).status_code == 200
    url = reverse("accounts:unsubscribe", args=[unsubscribe_token(member.pk, "digest.daily")])
    with CaptureQueriesContext(connection) as unsubscribe:
        assert client.get(url).status_code == 200
    assert (len(page), len(unsubscribe)) == (PROFILE_QUERIES, UNSUBSCRIBE_QUERIES)
