"""Form widgets for long choice lists."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A ``<select>`` whose options are written in Python, with the same HTML as Django's.

    Django renders each ``<option>`` through a template include; for the 293 municipalities of the
    directory filter that took longer than all of the page's queries (docs/performance.md).
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group, options, _index in widget["optgroups"]:
            if group:
                html.append(format_html('<optgroup label="{}">', group))
            html.extend(
                format_html('<option value="{}"{}>{}</option>', option["value"], flatatt(option["attrs"]),
                            option["label"])
                for option in options
            )
            if group:
                html.append("</optgroup>")
        html.append("</select>")
        return mark_safe("".join(html))
