"""``{% list_row row show_agency %}``: a row of the request list (``rows.RequestRow.list_html``)."""

from django import template

register = template.Library()


@register.simple_tag
def list_row(row, show_agency):
    return row.list_html(show_agency)
