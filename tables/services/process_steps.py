"""Process steps of a table: who does what, how and when, kept in positions 1..n."""

from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from tables.models import PartnershipTable, ProcessRole, ProcessStep, ProcessTemplate
from tables.services._common import clean_text

# Every language of every translated text, and the untranslated columns modeltranslation keeps.
TRANSLATED_COLUMNS = [
    f"{field}{suffix}" for field in ("what", "how", "when") for suffix in ("", "_fi", "_sv", "_en")
]


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


# A step is written in Finnish (what, how, when) and, if the coordinator wants, in Swedish too
# (what_sv, …): modeltranslation's columns what_fi, what_sv, … and each reader sees their language.
def _set_texts(step: ProcessStep, **texts: str) -> None:
    """Writes the Finnish and the Swedish texts; an empty Swedish text is kept empty (None), so the
    Finnish one shows in its place."""
    for field in ("what", "how", "when"):
        setattr(step, f"{field}_fi", clean_text(texts.get(field) or ""))
        setattr(step, f"{field}_sv", clean_text(texts.get(f"{field}_sv") or "") or None)


@transaction.atomic
def process_step_create(
    *, actor: User | None, table: PartnershipTable, role: ProcessRole, what: str, how: str = "", when: str = "",
    what_sv: str = "", how_sv: str = "", when_sv: str = "",
) -> ProcessStep:
    """Adds a step at the end of the table's process; the texts in Finnish, the *_sv ones in Swedish."""
    _lock_table(table)
    last = ProcessStep.objects.filter(table=table).aggregate(last=Max("position"))["last"] or 0
    step = ProcessStep(table=table, role=role, position=last + 1)
    _set_texts(step, what=what, how=how, when=when, what_sv=what_sv, how_sv=how_sv, when_sv=when_sv)
    step._history_user = actor
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def process_step_update(
    *, actor: User | None, step: ProcessStep, role: ProcessRole, what: str, how: str = "", when: str = "",
    what_sv: str = "", how_sv: str = "", when_sv: str = "",
) -> ProcessStep:
    step = ProcessStep.objects.select_for_update().get(pk=step.pk)
    step.role = role
    _set_texts(step, what=what, how=how, when=when, what_sv=what_sv, how_sv=how_sv, when_sv=when_sv)
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
        ProcessStep(table=table, role_id=step.role_id, position=last + number,
                    **{name: getattr(step, name) for name in TRANSLATED_COLUMNS})
        for number, step in enumerate(source.order_by("position", "pk"), start=1)
    ]
    bulk_create_with_history(copies, ProcessStep, default_user=actor)
    return len(copies)
