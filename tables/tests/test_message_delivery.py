"""A table message through a real Celery worker on the real Redis broker and a real SMTP server
(aiosmtpd): one e-mail per person, in their language, none to those who turned messages off.

The worker runs in a thread of this process (celery.contrib.testing); the rows are committed
(transactional_db) so that its own database connection sees them.
"""

import email
import email.policy

import pytest

from accounts.tests.factories import UserFactory
from kumppanuus.testing.worker import wait_for as _wait_for
from organisations.models import MembershipRole
from organisations.tests.factories import MembershipFactory, OrganisationFactory
from outbox.models import Notification, OutboxStatus
from outbox.tasks import send_outbox_task
from tables.services import TABLE_MESSAGE, table_message_send
from tables.tests.factories import PartnershipTableFactory, RoleAssignmentFactory, StandingMemberFactory, role

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]




def _member(organisation, email_address, language, role=MembershipRole.MEMBER, **fields):
    return MembershipFactory(
        organisation=organisation, role=role, user__email=email_address, user__language=language,
        user__full_name=email_address.split("@")[0].title(), **{f"user__{k}": v for k, v in fields.items()},
    ).user


def test_each_person_gets_exactly_one_email_in_their_language(worker, smtp_server):
    table = PartnershipTableFactory(name_fi="Ikäihmisten pöytä", name_sv="Äldrebordet")
    coordinator = UserFactory(email="koordinaattori@example.org")
    table.coordinators.add(coordinator)
    first = OrganisationFactory(welfare_area=table.welfare_area)
    second = OrganisationFactory(welfare_area=table.welfare_area)
    # Representative of the first organisation and chair of the table: one e-mail.
    aino = _member(first, "aino@example.org", "fi", MembershipRole.REPRESENTATIVE)
    RoleAssignmentFactory(table=table, role=role("chair"), user=aino)
    bengt = _member(first, "bengt@example.org", "sv")
    carol = _member(second, "carol@example.org", "en", MembershipRole.REPRESENTATIVE)
    quiet = _member(second, "quiet@example.org", "fi", notification_rhythms={"tables.table_message": "off"})
    StandingMemberFactory(table=table, organisation=first, representative=aino, substitute=bengt)
    StandingMemberFactory(table=table, organisation=second, representative=carol, substitute=quiet)

    message = table_message_send(
        actor=coordinator, table=table, subject_fi="Kevätkokous", body_fi="Tervetuloa kevätkokoukseen.",
        subject_sv="Vårmöte", body_sv="Välkommen till vårmötet.",
    )

    assert message.recipient_count == 3
    rows = Notification.objects.filter(kind=TABLE_MESSAGE, object_id=message.pk)
    _wait_for(lambda: rows.filter(delivery_status=OutboxStatus.SENT).count() == 3)
    assert smtp_server.recipients == ["aino@example.org", "bengt@example.org", "carol@example.org"]
    received = {
        envelope.rcpt_tos[0]: email.message_from_bytes(envelope.content, policy=email.policy.default)
        for envelope in smtp_server.envelopes
    }
    texts = {address: parsed.get_body(("plain",)).get_content() for address, parsed in received.items()}
    subjects = {address: str(parsed["Subject"]) for address, parsed in received.items()}
    assert "Ikäihmisten pöytä: Kevätkokous" in subjects["aino@example.org"]
    assert "Hei Aino" in texts["aino@example.org"] and "Tervetuloa kevätkokoukseen." in texts["aino@example.org"]
    assert "Äldrebordet: Vårmöte" in subjects["bengt@example.org"]
    assert "Hej Bengt" in texts["bengt@example.org"] and "Välkommen till vårmötet." in texts["bengt@example.org"]
    assert "Hello Carol" in texts["carol@example.org"] and "Tervetuloa kevätkokoukseen." in texts["carol@example.org"]
    assert not rows.filter(user=quiet).exists()

    # The same task again (a retry or a duplicate): nothing more goes out.
    again = send_outbox_task.delay("outbox.notification", list(rows.values_list("pk", flat=True)))
    assert again.get(timeout=30)["sent"] == 0
    assert len(smtp_server.envelopes) == 3
