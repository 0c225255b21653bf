"""Form widgets built in Python for the pages every clerk opens many times a day.

Django renders a ``<select>`` through its template engine, one included template per option: the request list's
filter form (a supervisor's 300 agencies, table 3's outcomes) took longer than the rest of the page.  The same
markup is built here in one pass, escaped by ``format_html``.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

SELECTED = mark_safe(" selected")


class PlainSelect(forms.Select):
    """A single ``<select>`` of flat choices, as ``forms.Select`` renders it, without the template engine."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = format_html_join("", '<option value="{}"{}>{}</option>', (
            (key, SELECTED if key in chosen else "", label)
            for key, label in ((str("" if v is None else v), label) for v, label in self.choices)))
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)),
                           options)
