"""Every write to sectors, partnership tables, standing members, roles, process steps and evaluations.

Views, the admin's actions, management commands and tasks call these functions; none of
them writes the models directly. Each function validates (``full_clean``), writes in one
transaction, records who did it (``_history_user`` for the audit history) and queues its
e-mail with ``transaction.on_commit``.
"""

import datetime
import logging
import smtplib
from collections.abc import Iterable, Mapping
from typing import Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from organisations.models import Eligibility, Membership, MembershipRole, MembershipStatus, Organisation, WelfareArea
from organisations.permissions import approved_memberships, coordinated_area_ids
from tables.models import (
    AnnualEvaluation,
    EvaluationAnswer,
    EvaluationReminder,
    EvaluationReminderKind,
    EvaluationResponse,
    EvaluationStatus,
    EvaluationTemplate,
    PartnershipTable,
    ProcessRole,
    ProcessStep,
    ProcessTemplate,
    QuestionKind,
    RoleAssignment,
    RoleSlug,
    Sector,
    StandingMember,
    StandingMemberStatus,
    TableAccess,
    TableStatus,
)
from tables.permissions import can_answer_evaluation, forget_cached_table_roles
from tables.selectors import (
    NOTICE_CATCH_UP_DAYS,
    evaluation_notice_recipients,
    evaluation_notices_owed,
    evaluations_to_open,
    evaluations_with_notices_due,
    tables_without_evaluation,
)

logger = logging.getLogger(__name__)


def _text(value: str | None) -> str:
    # Translated columns are nullable, so forms hand over None for an empty one.
    return (value or "").strip()


# --- Sectors ------------------------------------------------------------------------------


def _check_area_rights(actor: User | None, welfare_area_id: int) -> None:
    """Only the area's coordinators (and admins) create things in it; None is the system itself."""
    if actor is None or actor.is_superuser:
        return
    if welfare_area_id not in coordinated_area_ids(actor):
        raise PermissionDenied


@transaction.atomic
def sector_create(
    *,
    actor: User | None,
    welfare_area: WelfareArea,
    name_fi: str,
    name_sv: str = "",
    name_en: str = "",
    director: User | None = None,
) -> Sector:
    """Adds a sector (toimiala) to a wellbeing services county."""
    _check_area_rights(actor, welfare_area.pk)
    sector = Sector(
        welfare_area=welfare_area,
        name_fi=_text(name_fi),
        name_sv=_text(name_sv),
        name_en=_text(name_en),
        director=director,
    )
    sector.full_clean()
    sector.save()
    return sector


SECTOR_FIELDS = ("name_fi", "name_sv", "name_en", "director")


@transaction.atomic
def sector_update(*, actor: User | None, sector: Sector, data: Mapping) -> Sector:
    """Renames a sector or changes its director. The county of a sector does not change."""
    _check_area_rights(actor, sector.welfare_area_id)
    for field in SECTOR_FIELDS:
        if field in data:
            value = data[field]
            setattr(sector, field, _text(value) if field.startswith("name") else value)
    sector.full_clean()
    sector.save()
    return sector


# --- Tables -------------------------------------------------------------------------------

TABLE_FIELDS = (
    "sector",
    "name_fi",
    "name_sv",
    "name_en",
    "purpose_fi",
    "purpose_sv",
    "purpose_en",
    "status",
    "access",
    "meeting_frequency",
    "owner",
    "is_public",
    "meeting_reminder_days",
)


def _role(slug: str) -> ProcessRole | None:
    # The roles are seeded by a migration; an admin may have removed one that is unused.
    return ProcessRole.objects.filter(slug=slug).first()


def _assign(*, actor: User | None, table: PartnershipTable, slug: str, user: User, valid_from: datetime.date) -> None:
    """Names the person in the role from the given day, unless they already hold it then."""
    role = _role(slug)
    if role is None:
        return
    current = RoleAssignment.objects.filter(table=table, role=role, user=user, valid_from__lte=valid_from).exclude(
        valid_to__lt=valid_from
    )
    if current.exists():
        return
    assignment = RoleAssignment(table=table, role=role, user=user, valid_from=valid_from)
    assignment._history_user = actor
    assignment.full_clean()
    assignment.save()


