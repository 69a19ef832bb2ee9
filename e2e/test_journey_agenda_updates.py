"""Journey: a coordinator edits the agenda of a scheduled meeting three times in a row, and each
invitee gets exactly one "agenda updated" e-mail listing the three changes.

Unlike the other journeys, e-mail here leaves through the real outbox machinery: a real Celery
worker (a thread of this process, on the real Redis broker) sends it to a real SMTP server
(aiosmtpd, ``kumppanuus.testing.smtp``). The window in which changes coalesce is shortened to a
few seconds; beat's minutely run (``release_due_outbox_task``) is sent through the worker by the
test, as beat would. Every page on the way is checked with axe-core.
"""

import email
import email.policy
import re
import time
from collections import Counter

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connections
from playwright.sync_api import expect

from e2e import test_journeys_tables_meetings as journeys
from e2e.helpers import field, label, t
from e2e.test_journeys_tables_meetings import FI, _check, _heading, _said, _signed_in_page
from kumppanuus.celery import app

# The starting data of journeys 2–5: the county, its organisations and people, the table, and its
# meeting with two agenda items, scheduled (the invitations have gone out).
people = journeys.people
table = journeys.table
scheduled_meeting = journeys.scheduled_meeting

WINDOW_SECONDS = 20


@app.task(name="e2e.close_worker_db_connections")
def close_worker_db_connections():
    """Run in the worker thread before it stops, so the test database can be dropped at the end."""
    connections.close_all()


@pytest.fixture
def worker(smtp_server, live_server):
    """A real worker on the real broker, with eager mode off for this test (the live server's
    requests publish their tasks to Redis too)."""
    app.conf.task_always_eager = False
    app.control.purge()  # nothing left over from an earlier, interrupted run
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30) as worker:
        yield worker
        close_worker_db_connections.delay().get(timeout=30)
    app.conf.task_always_eager = True


def _agenda_updates(smtp_server) -> list[tuple[str, email.message.EmailMessage]]:
    """(recipient, message) of every "agenda updated" e-mail the SMTP server received."""
    found = []
    for envelope in smtp_server.envelopes:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        subject = str(message["Subject"])
        if any(t(language, "Agenda updated: %(title)s on %(date)s").split(":")[0] in subject
               for language in ("fi", "sv")):
            found.extend((recipient, message) for recipient in envelope.rcpt_tos)
    return found


