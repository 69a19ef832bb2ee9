"""Minutes are written in Markdown and shown as HTML: rendered with ``markdown``, cleaned with ``nh3``.

Markdown lets raw HTML through, so the cleaning is what makes it safe: only the tags below
survive (no script, style, iframe, img or form), only the listed attributes (no ``on*``,
``style`` or ``class``), and links only with http, https or mailto URLs. Every link gets
``rel="noopener noreferrer"``. Headings are moved down two levels, so a ``# Heading`` in the
minutes sits under the page's own h1 and h2 and the page outline stays in order.
"""

import xml.etree.ElementTree as etree

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "h3", "h4", "h5", "h6",
    "p", "br", "hr", "blockquote", "pre", "code",
    "ul", "ol", "li", "dl", "dt", "dd",
    "a",
    "em", "strong", "b", "i", "del", "s", "sub", "sup",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"align", "scope"},
    "td": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer"
HEADING_SHIFT = 2


class _ShiftHeadings(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                element.tag = f"h{min(int(element.tag[1]) + HEADING_SHIFT, 6)}"


class _ShiftHeadingsExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_ShiftHeadings(md), "kumppanuus_shift_headings", 1)


def render_markdown(text: str) -> SafeString:
    """Sanitised HTML for a Markdown text; safe to put on any page."""
    html = markdown.markdown(
        text or "",
        extensions=[
            "sane_lists",
            # Column alignment as an attribute: the CSP forbids inline styles.
            TableExtension(use_align_attribute=True),
            _ShiftHeadingsExtension(),
        ],
        output_format="html",
    )
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 – cleaned by nh3 just above