def _unassign(*, actor: User | None, table: PartnershipTable, slug: str, user: User, on: datetime.date) -> None:
    """Ends the person's open assignments in the role on the given day (removes those not started yet)."""
    for assignment in RoleAssignment.objects.filter(table=table, role__slug=slug, user=user).exclude(valid_to__lt=on):
        assignment._history_user = actor
        if assignment.valid_from > on:
            assignment.delete()
        else:
            assignment.valid_to = on
            assignment.save(update_fields=["valid_to"])


@transaction.atomic
def table_create(
    *,
    actor: User | None,
    sector: Sector,
    name_fi: str,
    owner: User,
    name_sv: str = "",
    name_en: str = "",
    purpose_fi: str = "",
    purpose_sv: str = "",
    purpose_en: str = "",
    status: str = TableStatus.PLANNED,
    access: str = TableAccess.MEMBERS_ONLY,
    meeting_frequency: str = "",
    is_public: bool = True,
    meeting_reminder_days: int | None = 2,
    coordinators: Iterable[User] = (),
    copy_steps_from_table: PartnershipTable | None = None,
    copy_steps_from_template: ProcessTemplate | None = None,
) -> PartnershipTable:
    """Creates a table in the sector's county, optionally with the process steps of another table or a template.

    The coordinator who creates it becomes one of its coordinators; the owner and the
    coordinators are named in their process roles from today.
    """
    _check_area_rights(actor, sector.welfare_area_id)
    if copy_steps_from_table is not None and copy_steps_from_template is not None:
        raise ValidationError(_("Copy the process steps either from a template or from another table, not both."))
    table = PartnershipTable(
        welfare_area_id=sector.welfare_area_id,
        sector=sector,
        name_fi=_text(name_fi),
        name_sv=_text(name_sv),
        name_en=_text(name_en),
        purpose_fi=_text(purpose_fi),
        purpose_sv=_text(purpose_sv),
        purpose_en=_text(purpose_en),
        status=status,
        access=access,
        meeting_frequency=_text(meeting_frequency),
        owner=owner,
        is_public=is_public,
        meeting_reminder_days=meeting_reminder_days,
    )
    table.full_clean()
    table.save()
    people = {user.pk: user for user in coordinators}
    if actor is not None and sector.welfare_area_id in coordinated_area_ids(actor):
        people.setdefault(actor.pk, actor)
    table.coordinators.set(people.values())
    today = timezone.localdate()
    _assign(actor=actor, table=table, slug=RoleSlug.OWNER, user=owner, valid_from=today)
    for person in people.values():
        _assign(actor=actor, table=table, slug=RoleSlug.COORDINATOR, user=person, valid_from=today)
    if copy_steps_from_table is not None or copy_steps_from_template is not None:
        process_steps_copy(
            actor=actor, table=table, source_table=copy_steps_from_table, source_template=copy_steps_from_template,
        )
    return table


@transaction.atomic
def table_update(*, actor: User | None, table: PartnershipTable, data: Mapping) -> PartnershipTable:
    """Changes a table's details. A new owner takes over the owner role from today."""
    table = PartnershipTable.objects.select_for_update().get(pk=table.pk)
    previous_owner = table.owner
    for field in TABLE_FIELDS:
        if field in data:
            value = data[field]
            if field in ("name_fi", "name_sv", "name_en", "purpose_fi", "purpose_sv", "purpose_en",
                         "meeting_frequency"):
                value = _text(value)
            setattr(table, field, value)
    if table.sector_id and table.sector.welfare_area_id != table.welfare_area_id:
        raise ValidationError({"sector": _("The sector must belong to the table's wellbeing services county.")})
    table.full_clean()
    table.save()
    if table.owner_id != previous_owner.pk:
        today = timezone.localdate()
        _unassign(actor=actor, table=table, slug=RoleSlug.OWNER, user=previous_owner, on=today)
        _assign(actor=actor, table=table, slug=RoleSlug.OWNER, user=table.owner, valid_from=today)
    return table


