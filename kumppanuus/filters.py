"""Filters shared by the list pages (django-filter)."""

import django_filters
from django.utils.translation import get_language
from django_filters.fields import ModelChoiceField, ModelChoiceIterator
from modeltranslation.utils import build_localized_fieldname, resolution_order

from kumppanuus.widgets import QuickSelect


class _NameChoiceIterator(ModelChoiceIterator):
    """The options as (pk, name) straight from the database, the name in the active language or the
    first of its fallbacks that is filled in (modeltranslation's order). Neither model instances
    nor modeltranslation's own fallback rows: for the 293 municipalities either cost more than the
    rest of the directory page (docs/performance.md)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        model = self.queryset.model
        languages = resolution_order(get_language(), model.name.fallback_languages)
        columns = [build_localized_fieldname("name", language) for language in languages]
        rows = self.queryset.rewrite(False).values_list("pk", *columns).order_by(*columns, "pk")
        for pk, *names in rows:
            yield pk, next((name for name in names if name), "")


class _NameChoiceField(ModelChoiceField):
    iterator = _NameChoiceIterator


class NameChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter by a model that has a translated ``name``, listed quickly (QuickSelect)."""

    field_class = _NameChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", QuickSelect)
        super().__init__(*args, **kwargs)
