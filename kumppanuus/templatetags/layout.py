"""Layout helpers every app's templates use.

``{% table_region "caption-id" %}<table>…<caption id="caption-id">…</caption>…</table>{% endtable_region %}``
puts a table in its own scrolling region, so that a table wider than a phone (320 CSS px, WCAG 2.1
SC 1.4.10) scrolls inside the region and the page itself does not. The region is named by the
element whose id is given (the table's caption, or the heading above it), so a screen reader
announces what it is, and it takes keyboard focus, so that a person without a mouse can scroll it
with the arrow keys (axe-core's ``scrollable-region-focusable``).
"""

from django import template
from django.utils.html import format_html

register = template.Library()


class TableRegionNode(template.Node):
    def __init__(self, labelledby, nodelist):
        self.labelledby = labelledby
        self.nodelist = nodelist

    def render(self, context):
        labelledby = self.labelledby.resolve(context)
        if not labelledby:
            raise template.TemplateSyntaxError("table_region needs the id of the element that names the table")
        return format_html(
            '<div class="table-responsive" role="region" aria-labelledby="{}" tabindex="0">{}</div>',
            labelledby,
            self.nodelist.render(context),
        )


@register.tag
def table_region(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes one argument, the id of the element that names the table (its caption)"
        )
    nodelist = parser.parse(("endtable_region",))
    parser.delete_first_token()
    return TableRegionNode(parser.compile_filter(bits[1]), nodelist)