@transaction.atomic
def table_add_coordinator(*, actor: User | None, table: PartnershipTable, user: User) -> PartnershipTable:
    """Names a person as a coordinator of the table and gives them the coordinator role from today."""
    if table.coordinators.filter(pk=user.pk).exists():
        raise ValidationError({"user": _("%(person)s is already a coordinator of this table.") % {"person": user}})
    if not user.is_active:
        raise ValidationError({"user": _("This account is not in use.")})
    table.coordinators.add(user)
    _assign(actor=actor, table=table, slug=RoleSlug.COORDINATOR, user=user, valid_from=timezone.localdate())
    forget_cached_table_roles(table)
    return table


@transaction.atomic
def table_remove_coordinator(*, actor: User | None, table: PartnershipTable, user: User) -> PartnershipTable:
    """Removes a named coordinator; their coordinator role ends today."""
    if not table.coordinators.filter(pk=user.pk).exists():
        raise ValidationError({"user": _("%(person)s is not a coordinator of this table.") % {"person": user}})
    table.coordinators.remove(user)
    _unassign(actor=actor, table=table, slug=RoleSlug.COORDINATOR, user=user, on=timezone.localdate())
    forget_cached_table_roles(table)
    return table


# --- Standing members ---------------------------------------------------------------------


def _check_eligible(organisation: Organisation) -> None:
    if organisation.eligibility != Eligibility.APPROVED:
        raise ValidationError(
            {
                "organisation": _(
                    "%(name)s has not been approved as eligible, so it cannot be a standing member. "
                    "A coordinator first approves organisations that promote social and health care, "
                    "or wellbeing, health and safety."
                )
                % {"name": organisation.name}
            }
        )


def _check_people(organisation: Organisation, representative: User | None, substitute: User | None) -> None:
    """The representative and the substitute must be approved members of the organisation."""
    people = [person for person in (representative, substitute) if person is not None]
    approved = set(
        Membership.objects.filter(
            organisation=organisation, status=MembershipStatus.APPROVED, user__in=people
        ).values_list("user_id", flat=True)
    )
    errors = {}
    for field, person in (("representative", representative), ("substitute", substitute)):
        if person is not None and person.pk not in approved:
            errors[field] = _("%(person)s is not an approved member of %(organisation)s.") % {
                "person": person,
                "organisation": organisation.name,
            }
    if representative is not None and substitute is not None and representative.pk == substitute.pk:
        errors["substitute"] = _("The substitute must be a different person from the representative.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def standing_member_add(
    *,
    actor: User | None,
    table: PartnershipTable,
    organisation: Organisation,
    representative: User | None = None,
    substitute: User | None = None,
) -> StandingMember:
    """A coordinator names an organisation a standing member; it is active at once.

    A pending request from the organisation is approved by this; an ended or declined
    membership starts again.
    """
    _check_eligible(organisation)
    _check_people(organisation, representative, substitute)
    member = StandingMember.objects.select_for_update().filter(table=table, organisation=organisation).first()
    if member is None:
        member = StandingMember(table=table, organisation=organisation)
    elif member.status == StandingMemberStatus.ACTIVE:
        raise ValidationError(
            {"organisation": _("%(name)s is already a standing member of this table.") % {"name": organisation.name}}
        )
    member.status = StandingMemberStatus.ACTIVE
    member.representative = representative or member.representative
    member.substitute = substitute or member.substitute
    member.decline_reason = ""
    member.decided_by = actor
    member.decided_at = timezone.now()
    member.ended_at = None
    member._history_user = actor
    member.full_clean()
    member.save()
    forget_cached_table_roles(table)
    return member


