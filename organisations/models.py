from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organisations.validators import validate_business_id


class WelfareArea(models.Model):
    """A wellbeing services county (hyvinvointialue), or the City of Helsinki."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="AreaCoordinator",
        related_name="coordinated_areas",
        verbose_name=_("coordinators"),
        blank=True,
    )

    class Meta:
        verbose_name = _("wellbeing services county")
        verbose_name_plural = _("wellbeing services counties")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AreaCoordinator(models.Model):
    """Gives a person the coordinator role for one wellbeing services county."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="area_coordinator_roles",
        verbose_name=_("person"),
    )
    welfare_area = models.ForeignKey(
        WelfareArea, on_delete=models.CASCADE, related_name="coordinator_roles",
        verbose_name=_("wellbeing services county"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        constraints = [
            models.UniqueConstraint(fields=["user", "welfare_area"], name="unique_area_coordinator"),
        ]

    def __str__(self):
        return f"{self.user} – {self.welfare_area}"


class Municipality(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    welfare_area = models.ForeignKey(
        WelfareArea, on_delete=models.PROTECT, related_name="municipalities",
        verbose_name=_("wellbeing services county"),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    liaison_persons = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="liaison_municipalities",
        verbose_name=_("NGO liaison persons"),
        help_text=_("People the municipality has named as contacts for organisations."),
        blank=True,
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Theme(models.Model):
    """A field of activity from a managed list (mental health, older people, …)."""

    slug = models.SlugField(_("identifier"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class OrganisationKind(models.TextChoices):
    REGISTERED_ASSOCIATION = "association", _("Registered association")
    FOUNDATION = "foundation", _("Foundation")
    OTHER_NGO = "other_ngo", _("Other NGO")
    PUBLIC_BODY = "public_body", _("Public body")


class Eligibility(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class OrganisationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(eligibility=Eligibility.APPROVED)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    business_id = models.CharField(
        _("business ID (Y-tunnus)"),
        max_length=9,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_business_id],
        help_text=_("Optional. Seven digits, a hyphen and a check digit, e.g. 0737546-2."),
        error_messages={"unique": _("An organisation with this business ID is already registered.")},
    )
    register_number = models.CharField(
        _("association register number"), max_length=20, blank=True,
        help_text=_("The number in the Finnish Register of Associations, if any."),
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    welfare_area = models.ForeignKey(
        WelfareArea, on_delete=models.PROTECT, related_name="organisations",
        verbose_name=_("wellbeing services county"),
        help_text=_("The county whose coordinators review the organisation."),
    )
    themes = models.ManyToManyField(Theme, related_name="organisations", verbose_name=_("themes"), blank=True)
    municipalities = models.ManyToManyField(
        Municipality, related_name="organisations", verbose_name=_("municipalities of operation"), blank=True,
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("public contact e-mail"), blank=True)
    phone = models.CharField(_("public contact phone"), max_length=30, blank=True)
    eligibility = models.CharField(
        _("eligibility"), max_length=10, choices=Eligibility.choices, default=Eligibility.PENDING, db_index=True,
        help_text=_(
            "Only organisations that promote social and health care, or wellbeing, health and safety, are approved."
        ),
    )
    eligibility_reason = models.TextField(_("reason for the decision"), max_length=2000, blank=True)
    eligibility_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    eligibility_decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"],
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["welfare_area", "eligibility"], name="org_area_eligibility"),
            models.Index(fields=["name"], name="org_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.eligibility == Eligibility.APPROVED


class MembershipRole(models.TextChoices):
    REPRESENTATIVE = "representative", _("Representative")
    MEMBER = "member", _("Member")


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Membership(models.Model):
    """A person's link to an organisation. Joining is a request until approved."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    status = models.CharField(
        _("status"), max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.PENDING,
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="membership_org_status"),
            models.Index(
                fields=["user"], name="membership_user_approved",
                condition=Q(status="approved"),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation}"

    @property
    def is_representative(self) -> bool:
        return self.role == MembershipRole.REPRESENTATIVE and self.status == MembershipStatus.APPROVED
