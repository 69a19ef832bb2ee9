"""A message to a table's people (issue 12), in Finnish: the coordinator writes it, sees how many it
reaches and sends it; a member of a standing organisation opens the table's messages and reads it.

The county, its organisations and the table are those of the table journeys (their fixtures); what
the journey does goes through the browser. Every page on the way is checked with axe-core.
"""

from playwright.sync_api import expect

from e2e.helpers import field, mail_to, t
from e2e.test_journeys_tables_meetings import (  # noqa: F401  (people and table are fixtures)
    FI,
    _check,
    _heading,
    _plural,
    _said,
    _signed_in_page,
    people,
    table,
)


def _open_table(page, table_name: str) -> None:
    page.get_by_role("banner").get_by_role("link", name=t(FI, "Partnership tables"), exact=True).click()
    page.get_by_role("main").get_by_role("link", name=table_name, exact=True).click()
    expect(_heading(page)).to_have_text(table_name)


def test_journey_coordinator_writes_to_the_table_and_a_member_reads_it(new_context, people, table):  # noqa: F811
    from django.core import mail

    from tables.models import TableMessage

    subject = "Kevään kokous siirtyy"
    body = "Hei kaikki!\nKevään kokous pidetään viikkoa myöhemmin, 12.5. klo 13.\nTervetuloa <3"

    # --- The coordinator writes from the table page. ------------------------------------------
    page = _signed_in_page(new_context, people.coordinator)
    main = page.get_by_role("main")
    _open_table(page, table.name_fi)
    messages = main.get_by_role("region", name=t(FI, "Messages"))
    expect(messages).to_contain_text(t(FI, "No messages yet."))
    messages.get_by_role("link", name=t(FI, "Write a message"), exact=True).click()
    expect(_heading(page)).to_have_text(t(FI, "Write a message: %(name)s", name=table.name_fi))
    _check(page, "message-write")

    # A text of spaces only is no message: the form says so next to the field.
    field(page, t(FI, "Subject in Finnish")).fill(subject)
    field(page, t(FI, "Message in Finnish")).fill("   ")
    main.get_by_role("button", name=t(FI, "Preview and confirm")).click()
    expect(main.locator("#id_body_fi")).to_have_attribute("aria-invalid", "true")
    _check(page, "message-write-error")

    field(page, t(FI, "Message in Finnish")).fill(body)
    main.get_by_role("button", name=t(FI, "Preview and confirm")).click()

    # --- The confirmation: how many people it reaches (two seats each for two organisations, two
    # role holders), and the text as it will read. -------------------------------------------
    expect(_heading(page)).to_have_text(t(FI, "Confirm the message: %(name)s", name=table.name_fi))
    _said(page, _plural("The message will be sent to %(count)s person.",
                        "The message will be sent to %(count)s people.", 6))
    expect(main).to_contain_text("Tervetuloa <3")
    _check(page, "message-confirm")
    assert not TableMessage.objects.exists()
    main.get_by_role("button", name=t(FI, "Send the message")).click()

    expect(_heading(page)).to_have_text(subject)
    _said(page, _plural("The message was sent to %(count)s person. It is kept in the table's messages.",
                        "The message was sent to %(count)s people. It is kept in the table's messages.", 6))
    _check(page, "message-sent")
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(
        person.email for person in (people.maija, people.pekka, people.liisa, people.oskari, people.sanna,
                                    people.eeva)
    )
    [letter] = mail_to(people.pekka.email)
    assert "Tervetuloa <3" in letter.body and letter.subject.endswith(subject)

    # --- A member of a standing organisation reads it on the table's page. --------------------
    member = _signed_in_page(new_context, people.pekka)
    member_main = member.get_by_role("main")
    _open_table(member, table.name_fi)
    member_messages = member_main.get_by_role("region", name=t(FI, "Messages"))
    expect(member_messages.get_by_role("link", name=subject)).to_be_visible()
    expect(member_messages.get_by_role("link", name=t(FI, "Write a message"))).to_have_count(0)
    _check(member, "table-with-messages")
    member_messages.get_by_role("link", name=t(FI, "All messages of the table"), exact=True).click()
    expect(_heading(member)).to_have_text(t(FI, "Messages: %(name)s", name=table.name_fi))
    archive = member_main.get_by_role("table")
    expect(archive.get_by_role("rowheader", name=subject)).to_be_visible()
    expect(archive).to_contain_text(people.coordinator.full_name)
    _check(member, "message-archive")
    archive.get_by_role("link", name=subject, exact=True).click()
    expect(_heading(member)).to_have_text(subject)
    expect(member_main).to_contain_text("Kevään kokous pidetään viikkoa myöhemmin, 12.5. klo 13.")
    expect(member_main).to_contain_text("Tervetuloa <3")
    _check(member, "message")