@transaction.atomic
def standing_member_request(*, actor: User, table: PartnershipTable, organisation: Organisation) -> StandingMember:
    """A representative asks for their organisation to become a standing member; a coordinator decides.

    The requester is named as the organisation's representative on the table. The table's
    coordinators get an e-mail.
    """
    if approved_memberships(actor).get(organisation.pk) != MembershipRole.REPRESENTATIVE:
        raise ValidationError(
            {"organisation": _("Only a representative of %(name)s can ask for this.") % {"name": organisation.name}}
        )
    _check_eligible(organisation)
    if table.status == TableStatus.CLOSED:
        raise ValidationError(_("This table is closed and takes no new standing members."))
    member = StandingMember.objects.select_for_update().filter(table=table, organisation=organisation).first()
    if member is None:
        member = StandingMember(table=table, organisation=organisation)
    elif member.status == StandingMemberStatus.ACTIVE:
        raise ValidationError(
            {"organisation": _("%(name)s is already a standing member of this table.") % {"name": organisation.name}}
        )
    elif member.status == StandingMemberStatus.REQUESTED:
        raise ValidationError(
            {"organisation": _("%(name)s has already asked to join this table.") % {"name": organisation.name}}
        )
    member.status = StandingMemberStatus.REQUESTED
    member.requested_by = actor
    member.representative = actor
    member.substitute = None
    member.decline_reason = ""
    member.decided_by = None
    member.decided_at = None
    member.ended_at = None
    member._history_user = actor
    member.full_clean()
    member.save()

    from tables.tasks import send_standing_member_request_email_task

    transaction.on_commit(lambda: send_standing_member_request_email_task.delay(member.pk))
    return member


@transaction.atomic
def standing_member_decide(
    *, actor: User | None, standing_member: StandingMember, approve: bool, reason: str = ""
) -> StandingMember:
    """Approves or declines a request for standing membership; the requester gets an e-mail."""
    member = (
        StandingMember.objects.select_for_update()
        .select_related("organisation", "table")
        .get(pk=standing_member.pk)
    )
    if member.status != StandingMemberStatus.REQUESTED:
        raise ValidationError(_("This request has already been decided."))
    reason = (reason or "").strip()
    if approve:
        _check_eligible(member.organisation)
        member.status = StandingMemberStatus.ACTIVE
        member.decline_reason = ""
    else:
        if not reason:
            raise ValidationError({"reason": _("Give a reason for declining; the organisation will see it.")})
        member.status = StandingMemberStatus.DECLINED
        member.decline_reason = reason
    member.decided_by = actor
    member.decided_at = timezone.now()
    member._history_user = actor
    member.full_clean()
    member.save()
    forget_cached_table_roles(member.table)

    from tables.tasks import send_standing_member_decision_email_task

    transaction.on_commit(lambda: send_standing_member_decision_email_task.delay(member.pk))
    return member


@transaction.atomic
def standing_member_update(
    *, actor: User | None, standing_member: StandingMember, representative: User | None, substitute: User | None
) -> StandingMember:
    """Names the organisation's representative and substitute (varajäsen) on the table."""
    member = StandingMember.objects.select_for_update().select_related("organisation").get(pk=standing_member.pk)
    _check_people(member.organisation, representative, substitute)
    member.representative = representative
    member.substitute = substitute
    member._history_user = actor
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def standing_member_end(*, actor: User | None, standing_member: StandingMember) -> StandingMember:
    """Ends a standing membership; the history keeps when and by whom."""
    member = StandingMember.objects.select_for_update().select_related("table").get(pk=standing_member.pk)
    if member.status != StandingMemberStatus.ACTIVE:
        raise ValidationError(_("Only an active standing membership can be ended."))
    member.status = StandingMemberStatus.ENDED
    member.ended_at = timezone.now()
    member._history_user = actor
    member.save()
    forget_cached_table_roles(member.table)
    return member


# --- Role assignments ---------------------------------------------------------------------


