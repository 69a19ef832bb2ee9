"""Audit history people can read (issue 13), on top of django-simple-history.

The apps say which history records a page shows (``HistorySource``: a queryset of one historical
model and how to name what a record is about); ``history_page`` merges them newest first, one page
at a time, and turns each record into a ``HistoryEntry``: who (the person, or "system"/"import"),
when, what kind of event, and each changed field as translated label with from → to. The
differences come from simple-history's own ``diff_against``; choices are shown by their labels,
foreign keys by the related object's name, dates and times in Helsinki time, localised.

A page asks a constant number of queries however long the history is: the count and the page of
the merged history (one UNION of the records' ids and dates), then for each kind on the page its
records with their predecessors in one query, then the names of the related objects in one query
per related model.

``history_baselines_create`` writes a baseline ("+") record for rows that have none (rows made by
data migrations, ``bulk_create`` or raw imports bypass simple-history's signals), so that the first
change of such a row shows its difference.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# history_change_reason of the records that history_baselines_create writes.
BASELINE_REASON = "baseline"
EMPTY = "–"

ACTIONS = {
    "+": gettext_lazy("Created"),
    "~": gettext_lazy("Changed"),
    "-": gettext_lazy("Deleted"),
}


@dataclass(frozen=True)
class HistorySource:
    """One kind of history on a page: the historical records in scope and how to name their subject.

    ``subject_fields`` are field names whose values (foreign keys by name) make up what a record is
    about, e.g. ``("role", "user", "email")`` for a role assignment; ``"id"`` names the object
    itself by its current name (for objects whose name is translated)."""

    kind: str
    label: str
    queryset: models.QuerySet
    subject_fields: Sequence[str] = ()
    excluded_fields: Sequence[str] = ()
    only_fields: Sequence[str] = ()  # when given, the page shows these fields only


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    kind: str
    kind_label: str
    subject: str
    when: object  # aware datetime
    who: str
    action: str
    action_code: str  # "+", "~", "-" or "baseline"
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def is_creation(self) -> bool:
        return self.action_code in ("+", "baseline")


def _translated_base_fields(model) -> set[str]:
    """The untranslated column of each modeltranslation field (``name`` beside ``name_fi``, ``name_sv``…):
    it repeats the default language, so the page shows the language columns only."""
    try:
        from modeltranslation.translator import NotRegistered, translator
    except ImportError:  # pragma: no cover - modeltranslation is installed
        return set()
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def _shown_fields(history_model, source: HistorySource) -> list[str]:
    model = history_model.instance_type
    hidden = set(source.excluded_fields) | _translated_base_fields(model)
    shown = [f.name for f in history_model.tracked_fields if f.editable and f.name not in hidden and f.name != "id"]
    if source.only_fields:
        shown = [name for name in shown if name in source.only_fields]
    return shown


def _earlier(history_model) -> models.QuerySet:
    """The records of the same object before the outer one (for a Subquery)."""
    return history_model.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    ).order_by("-history_date", "-history_id")


def history_merged(sources: Sequence[HistorySource]) -> models.QuerySet:
    """Every record of the sources as (history_source, history_id, history_date), newest first.
    (The name ``history_source`` keeps clear of the models' own fields, such as Organisation.kind.)"""
    parts = [
        source.queryset.order_by()
        .annotate(history_source=Value(source.kind, output_field=CharField()))
        .values("history_source", "history_id", "history_date")
        for source in sources
    ]
    merged = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return merged.order_by("-history_date", "-history_id", "history_source")


def _records_with_predecessors(history_model, ids: set[int]) -> dict[int, tuple[object, object | None]]:
    """history_id -> (record, the record before it of the same object, or None), in one query: the
    page's records and, by a subquery evaluated for those rows only, their predecessors."""
    predecessors = (
        history_model.objects.filter(history_id__in=ids)
        .annotate(previous_id=Subquery(_earlier(history_model).values("history_id")[:1]))
        .values("previous_id")
    )
    fetched = list(
        history_model.objects.filter(Q(history_id__in=ids) | Q(history_id__in=predecessors))
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    paired = {}
    for position, record in enumerate(fetched):
        if record.history_id in ids:
            before = fetched[position - 1] if position else None
            paired[record.history_id] = (record, before if before is not None and before.id == record.id else None)
    return paired


class _Names:
    """Names of related objects, fetched in one query per model for a whole page."""

    def __init__(self):
        self.wanted: dict[type[models.Model], set] = defaultdict(set)
        self.found: dict[tuple[type[models.Model], object], str] = {}

    def want(self, model, pk) -> None:
        if pk not in (None, ""):
            self.wanted[model].add(pk)

    def fetch(self) -> None:
        for model, pks in self.wanted.items():
            for pk, obj in model._default_manager.in_bulk(list(pks)).items():
                self.found[(model, pk)] = str(obj)

    def name(self, model, pk) -> str:
        if pk in (None, ""):
            return EMPTY
        return self.found.get((model, pk)) or _("removed (%(id)s)") % {"id": pk}


def _foreign_key(model, name):
    try:
        model_field = model._meta.get_field(name)
    except Exception:  # a field the model no longer has
        return None
    return model_field if model_field.many_to_one else None


def _display(model, name: str, value, names: _Names) -> str:
    try:
        model_field = model._meta.get_field(name)
    except Exception:
        return str(value)
    if value is None or value == "":
        return EMPTY
    if model_field.many_to_one:
        return names.name(model_field.related_model, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(model_field, models.DateTimeField):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(model_field, models.DateField):
        return date_format(value, "SHORT_DATE_FORMAT")
    return Truncator(str(value)).chars(300)


def _label(model, name: str) -> str:
    try:
        return capfirst(str(model._meta.get_field(name).verbose_name))
    except Exception:
        return name


def _who(record) -> str:
    if record.history_user_id and record.history_user is not None:
        return str(record.history_user)
    if record.history_change_reason == BASELINE_REASON:
        return _("import")
    return _("system")


def history_page(sources: Sequence[HistorySource], page_number, *, per_page: int | None = None) -> Page:
    """One page of the sources' merged history, newest first; ``page.object_list`` holds ``HistoryEntry``s."""
    paginator = Paginator(history_merged(sources), per_page or settings.LIST_PAGE_SIZE)
    page = paginator.get_page(page_number)
    rows = list(page.object_list)
    by_kind = {source.kind: source for source in sources}

    wanted_ids: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        wanted_ids[row["history_source"]].add(row["history_id"])
    records = {
        kind: _records_with_predecessors(by_kind[kind].queryset.model, ids) for kind, ids in wanted_ids.items()
    }

    names = _Names()
    planned = []
    for row in rows:
        source = by_kind[row["history_source"]]
        record, previous = records[row["history_source"]][row["history_id"]]
        model = record.instance_type
        shown = _shown_fields(type(record), source)
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous, included_fields=shown)
            # In the model's field order, not diff_against's alphabetical one.
            changes = sorted(
                ((change.field, change.old, change.new) for change in delta.changes),
                key=lambda change: shown.index(change[0]),
            )
        elif record.history_type == "-":
            changes = []
        else:  # created (or a change whose predecessor is missing): what it was made with
            changes = [(name, None, getattr(record, _attname(model, name))) for name in shown]
            changes = [change for change in changes if change[2] not in (None, "")]
        for name, old, new in changes:
            fk = _foreign_key(model, name)
            if fk is not None:
                names.want(fk.related_model, old)
                names.want(fk.related_model, new)
        for name in source.subject_fields:
            if name == "id":
                names.want(model, record.id)
            else:
                fk = _foreign_key(model, name)
                if fk is not None:
                    names.want(fk.related_model, getattr(record, fk.attname))
        planned.append((source, record, model, changes))
    names.fetch()

    entries = []
    for source, record, model, changes in planned:
        baseline = record.history_type == "+" and record.history_change_reason == BASELINE_REASON
        entries.append(
            HistoryEntry(
                kind=source.kind,
                kind_label=str(source.label),
                subject=_subject(source, record, model, names),
                when=record.history_date,
                who=_who(record),
                action=_("Baseline (existing data)") if baseline else str(ACTIONS.get(record.history_type, "")),
                action_code="baseline" if baseline else record.history_type,
                changes=[
                    FieldChange(
                        label=_label(model, name),
                        old=_display(model, name, old, names) if record.history_type == "~" else "",
                        new=_display(model, name, new, names),
                    )
                    for name, old, new in changes
                ],
            )
        )
    page.object_list = entries
    return page


def _attname(model, name: str) -> str:
    fk = _foreign_key(model, name)
    return fk.attname if fk is not None else name


def _subject(source: HistorySource, record, model, names: _Names) -> str:
    parts = []
    for name in source.subject_fields:
        if name == "id":
            found = names.found.get((model, record.id))
            parts.append(found or str(getattr(record, "name", record.id)))
            continue
        fk = _foreign_key(model, name)
        value = getattr(record, fk.attname) if fk is not None else getattr(record, name, "")
        if value in (None, ""):
            continue
        parts.append(names.name(fk.related_model, value) if fk is not None else _display(model, name, value, names))
    return " – ".join(parts)


# --- Baselines ---------------------------------------------------------------------------------


def history_baselines_create(model: type[models.Model], *, batch_size: int = 1000) -> int:
    """Writes a baseline ("+", no user, reason ``BASELINE_REASON``) history record for every row of
    the model that has no history yet, dated when the row was created if it says so, else now.
    Idempotent: a row with any history record is left alone. Returns how many were written."""
    history_model = model.history.model
    missing = model._default_manager.exclude(pk__in=history_model.objects.values("id")).order_by("pk")
    created_field = "created_at" if any(f.name == "created_at" for f in model._meta.concrete_fields) else None
    written = 0
    batch = []
    for row in missing.iterator(chunk_size=batch_size):
        if created_field and getattr(row, created_field):
            row._history_date = getattr(row, created_field)
        batch.append(row)
        if len(batch) >= batch_size:
            written += len(model.history.bulk_history_create(batch, default_change_reason=BASELINE_REASON))
            batch = []
    if batch:
        written += len(model.history.bulk_history_create(batch, default_change_reason=BASELINE_REASON))
    return written


def history_tracked_models() -> list[type[models.Model]]:
    """Every model of this project whose history simple-history keeps."""
    from simple_history.models import registered_models

    return sorted(
        (model for model in registered_models.values() if hasattr(model, "history")),
        key=lambda model: model._meta.label,
    )


def history_baselines_create_all(models_: Iterable[type[models.Model]] | None = None) -> dict[str, int]:
    return {model._meta.label: history_baselines_create(model) for model in (models_ or history_tracked_models())}