def _for_item(action: str, title: str) -> re.Pattern:
    """The accessible name of an item's button or link: the action, then (visually hidden) the item."""
    return re.compile(rf"^\s*{re.escape(t(FI, action))}\s*:\s*{re.escape(title)}\s*$")


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_journey_agenda_edited_three_times_within_the_window_sends_each_invitee_one_email(
    new_context, people, scheduled_meeting, settings, smtp_server, worker
):
    from meetings.models import AgendaUpdate, Invitation, OutboxStatus
    from outbox.tasks import release_due_outbox_task, sweep_outbox_task

    settings.AGENDA_UPDATE_WINDOW_SECONDS = WINDOW_SECONDS
    meeting = scheduled_meeting
    # Eeva reads Swedish: her message comes in Swedish.
    Invitation.objects.filter(meeting=meeting, user=people.eeva).update(language="sv")
    told = set(meeting.invitations.exclude(sent_at=None).values_list("email", flat=True))
    assert len(told) >= 6, "the scheduled meeting's invitations have gone out"
    smtp_server.envelopes.clear()

    coordinator = _signed_in_page(new_context, people.coordinator)
    coordinator.goto(f"/meetings/{meeting.pk}/")
    expect(_heading(coordinator)).to_contain_text(meeting.title)
    agenda = coordinator.get_by_role("main").get_by_role("region", name=t(FI, "Agenda"))
    _check(coordinator, "agenda-before-changes")

    # --- 1. She corrects the first item's title and gives it a presenter and a length. -----------
    agenda.get_by_role("link", name=_for_item("Edit", "Kuulumiset jäsenjärjestöistä")).click()
    expect(_heading(coordinator)).to_have_text(t(FI, "Edit the agenda item"))
    main = coordinator.get_by_role("main")
    expect(main).to_contain_text(t(FI, "The meeting has been scheduled: everyone invited is told of the change "
                                       "in one “agenda updated” e-mail, together with other changes made within "
                                       "a few minutes."))
    _check(coordinator, "agenda-item-edit")
    field(main, t(FI, "Title in Finnish")).fill("Kuulumiset ja esittäytymiskierros")
    field(main, label(FI, "presenter")).fill("Maija Meikäläinen")
    field(main, label(FI, "duration (minutes)")).fill("15")
    main.get_by_role("button", name=t(FI, "Save changes")).click()
    _said(coordinator, t(FI, "The agenda item was saved."))
    expect(agenda.get_by_role("listitem").first).to_contain_text("Kuulumiset ja esittäytymiskierros")
    _check(coordinator, "agenda-after-edit")

    # --- 2. She moves it below the second item. ----------------------------------------------------
    agenda.get_by_role("button", name=_for_item("Move down", "Kuulumiset ja esittäytymiskierros")).click()
    expect(agenda.get_by_role("listitem").first).to_contain_text("Asiakasohjaus mielenterveyspalveluihin")
    _check(coordinator, "agenda-after-move")

    # --- 3. She deletes the other item; the page asks first. ---------------------------------------
    agenda.get_by_role("link", name=_for_item("Delete", "Asiakasohjaus mielenterveyspalveluihin")).click()
    expect(_heading(coordinator)).to_have_text(
        t(FI, "Delete “%(title)s” from the agenda?", title="Asiakasohjaus mielenterveyspalveluihin")
    )
    _check(coordinator, "agenda-item-delete")
    coordinator.get_by_role("main").get_by_role("button", name=t(FI, "Delete the item")).click()
    deleted = t(FI, "“%(title)s” was deleted from the agenda.", title="Asiakasohjaus mielenterveyspalveluihin")
    _said(coordinator, deleted)
    expect(agenda.get_by_role("listitem")).to_have_count(1)
    _check(coordinator, "agenda-after-delete")

    # --- Within the window nothing is sent, not even when beat's minutely run comes. ---------------
    waiting = AgendaUpdate.objects.filter(meeting=meeting)
    assert waiting.count() == len(told), "one waiting message per invitee, not one per change"
    assert release_due_outbox_task.delay().get(timeout=30) == {"AgendaUpdate": 0}
    time.sleep(1)
    assert _agenda_updates(smtp_server) == []

    # --- The window closes; beat's next run hands the messages to the worker, which sends them. ----
    deadline = time.monotonic() + WINDOW_SECONDS + 30
    while waiting.exclude(delivery_status=OutboxStatus.SENT).exists():
        assert time.monotonic() < deadline, list(waiting.values_list("delivery_status", "last_error"))
        release_due_outbox_task.delay().get(timeout=30)
        time.sleep(1)

    received = _agenda_updates(smtp_server)
    assert Counter(recipient for recipient, _message in received) == Counter(told), "exactly one each"
    by_recipient = dict(received)
    finnish = _text(by_recipient[people.maija.email])
    for line in (
        "- Muutettu: Kuulumiset jäsenjärjestöistä → Kuulumiset ja esittäytymiskierros",
        "- Siirretty kohdaksi 2: Kuulumiset ja esittäytymiskierros",
        "- Poistettu: Asiakasohjaus mielenterveyspalveluihin",
        "1. Kuulumiset ja esittäytymiskierros (Maija Meikäläinen), 15 minuuttia",
    ):
        assert line in finnish, f"{line!r} not in:\n{finnish}"
    swedish_message = by_recipient[people.eeva.email]
    assert "Föredragningslistan uppdaterad" in str(swedish_message["Subject"])
    assert "- Struken: Asiakasohjaus mielenterveyspalveluihin" in _text(swedish_message)

    # Another run and a sweep send nothing more.
    assert release_due_outbox_task.delay().get(timeout=30) == {"AgendaUpdate": 0}
    assert sweep_outbox_task.delay().get(timeout=30)["AgendaUpdate"] == 0
    time.sleep(1)
    assert len(_agenda_updates(smtp_server)) == len(told)