@transaction.atomic
def role_assignment_create(
    *,
    actor: User | None,
    table: PartnershipTable,
    role: ProcessRole,
    user: User,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
) -> RoleAssignment:
    """Names a person in a process role of the table for a period (open-ended without valid_to)."""
    assignment = RoleAssignment(table=table, role=role, user=user, valid_from=valid_from, valid_to=valid_to)
    assignment._history_user = actor
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def role_assignment_update(
    *,
    actor: User | None,
    assignment: RoleAssignment,
    role: ProcessRole,
    user: User,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
) -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    assignment.role = role
    assignment.user = user
    assignment.valid_from = valid_from
    assignment.valid_to = valid_to
    assignment._history_user = actor
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def role_assignment_end(
    *, actor: User | None, assignment: RoleAssignment, valid_to: datetime.date | None = None
) -> RoleAssignment:
    """Ends an assignment on the given day (today by default); the end cannot be before the start."""
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    assignment.valid_to = valid_to or timezone.localdate()
    assignment._history_user = actor
    assignment.full_clean()
    assignment.save()
    return assignment


# --- Process steps ------------------------------------------------------------------------


def _lock_table(table: PartnershipTable) -> PartnershipTable:
    # Step edits of one table queue behind each other, so positions stay 1..n.
    return PartnershipTable.objects.select_for_update().get(pk=table.pk)


def _renumber(*, actor: User | None, steps: list[ProcessStep]) -> None:
    """Saves positions 1..n in the given order, only for the steps whose position changes."""
    for position, step in enumerate(steps, start=1):
        if step.position != position:
            step.position = position
            step._history_user = actor
            step.save(update_fields=["position"])


def _table_steps(table: PartnershipTable) -> list[ProcessStep]:
    return list(ProcessStep.objects.filter(table=table).order_by("position", "pk"))


@transaction.atomic
def process_step_create(
    *, actor: User | None, table: PartnershipTable, role: ProcessRole, what: str, how: str = "", when: str = ""
) -> ProcessStep:
    """Adds a step at the end of the table's process."""
    _lock_table(table)
    last = ProcessStep.objects.filter(table=table).aggregate(last=Max("position"))["last"] or 0
    step = ProcessStep(table=table, role=role, what=_text(what), how=_text(how), when=_text(when), position=last + 1)
    step._history_user = actor
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def process_step_update(
    *, actor: User | None, step: ProcessStep, role: ProcessRole, what: str, how: str = "", when: str = ""
) -> ProcessStep:
    step = ProcessStep.objects.select_for_update().get(pk=step.pk)
    step.role = role
    step.what = _text(what)
    step.how = _text(how)
    step.when = _text(when)
    step._history_user = actor
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def process_step_delete(*, actor: User | None, step: ProcessStep) -> None:
    """Removes a step; the steps after it move up so the positions stay contiguous."""
    table = _lock_table(step.table)
    step = ProcessStep.objects.get(pk=step.pk)
    step._history_user = actor
    step.delete()
    _renumber(actor=actor, steps=_table_steps(table))


@transaction.atomic
def process_step_move(*, actor: User | None, step: ProcessStep, direction: Literal["up", "down"]) -> ProcessStep:
    """Swaps a step with the one before (up) or after (down); at either end nothing changes."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a step up or down."))
    table = _lock_table(step.table)
    steps = _table_steps(table)
    index = next(i for i, candidate in enumerate(steps) if candidate.pk == step.pk)
    moved = steps[index]
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(steps):
        steps[index], steps[other] = steps[other], steps[index]
    _renumber(actor=actor, steps=steps)
    return moved


@transaction.atomic
def process_steps_copy(
    *,
    actor: User | None,
    table: PartnershipTable,
    source_table: PartnershipTable | None = None,
    source_template: ProcessTemplate | None = None,
) -> int:
    """Appends copies of another table's or a template's steps to the table's process."""
    if (source_table is None) == (source_template is None):
        raise ValidationError(_("Copy the process steps either from a template or from another table."))
    if source_table is not None and source_table.pk == table.pk:
        raise ValidationError(_("A table cannot copy its own steps."))
    _lock_table(table)
    source = ProcessStep.objects.filter(table=source_table) if source_table else source_template.steps.all()
    last = ProcessStep.objects.filter(table=table).aggregate(last=Max("position"))["last"] or 0
    copies = [
        ProcessStep(table=table, role_id=step.role_id, what=step.what, how=step.how, when=step.when,
                    position=last + number)
        for number, step in enumerate(source.order_by("position", "pk"), start=1)
    ]
    bulk_create_with_history(copies, ProcessStep, default_user=actor)
    return len(copies)


