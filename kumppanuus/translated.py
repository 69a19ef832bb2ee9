"""Translated texts (django-modeltranslation columns) where modeltranslation does not pick the
reader's language by itself."""

from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname, resolution_order


def in_active_language(path: str) -> Coalesce:
    """The translated field ``path`` (``"meeting__title"``) in the active language, or the first of
    its fallbacks that is filled in, as a query expression.

    ``.values("meeting__title")`` on a model that is not itself translated reads the untranslated
    column, which holds the text in the language of whoever saved it last; this reads the reader's.
    Evaluated when called: build the query inside the language it is for."""
    languages = resolution_order(get_language() or "fi")
    return Coalesce(
        *(NullIf(F(build_localized_fieldname(path, language)), Value("")) for language in languages),
        Value(""),
        output_field=CharField(),
    )
