import factory

from accounts.tests.factories import UserFactory
from organisations.models import (
    AreaCoordinator,
    Eligibility,
    Membership,
    MembershipRole,
    MembershipStatus,
    Municipality,
    Organisation,
    OrganisationKind,
    Theme,
    WelfareArea,
)


class WelfareAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WelfareArea
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.Sequence(lambda n: f"Testialueen {n} hyvinvointialue")
    name_fi = factory.SelfAttribute("name")
    name_sv = factory.Sequence(lambda n: f"Testområdets {n} välfärdsområde")
    short_name = factory.Sequence(lambda n: f"Testialue {n}")
    short_name_fi = factory.SelfAttribute("short_name")
    short_name_sv = factory.Sequence(lambda n: f"Testområde {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Kunta {n}")
    name_fi = factory.SelfAttribute("name")
    name_sv = factory.Sequence(lambda n: f"Kommun {n}")
    welfare_area = factory.SubFactory(WelfareAreaFactory)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Teema {n}")
    name_fi = factory.SelfAttribute("name")
    name_sv = factory.Sequence(lambda n: f"Tema {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Yhdistys {n} ry")
    kind = OrganisationKind.REGISTERED_ASSOCIATION
    welfare_area = factory.SubFactory(WelfareAreaFactory)
    description = factory.Faker("sentence", locale="fi_FI")
    eligibility = Eligibility.APPROVED

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.MEMBER
    status = MembershipStatus.APPROVED


class AreaCoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaCoordinator

    user = factory.SubFactory(UserFactory)
    welfare_area = factory.SubFactory(WelfareAreaFactory)
