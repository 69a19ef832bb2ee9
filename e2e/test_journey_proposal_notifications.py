"""Journey (issue 13): a standing member's representative proposes a topic for a scheduled meeting,
the coordinator (told by e-mail) accepts it, and the proposer sees the decision arrive: the e-mail
in her inbox (a real SMTP server, sent by a real Celery worker through the outbox) whose link opens
the meeting page with her topic on the agenda. Every page on the way is checked with axe-core.
"""

import email
import email.policy
import time

from playwright.sync_api import expect

from e2e import test_journeys_tables_meetings as journeys
from e2e.helpers import field, label, links_in, t
from e2e.test_journey_agenda_updates import worker  # noqa: F401  (the real worker fixture)
from e2e.test_journeys_tables_meetings import FI, _check, _heading, _said, _signed_in_page

people = journeys.people
table = journeys.table
scheduled_meeting = journeys.scheduled_meeting

TOPIC = "Omaishoitajien vertaistuki syksyllä"


def _messages_to(smtp_server, address: str, *, timeout: float = 30.0, count: int = 1) -> list:
    """The messages the SMTP server received for ``address``, once ``count`` of them have arrived."""
    deadline = time.monotonic() + timeout
    while True:
        found = [
            email.message_from_bytes(envelope.content, policy=email.policy.default)
            for envelope in smtp_server.envelopes
            if address in envelope.rcpt_tos
        ]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_journey_a_proposer_sees_the_decision_on_her_topic_arrive(
    new_context, people, scheduled_meeting, live_server, smtp_server, worker  # noqa: F811
):
    meeting = scheduled_meeting
    smtp_server.envelopes.clear()

    # --- Liisa, the carers' representative, proposes a topic. ----------------------------------------
    liisa = _signed_in_page(new_context, people.liisa)
    liisa.goto(f"/meetings/{meeting.pk}/")
    expect(_heading(liisa)).to_contain_text(meeting.title)
    liisa.get_by_role("main").get_by_role("link", name=t(FI, "Propose a topic")).click()
    expect(_heading(liisa)).to_have_text(t(FI, "Propose a topic"))
    _check(liisa, "proposal-form")
    field(liisa.get_by_role("main"), label(FI, "title")).fill(TOPIC)
    liisa.get_by_role("main").get_by_role("button", name=t(FI, "Propose the topic")).click()
    _said(liisa, t(FI, "Your topic was proposed. The chair or a coordinator decides whether it is taken on the "
                       "agenda."))

    # --- The coordinator is told by e-mail, and the link takes her to the meeting's agenda. ----------
    [notice] = [
        message for message in _messages_to(smtp_server, people.coordinator.email)
        if TOPIC in str(message["Subject"])
    ]
    link = links_in(_text(notice), live_server.url)[0]  # the meeting's agenda, before the settings link
    assert f"/meetings/{meeting.pk}/" in link
    coordinator = _signed_in_page(new_context, people.coordinator)
    coordinator.goto(link)
    agenda = coordinator.get_by_role("main").get_by_role("region", name=t(FI, "Agenda"))
    expect(agenda).to_contain_text(TOPIC)
    _check(coordinator, "proposal-to-decide")
    decision = agenda.get_by_role("group", name=t(FI, "Decision on “%(title)s”", title=TOPIC))
    decision.get_by_label(t(FI, "Accept"), exact=True).check()
    agenda.get_by_role("button", name=t(FI, "Save decision")).click()
    _said(coordinator, t(FI, "“%(title)s” was accepted onto the agenda.", title=TOPIC))

    # --- Liisa's inbox: the decision, in Finnish, with the link to the meeting. ----------------------
    decisions = [
        message for message in _messages_to(smtp_server, people.liisa.email)
        if t(FI, "Your topic was accepted: %(topic)s", topic=TOPIC) in str(message["Subject"])
    ]
    assert len(decisions) == 1, [str(message["Subject"]) for message in _messages_to(smtp_server, people.liisa.email)]
    body = _text(decisions[0])
    assert TOPIC in body
    meeting_link = links_in(body, live_server.url)[0]
    assert f"/meetings/{meeting.pk}/" in meeting_link

    # --- Later, from her own page, she follows the link and sees her topic on the agenda. ------------
    liisa.goto("/")
    liisa.goto(meeting_link)
    accepted = liisa.get_by_role("main").get_by_role("region", name=t(FI, "Agenda")).locator("ol > li")
    expect(accepted.filter(has_text=TOPIC)).to_have_count(1)
    _check(liisa, "proposal-accepted")