# --- Annual evaluations -------------------------------------------------------------------


def default_evaluation_template() -> EvaluationTemplate | None:
    return EvaluationTemplate.objects.filter(is_default=True).first()


def evaluation_dates_for_year(year: int) -> tuple[datetime.date, datetime.date]:
    """The default opening and due dates of the year's evaluation (settings EVALUATION_OPENS and _DUE_DAYS)."""
    month, day = settings.EVALUATION_OPENS
    opens_on = datetime.date(year, month, day)
    return opens_on, opens_on + datetime.timedelta(days=settings.EVALUATION_DUE_DAYS)


@transaction.atomic
def evaluation_schedule(
    *,
    actor: User | None,
    table: PartnershipTable,
    year: int,
    opens_on: datetime.date,
    due_on: datetime.date,
    template: EvaluationTemplate | None = None,
) -> AnnualEvaluation:
    """Schedules the table's evaluation for a year; the daily sweep opens it on ``opens_on``."""
    template = template or default_evaluation_template()
    if template is None:
        raise ValidationError({"template": _("Choose the questions: there is no default evaluation template.")})
    if AnnualEvaluation.objects.filter(table=table, year=year).exists():
        raise ValidationError({"year": _("This table already has an evaluation for %(year)s.") % {"year": year}})
    evaluation = AnnualEvaluation(
        table=table, year=year, template=template, opens_on=opens_on, due_on=due_on,
        status=EvaluationStatus.SCHEDULED,
    )
    evaluation.full_clean()
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_open(*, actor: User | None, evaluation: AnnualEvaluation, notify: bool = True) -> AnnualEvaluation:
    """Opens an evaluation for answers. Opened early, its opening date becomes today.

    With ``notify`` the owner, coordinators and standing members are told by e-mail
    after the commit (each person once, see evaluation_send_notices).
    """
    evaluation = AnnualEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status == EvaluationStatus.OPEN:
        raise ValidationError(_("The evaluation is already open."))
    if evaluation.status == EvaluationStatus.CLOSED:
        raise ValidationError(_("A closed evaluation cannot be opened again."))
    today = timezone.localdate()
    if evaluation.opens_on > today:
        evaluation.opens_on = today
    evaluation.status = EvaluationStatus.OPEN
    evaluation.opened_at = timezone.now()
    evaluation.full_clean()
    evaluation.save()
    if notify:
        from tables.tasks import send_evaluation_notices_task

        transaction.on_commit(lambda: send_evaluation_notices_task.delay(evaluation.pk))
    return evaluation


@transaction.atomic
def evaluation_close(*, actor: User | None, evaluation: AnnualEvaluation) -> AnnualEvaluation:
    """Closes an evaluation: no more answers or changes, and no more reminders."""
    evaluation = AnnualEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status == EvaluationStatus.CLOSED:
        raise ValidationError(_("The evaluation is already closed."))
    evaluation.status = EvaluationStatus.CLOSED
    evaluation.closed_at = timezone.now()
    evaluation.save()
    return evaluation


def answer_field_name(question_id: int) -> str:
    """The form field (and error key) of a question's answer."""
    return f"question_{question_id}"


