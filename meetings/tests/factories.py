import datetime

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.models import (
    ActionItem,
    AgendaItem,
    AgendaItemStatus,
    Invitation,
    InvitationSource,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    OutboxStatus,
    Rsvp,
    RsvpResponse,
)
from organisations.tests.factories import OrganisationFactory, WelfareAreaFactory
from tables.models import (
    PartnershipTable,
    ProcessRole,
    RoleAssignment,
    Sector,
    StandingMember,
    StandingMemberStatus,
    TableStatus,
)


def in_days(days: int, hour: int = 13) -> datetime.datetime:
    """An aware Helsinki datetime ``days`` from today at ``hour``:00."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# The tables app may ship its own factories later; these cover what meeting tests need.


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector

    welfare_area = factory.SubFactory(WelfareAreaFactory)
    name = factory.Sequence(lambda n: f"Toimiala {n}")


class PartnershipTableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipTable

    welfare_area = factory.SubFactory(WelfareAreaFactory)
    sector = factory.SubFactory(SectorFactory, welfare_area=factory.SelfAttribute("..welfare_area"))
    name = factory.Sequence(lambda n: f"Kumppanuuspöytä {n}")
    status = TableStatus.ACTIVE
    owner = factory.SubFactory(UserFactory)


class StandingMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandingMember

    table = factory.SubFactory(PartnershipTableFactory)
    organisation = factory.SubFactory(OrganisationFactory, welfare_area=factory.SelfAttribute("..table.welfare_area"))
    representative = factory.SubFactory(UserFactory)
    substitute = None
    status = StandingMemberStatus.ACTIVE


class ProcessRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessRole
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"role-{n}")
    name = factory.Sequence(lambda n: f"Rooli {n}")


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    table = factory.SubFactory(PartnershipTableFactory)
    role = factory.SubFactory(ProcessRoleFactory)
    user = factory.SubFactory(UserFactory)
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    table = factory.SubFactory(PartnershipTableFactory)
    title = factory.Sequence(lambda n: f"Kokous {n}")
    starts_at = factory.LazyFunction(lambda: in_days(14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    format = MeetingFormat.IN_PERSON
    address = "Hovioikeudenpuistikko 1, Vaasa"
    status = MeetingStatus.SCHEDULED


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttributeSequence(lambda o, n: o.user.email if o.user else f"guest{n}@example.org")
    name = factory.LazyAttribute(lambda o: o.user.full_name if o.user else "")
    language = factory.LazyAttribute(lambda o: o.user.language if o.user else "fi")
    source = InvitationSource.ADDED
    delivery_status = OutboxStatus.SENT
    queued_at = factory.LazyFunction(timezone.now)
    sent_at = factory.LazyFunction(timezone.now)
    sent_sequence = 0


class RsvpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rsvp

    invitation = factory.SubFactory(InvitationFactory)
    meeting = factory.SelfAttribute("invitation.meeting")
    response = RsvpResponse.ATTENDING_IN_PERSON
    responded_at = factory.LazyFunction(timezone.now)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Asia {n}")
    status = AgendaItemStatus.ACCEPTED
    position = factory.Sequence(lambda n: n + 1)


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    what = factory.Sequence(lambda n: f"Toimenpide {n}")
    owner_user = factory.SubFactory(UserFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
