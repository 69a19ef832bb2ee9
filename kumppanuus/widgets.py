"""Form widgets for long choice lists."""

import html

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe


def _escape(value) -> str:
    """As Django's conditional_escape (the same html.escape), without its wrappers: called twice for
    each of hundreds of options."""
    return value if isinstance(value, SafeData) else html.escape(str(value))


class QuickSelect(forms.Select):
    """A ``<select>`` whose options are written in Python, with the same HTML as Django's.

    Django renders each ``<option>`` through a template include, after building a dict of
    attributes for it; for the 293 municipalities of the directory filter that took longer than all
    of the page's queries (docs/performance.md). This walks the choices once and writes the HTML.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        html = [format_html('<select name="{}"{}>', name, flatatt(self.build_attrs(self.attrs, attrs)))]
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                html.append(format_html('<optgroup label="{}">', option_value))
                html.extend(self._option(value, text, selected) for value, text in label)
                html.append("</optgroup>")
            else:
                html.append(self._option(option_value, label, selected))
        html.append("</select>")
        return mark_safe("".join(html))

    def _option(self, value, label, selected: set[str]) -> str:
        value = "" if value is None else str(value)
        is_selected = value in selected
        if is_selected and not self.allow_multiple_selected:
            selected.clear()  # as Django: only the first matching option of a single select
        marker = " selected" if is_selected else ""
        return f'<option value="{_escape(value)}"{marker}>{_escape(label)}</option>'