@transaction.atomic
def evaluation_respond(
    *, respondent: User, evaluation: AnnualEvaluation, answers: Mapping[int, int | str | None]
) -> EvaluationResponse:
    """Saves one person's answers (question id -> 1–5 or text). Answering again replaces them until it closes.

    Only the table's coordinators and the people of its standing member organisations
    answer; every scale question needs a whole number from 1 to 5. Nothing is saved
    unless every answer is valid.
    """
    evaluation = AnnualEvaluation.objects.select_for_update().select_related("table").get(pk=evaluation.pk)
    if not can_answer_evaluation(respondent, evaluation.table):
        raise PermissionDenied
    if evaluation.status != EvaluationStatus.OPEN:
        raise ValidationError(_("This evaluation is not open for answers."))
    questions = list(evaluation.template.questions.all())
    known = {question.pk for question in questions}
    if set(answers) - known:
        raise ValidationError(_("The answers do not match the evaluation's questions."))
    errors: dict[str, str] = {}
    values: dict[int, dict] = {}
    for question in questions:
        raw = answers.get(question.pk)
        key = answer_field_name(question.pk)
        if question.kind == QuestionKind.SCALE:
            text = str(raw).strip() if raw is not None else ""
            value = int(text) if text.isdigit() else None
            if value is None or not 1 <= value <= 5:
                errors[key] = _("Choose a whole number from 1 to 5.")
                continue
            values[question.pk] = {"scale_value": value, "text": ""}
        else:
            text = (str(raw) if raw is not None else "").strip()
            if len(text) > 4000:
                errors[key] = _("Write at most 4000 characters.")
                continue
            values[question.pk] = {"scale_value": None, "text": text}
    if errors:
        raise ValidationError(errors)
    response, _created = EvaluationResponse.objects.get_or_create(evaluation=evaluation, respondent=respondent)
    existing = {answer.question_id: answer for answer in response.answers.all()}
    for question in questions:
        answer = existing.get(question.pk) or EvaluationAnswer(response=response, question=question)
        answer.scale_value = values[question.pk]["scale_value"]
        answer.text = values[question.pk]["text"]
        answer.full_clean()
        answer.save()
    response.save(update_fields=["updated_at"])
    return response


# --- Evaluation e-mails: opened, reminders, overdue ---------------------------------------

def evaluation_notice_kinds_due(evaluation: AnnualEvaluation, today: datetime.date) -> list[str]:
    """Which notices an open evaluation owes on ``today`` (a Helsinki date).

    Opened: the week after it opens. 14 days: from 14 to 4 days before the due date;
    3 days: from 3 days before to the due date — each only if the evaluation was already
    open before that window began, so nobody gets a reminder the day after the opening
    notice. Overdue (to the owner): the week after the due date.
    """
    if evaluation.status != EvaluationStatus.OPEN:
        return []
    kinds = []
    if 0 <= (today - evaluation.opens_on).days <= NOTICE_CATCH_UP_DAYS:
        kinds.append(EvaluationReminderKind.OPENED)
    days_left = (evaluation.due_on - today).days
    opened_days_before_due = (evaluation.due_on - evaluation.opens_on).days
    if 3 < days_left <= 14 and opened_days_before_due > 14:
        kinds.append(EvaluationReminderKind.DUE_14)
    if 0 <= days_left <= 3 and opened_days_before_due > 3:
        kinds.append(EvaluationReminderKind.DUE_3)
    if -NOTICE_CATCH_UP_DAYS <= days_left < 0:
        kinds.append(EvaluationReminderKind.OVERDUE)
    return kinds


NOTICE_TEMPLATES = {
    EvaluationReminderKind.OPENED: "tables/email/evaluation_opened",
    EvaluationReminderKind.DUE_14: "tables/email/evaluation_due",
    EvaluationReminderKind.DUE_3: "tables/email/evaluation_due",
    EvaluationReminderKind.OVERDUE: "tables/email/evaluation_overdue",
}


def _send_notice_once(*, evaluation: AnnualEvaluation, user: User, kind: str, context: dict) -> bool:
    """Records the (evaluation, person, kind) row, then sends, in one transaction.

    The unique constraint makes a second run (or a concurrent one, which waits on the
    row until this transaction ends) find the row and send nothing. If sending fails the
    row is rolled back, so the next run tries again. A recipient the mail server refuses
    is logged and skipped, so one bad address does not hold back everyone after it; a
    server that cannot be reached still raises (the task retries, skipping those sent).
    """
    from kumppanuus.mail import send_mail_to

    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    EvaluationReminder.objects.create(evaluation=evaluation, user=user, kind=kind)
            except IntegrityError:
                return False
            send_mail_to(template=NOTICE_TEMPLATES[kind], recipients=[user], context=context)
    except smtplib.SMTPRecipientsRefused as error:
        logger.warning("Notice %s of evaluation %s to user %s refused: %s", kind, evaluation.pk, user.pk, error)
        return False
    return True


