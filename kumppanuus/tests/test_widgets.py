"""QuickSelect writes the same <select> as Django's template-rendered one."""

import re

from django import forms

from kumppanuus.widgets import QuickSelect

CHOICES = [("", "All"), ("1", "Vaasa & <Mustasaari>"), ("2", "Åbo")]


def _normalise(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_same_html_as_django_select():
    for value in ("", "2", None):
        attrs = {"class": "form-select", "id": "id_municipality"}
        expected = forms.Select(choices=CHOICES).render("municipality", value, attrs=attrs)
        assert _normalise(QuickSelect(choices=CHOICES).render("municipality", value, attrs=attrs)) == _normalise(
            expected
        )


def test_same_html_with_groups():
    grouped = [("Pohjanmaa", [("1", "Vaasa"), ("2", "Mustasaari")]), ("3", "Helsinki")]
    expected = forms.Select(choices=grouped).render("m", "2")
    assert _normalise(QuickSelect(choices=grouped).render("m", "2")) == _normalise(expected)
