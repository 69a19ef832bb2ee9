"""Form helpers shared by every app's views."""

from django.conf import settings
from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError, *, renamed: dict[str, str] | None = None) -> None:
    """Puts a service's ValidationError next to the fields it names (the rest above the form).
    ``renamed`` maps a service's argument to the form's field where they differ (title → title_fi)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = (renamed or {}).get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def mark_languages(form, *names: str) -> None:
    """Gives the inputs of translated fields (``title_fi``, ``title_sv``) the language of their text,
    so that screen readers and spelling checkers treat a Swedish text as Swedish."""
    for name in names:
        language = name.rpartition("_")[2]
        if name in form.fields and language in settings.MODELTRANSLATION_LANGUAGES:
            form.fields[name].widget.attrs["lang"] = language


# A service takes the Finnish text of a translated field under the field's own name (title) and the
# Swedish one as title_sv; a form has modeltranslation's title_fi and title_sv.
def finnish_as_plain(data: dict) -> dict:
    """A bilingual form's cleaned data as a service's arguments: title_fi → title, title_sv stays; an
    empty translated text (None from modeltranslation's nullable column) is an empty string."""
    return {
        name.removesuffix("_fi"): "" if value is None and name.endswith(("_fi", "_sv")) else value
        for name, value in data.items()
    }


def plain_as_finnish(names) -> dict[str, str]:
    """The ``renamed`` of add_service_errors for a form whose Finnish fields are ``names`` (title_fi, …)."""
    return {name.removesuffix("_fi"): name for name in names if name.endswith("_fi")}
