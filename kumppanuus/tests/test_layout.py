"""{% table_region %}: a wide table scrolls in its own named, focusable region (WCAG 1.4.10, 2.1.1, 4.1.2)."""

from pathlib import Path

import pytest
from django.template import TemplateSyntaxError, engines


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load layout %}" + source).render(context)


def test_the_region_is_named_by_the_caption_and_takes_focus():
    html = render(
        '{% table_region "members-caption" %}<table><caption id="members-caption">Jäsenet</caption></table>'
        "{% endtable_region %}"
    )
    assert html == (
        '<div class="table-responsive" role="region" aria-labelledby="members-caption" tabindex="0">'
        '<table><caption id="members-caption">Jäsenet</caption></table></div>'
    )


def test_the_id_may_come_from_a_variable_and_is_escaped():
    html = render("{% table_region caption_id %}<table></table>{% endtable_region %}", caption_id='a"b')
    assert 'aria-labelledby="a&quot;b"' in html


def test_a_region_without_a_name_is_refused():
    with pytest.raises(TemplateSyntaxError, match="id of the element that names the table"):
        render("{% table_region %}<table></table>{% endtable_region %}")
    with pytest.raises(TemplateSyntaxError, match="id of the element that names the table"):
        render("{% table_region caption_id %}<table></table>{% endtable_region %}")


def test_every_table_of_the_app_is_in_a_region():
    """A table outside a region widens the whole page on a phone; e-mail templates are not pages."""
    root = Path(__file__).resolve().parents[2]
    outside = []
    for template in [*root.glob("templates/**/*.html"), *root.glob("*/templates/**/*.html")]:
        if ".venv" in template.parts or "email" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        if text.count("<table") != text.count("{% table_region"):
            outside.append(str(template.relative_to(root)))
    assert not outside, f"put these tables in {{% table_region %}}: {outside}"
