"""``{% chart_svg chart caption %}``: a dashboard chart as inline SVG (``charts.Chart.svg``)."""

from django import template

register = template.Library()


@register.simple_tag
def chart_svg(chart, caption):
    return chart.svg(caption)
