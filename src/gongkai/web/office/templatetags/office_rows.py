"""``{% list_rows page show_agency %}``, ``{% short_rows rows show_agency %}``: the rows of a page of the request
list (``rows.RequestRow.list_html``) and of a dashboard list (``short_html``), joined in one call rather than a
template loop or tag per row."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def list_rows(rows, show_agency):
    return mark_safe("\n".join(row.list_html(show_agency) for row in rows))


@register.simple_tag
def short_rows(rows, show_agency):
    return mark_safe("\n".join(row.short_html(show_agency) for row in rows))
