"""Writes many rows fast: PostgreSQL COPY, or executemany on other databases (the SQLite demo).

Rows are plain tuples in the order of the field names given; every other concrete field gets
its model default, so a generator only spells out what it varies. Primary keys are handed out
here (from the table's current maximum), so related rows can point at rows not yet written;
``finish()`` moves the id sequences past them, as a normal insert would have.
"""

import json
from collections import Counter
from collections.abc import Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import JSONField, Max, Model
from django.utils import timezone
from modeltranslation.translator import NotRegistered, translator


class RowWriter:
    def __init__(self, using: str = DEFAULT_DB_ALIAS):
        self.using = using
        self.connection = connections[using]
        self.postgres = self.connection.vendor == "postgresql"
        self.now = timezone.now()
        self.next_pk: dict[type[Model], int] = {}
        self.written: Counter = Counter()

    def ids(self, model: type[Model], count: int) -> range:
        """``count`` fresh primary keys for ``model``, above every id already in the table."""
        if model not in self.next_pk:
            top = model._default_manager.using(self.using).aggregate(top=Max("pk"))["top"] or 0
            self.next_pk[model] = top + 1
        start = self.next_pk[model]
        self.next_pk[model] += count
        return range(start, start + count)

    def _default(self, field):
        if field.primary_key:
            raise ValueError(f"{field.model.__name__}: give the primary key (writer.ids()).")
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        if field.unique and field.has_default() and callable(field.default):
            raise ValueError(f"{field.model.__name__}.{field.name} is unique: give a value per row.")
        if isinstance(field, JSONField):
            return json.dumps(field.get_default())  # COPY and INSERT take the JSON text, not a dict
        return field.get_default()

    def write(self, model: type[Model], names: Sequence[str], rows: Iterable[tuple]) -> int:
        """Writes the rows; ``names`` are field names or attnames (``table_id``). A translated
        field given untranslated (``title``) is the Finnish text: it is written to ``title_fi`` too,
        where modeltranslation reads it."""
        meta = model._meta
        names, rows = _with_finnish_columns(model, list(names), rows)
        given = [meta.get_field(name) for name in names]
        given_names = {field.attname for field in given}
        rest = [field for field in meta.concrete_fields if field.attname not in given_names]
        tail = tuple(self._default(field) for field in rest)
        fields = given + rest
        quote = self.connection.ops.quote_name
        table = quote(meta.db_table)
        columns = ", ".join(quote(field.column) for field in fields)
        count = 0
        with self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + tail)
                        count += 1
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
                prepared = (
                    [
                        field.get_db_prep_save(value, self.connection)
                        for field, value in zip(fields, row + tail, strict=True)
                    ]
                    for row in rows
                )
                batch = []
                for values in prepared:
                    batch.append(values)
                    if len(batch) == 5000:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        self.written[model] += count
        return count

    def finish(self) -> None:
        """Moves each id sequence past the ids handed out, and refreshes the planner's statistics."""
        if not self.postgres:
            return  # SQLite's AUTOINCREMENT follows explicit ids by itself
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            for model in self.next_pk:
                table = model._meta.db_table
                pk = model._meta.pk.column
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                    f"(SELECT COALESCE(MAX({quote(pk)}), 1) FROM {quote(table)}), "
                    f"(SELECT MAX({quote(pk)}) IS NOT NULL FROM {quote(table)}))",
                    [quote(table), pk],
                )
            for model in self.written:
                cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")


def _with_finnish_columns(model: type[Model], names: list[str], rows: Iterable[tuple]):
    """``names`` and ``rows`` with a ``<field>_fi`` column after each translated field given without it."""
    try:
        translated = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        return names, rows
    copied = [names.index(name) for name in names if name in translated and f"{name}_fi" not in names]
    if not copied:
        return names, rows
    return (
        [*names, *(f"{names[index]}_fi" for index in copied)],
        (tuple(row) + tuple(row[index] for index in copied) for row in rows),
    )
