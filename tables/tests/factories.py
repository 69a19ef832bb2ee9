import datetime

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from organisations.tests.factories import OrganisationFactory, WelfareAreaFactory
from tables.models import (
    AnnualEvaluation,
    EvaluationStatus,
    EvaluationTemplate,
    PartnershipTable,
    ProcessRole,
    ProcessStep,
    RoleAssignment,
    Sector,
    StandingMember,
    StandingMemberStatus,
    TableMessage,
    TableStatus,
)


def role(slug: str) -> ProcessRole:
    """A process role seeded by migration 0002. A test with a real worker runs on a transactional
    database, which an earlier such test may have flushed of the seeded rows: then it is made again."""
    return ProcessRole.objects.get_or_create(slug=slug, defaults={"name": slug.replace("-", " ").capitalize()})[0]


def default_evaluation_template() -> EvaluationTemplate:
    """The default questions seeded by migration 0002 (three scale questions, then two free-text)."""
    return EvaluationTemplate.objects.get(is_default=True)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector

    welfare_area = factory.SubFactory(WelfareAreaFactory)
    name = factory.Sequence(lambda n: f"Toimiala {n}")
    name_fi = factory.SelfAttribute("name")
    name_sv = factory.Sequence(lambda n: f"Sektor {n}")


class PartnershipTableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipTable
        skip_postgeneration_save = True

    sector = factory.SubFactory(SectorFactory)
    welfare_area = factory.SelfAttribute("sector.welfare_area")
    name = factory.Sequence(lambda n: f"Kumppanuuspöytä {n}")
    name_fi = factory.SelfAttribute("name")
    name_sv = factory.Sequence(lambda n: f"Partnerskapsbord {n}")
    purpose = "Yhteistyökanava järjestöjen ja hyvinvointialueen välillä."
    purpose_fi = factory.SelfAttribute("purpose")
    status = TableStatus.ACTIVE
    owner = factory.SubFactory(UserFactory)
    is_public = True

    @factory.post_generation
    def coordinators(self, create, extracted, **kwargs):
        if create and extracted:
            self.coordinators.set(extracted)


class StandingMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandingMember

    table = factory.SubFactory(PartnershipTableFactory)
    organisation = factory.SubFactory(OrganisationFactory, welfare_area=factory.SelfAttribute("..table.welfare_area"))
    status = StandingMemberStatus.ACTIVE
    decided_at = factory.LazyFunction(timezone.now)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    table = factory.SubFactory(PartnershipTableFactory)
    role = factory.LazyFunction(lambda: role("chair"))
    user = factory.SubFactory(UserFactory)
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    accepted_at = factory.LazyFunction(timezone.now)


class ProcessStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessStep

    table = factory.SubFactory(PartnershipTableFactory)
    role = factory.LazyFunction(lambda: role("coordinator"))
    position = factory.Sequence(lambda n: n + 1)
    what = factory.Sequence(lambda n: f"Vaihe {n}")
    how = "Sähköpostilla."
    when = "8 viikkoa ennen"


class AnnualEvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualEvaluation

    table = factory.SubFactory(PartnershipTableFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    template = factory.LazyFunction(default_evaluation_template)
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=25))
    status = EvaluationStatus.OPEN


class TableMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TableMessage

    table = factory.SubFactory(PartnershipTableFactory)
    author = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"Tiedote {n}")
    subject_fi = factory.SelfAttribute("subject")
    body = "Hei kaikki, seuraava kokous on syyskuussa."
    body_fi = factory.SelfAttribute("body")
    recipient_count = 2