def evaluation_send_notices(
    *, evaluation: AnnualEvaluation, today: datetime.date | None = None, kinds: Iterable[str] | None = None
) -> int:
    """Sends the notices the evaluation owes today, each at most once per person; returns how many were sent.

    Opened goes to the owner, the coordinators and the standing members' representatives
    and substitutes; 14- and 3-day reminders to those of them who answer and have not;
    overdue to the owner. People who turned evaluation reminders off get none of the
    first three.
    """
    today = today or timezone.localdate()
    kinds = list(kinds) if kinds is not None else evaluation_notice_kinds_due(evaluation, today)
    if not kinds:
        return 0
    evaluation = AnnualEvaluation.objects.select_related("table", "table__owner", "template").get(pk=evaluation.pk)
    if evaluation.status != EvaluationStatus.OPEN:
        return 0
    sent = 0
    for kind in kinds:
        already = set(
            EvaluationReminder.objects.filter(evaluation=evaluation, kind=kind).values_list("user_id", flat=True)
        )
        recipients, respondent_ids = evaluation_notice_recipients(evaluation, kind)
        for user in recipients:
            if user.pk in already:
                continue
            context = {
                "evaluation": evaluation,
                "table": evaluation.table,
                "kind": kind,
                "days_left": (evaluation.due_on - today).days,
                "can_answer": user.pk in respondent_ids,
            }
            if _send_notice_once(evaluation=evaluation, user=user, kind=kind, context=context):
                sent += 1
    return sent


def evaluations_create_for_year(*, today: datetime.date) -> list[AnnualEvaluation]:
    """Creates this year's evaluation, with the default questions, for each active table that has none.

    Only between the year's opening and due dates (settings EVALUATION_OPENS and
    EVALUATION_DUE_DAYS): a table that becomes active later in the year is evaluated next year.
    """
    opens_on, due_on = evaluation_dates_for_year(today.year)
    if not opens_on <= today < due_on:
        return []
    template = default_evaluation_template()
    if template is None:
        logger.warning("No default evaluation template: this year's evaluations were not created.")
        return []
    created = []
    for table in tables_without_evaluation(today.year):
        evaluation = AnnualEvaluation(
            table=table, year=today.year, template=template, opens_on=opens_on, due_on=due_on,
            status=EvaluationStatus.SCHEDULED,
        )
        try:
            with transaction.atomic():
                evaluation.save()
        except IntegrityError:
            continue  # a coordinator (or a concurrent sweep) scheduled it meanwhile
        created.append(evaluation)
    return created


def evaluation_reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily sweep: creates and opens the year's evaluations and sends what is due.

    ``today`` is the Helsinki date (timezone.localdate()), so a run at 00:30 on the day
    clocks change counts for that day, not the UTC one. It reads only evaluations that
    are due (the partial index ``evaluation_due_scan``), and each notice goes once per
    (evaluation, person, kind) however often it runs.
    """
    today = today or timezone.localdate()
    created = evaluations_create_for_year(today=today)
    opened = 0
    sent = 0
    for evaluation in evaluations_to_open(today):
        try:
            evaluation = evaluation_open(actor=None, evaluation=evaluation, notify=False)
        except ValidationError:
            continue  # opened or closed meanwhile by someone else
        opened += 1
        # Sent here as well as below: an evaluation opened late (the sweep missed days)
        # has an opening date outside the catch-up window.
        sent += evaluation_send_notices(evaluation=evaluation, today=today, kinds=[EvaluationReminderKind.OPENED])
    # Only the evaluations that still owe someone a notice (a few queries for the whole country).
    # Only the dates are read here: evaluation_send_notices loads the few that owe something in full.
    candidates = list(evaluations_with_notices_due(today).only("pk", "status", "opens_on", "due_on"))
    for evaluation, kinds in evaluation_notices_owed(candidates, today):
        sent += evaluation_send_notices(evaluation=evaluation, today=today, kinds=kinds)
    return {"created": len(created), "opened": opened, "sent": sent}
