from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kumppanuus.addresses import NormalisedEmailField
from organisations.models import Organisation, WelfareArea
from outbox.models import OutboxRow


class Sector(models.Model):
    """A sector (toimiala) of a wellbeing services county, e.g. psychosocial services."""

    welfare_area = models.ForeignKey(
        WelfareArea, on_delete=models.PROTECT, related_name="sectors", verbose_name=_("wellbeing services county"),
    )
    name = models.CharField(_("name"), max_length=200)
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="directed_sectors",
        verbose_name=_("responsible director"),
    )

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["welfare_area__name", "name"]

    def __str__(self):
        return self.name


class TableStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


class TableAccess(models.TextChoices):
    MEMBERS_ONLY = "members", _("Members only")
    OPEN_FORUM = "open", _("Open forum (anyone signed in may register)")


class PartnershipTable(models.Model):
    welfare_area = models.ForeignKey(
        WelfareArea, on_delete=models.PROTECT, related_name="tables", verbose_name=_("wellbeing services county"),
    )
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="tables", verbose_name=_("sector"))
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), max_length=4000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=TableStatus.choices, default=TableStatus.PLANNED)
    access = models.CharField(
        _("access"), max_length=10, choices=TableAccess.choices, default=TableAccess.MEMBERS_ONLY,
    )
    meeting_frequency = models.CharField(
        _("planned meeting frequency"), max_length=100, blank=True, help_text=_("For example: four times a year."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_tables",
        verbose_name=_("owner of the operating model"),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_tables", verbose_name=_("coordinators"), blank=True,
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Public tables, their meetings and minutes are shown to everyone."),
    )
    invite_all_members = models.BooleanField(
        _("invite all members of the standing organisations"), default=False,
        help_text=_(
            "Meeting invitations go to every approved member of the standing member organisations, "
            "not only to their representatives and substitutes."
        ),
    )
    # Days before a meeting that attendees are reminded; empty turns the reminder off.
    meeting_reminder_days = models.PositiveSmallIntegerField(
        _("meeting reminder (days before)"), null=True, blank=True, default=2,
        validators=[MaxValueValidator(60)],
        help_text=_("Attendees are reminded this many days before a meeting. Leave empty for no reminder."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("partnership table")
        verbose_name_plural = _("partnership tables")
        ordering = ["name"]
        indexes = [models.Index(fields=["welfare_area", "status"], name="table_area_status")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.sector_id and self.welfare_area_id and self.sector.welfare_area_id != self.welfare_area_id:
            raise ValidationError({"sector": _("The sector must belong to the table's wellbeing services county.")})


class StandingMemberStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACTIVE = "active", _("Standing member")
    DECLINED = "declined", _("Declined")
    ENDED = "ended", _("Ended")


class StandingMember(models.Model):
    """An organisation that is a standing member of a table, with its named representative and substitute."""

    table = models.ForeignKey(
        PartnershipTable, on_delete=models.CASCADE, related_name="standing_members", verbose_name=_("table"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="standing_memberships", verbose_name=_("organisation"),
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("representative"),
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("substitute"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=StandingMemberStatus.choices, default=StandingMemberStatus.REQUESTED,
    )
    decline_reason = models.TextField(_("reason for declining"), max_length=2000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("requested by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("standing member")
        verbose_name_plural = _("standing members")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["table", "organisation"], name="unique_standing_member"),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.table}"


class RoleSlug:
    """Identifiers of the process roles seeded by migration 0002; admins may rename the roles, not these."""

    OWNER = "owner"
    COORDINATOR = "coordinator"
    CHAIR = "chair"
    SECRETARY = "secretary"
    STANDING_MEMBER = "standing-member"
    EXPERIENCE_EXPERT = "experience-expert"
    SECTOR_DIRECTOR = "sector-director"


class ProcessRole(models.Model):
    """A role in the operating model (owner, coordinator, chair, …); admins edit these."""

    slug = models.SlugField(_("identifier"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # The audit history is registered in tables/translation.py, after the translated
    # columns exist, so that it records every language (see django-simple-history's
    # notes on django-modeltranslation).

    class Meta:
        verbose_name = _("process role")
        verbose_name_plural = _("process roles")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class RoleAssignmentQuerySet(models.QuerySet):
    def in_force(self):
        """Assignments that bind a person: accepted by them (or made in force at once, for people of
        the table's county). A nomination still waiting for its nominee, or made to an address nobody
        has signed up with yet, gives no duties, invitations or rights."""
        return self.filter(accepted_at__isnull=False, user__isnull=False)

    def on(self, day):
        """Assignments whose period includes the day."""
        return self.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def waiting_for(self, user):
        """The nominations the person has not answered yet."""
        return self.filter(user=user, accepted_at__isnull=True)


class RoleAssignment(models.Model):
    """Which person holds which role on which table, and from when to when.

    A person outside the table's county is *nominated*: the assignment binds once they accept it
    (``accepted_at``). Someone without an account yet is nominated by address (``email``); the
    nomination becomes theirs when they sign up and verify that address (issue 12).
    """

    table = models.ForeignKey(
        PartnershipTable, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("table"),
    )
    role = models.ForeignKey(ProcessRole, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("role"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments",
        verbose_name=_("person"),
    )
    email = NormalisedEmailField(
        _("e-mail address"), blank=True,
        help_text=_("The address of a nominee who has no account yet."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("nominated by"),
    )
    history = HistoricalRecords()

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["role__position", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="role_assignment_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""),
                name="role_assignment_has_a_person",
                violation_error_message=_("Name the person by their account or their e-mail address."),
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(user__isnull=False),
                name="role_assignment_accepted_by_a_person",
                violation_error_message=_("Only a person with an account can have accepted a role."),
            ),
        ]

    def __str__(self):
        return f"{self.user or self.email} – {self.role}"

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    def clean(self):
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date cannot be before the start date.")})


class ProcessTemplate(models.Model):
    """A reusable set of process steps that a new table can copy."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Offered first when a new table is created."),
    )

    class Meta:
        verbose_name = _("process template")
        verbose_name_plural = _("process templates")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_process_template",
            ),
        ]

    def __str__(self):
        return self.name


class ProcessStep(models.Model):
    """One step of a table's process: who (role) does what, how and when. Belongs to a table or a template."""

    table = models.ForeignKey(
        PartnershipTable, on_delete=models.CASCADE, null=True, blank=True, related_name="process_steps",
        verbose_name=_("table"),
    )
    template = models.ForeignKey(
        ProcessTemplate, on_delete=models.CASCADE, null=True, blank=True, related_name="steps",
        verbose_name=_("template"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    role = models.ForeignKey(
        ProcessRole, on_delete=models.PROTECT, related_name="steps", verbose_name=_("who (role)"),
    )
    what = models.CharField(_("what is done"), max_length=300)
    how = models.TextField(_("how"), max_length=2000, blank=True)
    when = models.CharField(_("when"), max_length=200, blank=True, help_text=_("For example: 8 weeks before."))
    # what, how and when are translated (tables/translation.py), and the audit history is registered
    # there too, after the translated columns exist, so that it records every language.

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["table", "position"], name="process_step_table_position")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(table__isnull=False) & Q(template__isnull=True))
                | (Q(table__isnull=True) & Q(template__isnull=False)),
                name="process_step_table_xor_template",
            ),
        ]

    def __str__(self):
        return self.what


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale 1–5")
    TEXT = "text", _("Free text")


class EvaluationTemplate(models.Model):
    name = models.CharField(_("name"), max_length=200)
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Used for the evaluations the yearly sweep creates."),
    )

    class Meta:
        verbose_name = _("evaluation template")
        verbose_name_plural = _("evaluation templates")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_evaluation_template",
            ),
        ]

    def __str__(self):
        return self.name


class EvaluationQuestion(models.Model):
    template = models.ForeignKey(
        EvaluationTemplate, on_delete=models.CASCADE, related_name="questions", verbose_name=_("template"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)

    class Meta:
        verbose_name = _("evaluation question")
        verbose_name_plural = _("evaluation questions")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class EvaluationStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AnnualEvaluation(models.Model):
    table = models.ForeignKey(
        PartnershipTable, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("table"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    template = models.ForeignKey(
        EvaluationTemplate, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("questions"),
    )
    opens_on = models.DateField(_("opens on"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.SCHEDULED,
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set once, when a closed evaluation's summary is shown to the people who answered it;
    # until then a coordinator may reopen the evaluation.
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual evaluation")
        verbose_name_plural = _("annual evaluations")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["table", "year"], name="unique_evaluation_per_year"),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("opens_on")),
                name="evaluation_due_after_open",
                violation_error_message=_("The due date cannot be before the opening date."),
            ),
        ]
        indexes = [
            # The reminder sweep reads only evaluations that are not closed, by date.
            models.Index(
                fields=["status", "opens_on", "due_on"], name="evaluation_due_scan",
                condition=~Q(status="closed"),
            ),
        ]

    def __str__(self):
        return f"{self.table} {self.year}"

    def clean(self):
        if self.opens_on and self.due_on and self.due_on < self.opens_on:
            raise ValidationError({"due_on": _("The due date cannot be before the opening date.")})


class EvaluationResponse(models.Model):
    """One person's answers to one evaluation; editable until the evaluation closes."""

    evaluation = models.ForeignKey(
        AnnualEvaluation, on_delete=models.CASCADE, related_name="responses", verbose_name=_("evaluation"),
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="evaluation_responses",
        verbose_name=_("respondent"),
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("evaluation response")
        verbose_name_plural = _("evaluation responses")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "respondent"], name="one_response_per_person"),
        ]

    def __str__(self):
        return f"{self.evaluation} – {self.respondent}"


class EvaluationAnswer(models.Model):
    response = models.ForeignKey(
        EvaluationResponse, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response"),
    )
    question = models.ForeignKey(
        EvaluationQuestion, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question"),
    )
    scale_value = models.PositiveSmallIntegerField(
        _("answer (1–5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    text = models.TextField(_("answer"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=Q(scale_value__isnull=True) | Q(scale_value__gte=1, scale_value__lte=5),
                name="evaluation_scale_1_to_5",
            ),
        ]

    def __str__(self):
        return str(self.scale_value) if self.scale_value is not None else self.text[:50]


class EvaluationReminderKind(models.TextChoices):
    OPENED = "opened", _("Evaluation opened")
    DUE_14 = "due_14", _("Due in 14 days")
    DUE_3 = "due_3", _("Due in 3 days")
    OVERDUE = "overdue", _("Overdue")


class EvaluationReminder(OutboxRow):
    """One notice of an evaluation to one person, and the outbox row of its e-mail. One per
    (evaluation, person, kind), so a retried or twice-run sweep never sends it again."""

    evaluation = models.ForeignKey(
        AnnualEvaluation, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("evaluation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluation_reminders",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EvaluationReminderKind.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("evaluation reminder")
        verbose_name_plural = _("evaluation reminders")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "user", "kind"], name="one_evaluation_reminder"),
        ]
        indexes = [
            models.Index(
                fields=["delivery_status", "queued_at"], name="evaluation_reminder_unsent",
                condition=Q(delivery_status__in=["queued", "sending"]),
            ),
        ]

    def __str__(self):
        return f"{self.evaluation} – {self.user} – {self.get_kind_display()}"


class MessageAudience(models.TextChoices):
    TABLE_PEOPLE = "table", _("The table's people: representatives, substitutes and role holders")
    ORGANISATIONS = "organisations", _("The table's people and every approved member of its standing organisations")


class TableMessage(models.Model):
    """A message a coordinator wrote to a table's people: sent as one e-mail per person (outbox
    Notifications of the kind tables.table_message) and kept as the table's message archive."""

    table = models.ForeignKey(
        PartnershipTable, on_delete=models.CASCADE, related_name="messages", verbose_name=_("table"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("written by"),
    )
    # Translated (tables/translation.py): written in Finnish, and in Swedish if the coordinator wants.
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), max_length=10000)
    audience = models.CharField(
        _("recipients"), max_length=15, choices=MessageAudience.choices, default=MessageAudience.TABLE_PEOPLE,
    )
    recipient_count = models.PositiveIntegerField(_("number of recipients"), default=0)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("table message")
        verbose_name_plural = _("table messages")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["table", "-sent_at", "-id"], name="table_message_archive")]

    def __str__(self):
        return self.subject
