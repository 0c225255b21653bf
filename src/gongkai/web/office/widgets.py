"""Form widgets built in Python for the pages every clerk opens many times a day.

Django renders a ``<select>`` through its template engine, one included template per option: the request list's
filter form (a supervisor's 300 agencies, table 3's outcomes) took longer than the rest of the page.  The same
markup is built here in one pass, each text escaped as Django escapes it.
"""

from __future__ import annotations

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """A single ``<select>`` of flat choices, as ``forms.Select`` renders it, without the template engine."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{_escaped(key)}"{" selected" if key in chosen else ""}>{_escaped(label)}</option>'
            for key, label in ((str("" if v is None else v), label) for v, label in self.choices))
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)),
                           mark_safe(options))


def _escaped(value) -> str:
    """``conditional_escape`` without its per-call overhead (a supervisor's filter has 300 options): markup
    already safe as it is, anything else escaped as Django's ``escape`` does (``html.escape``)."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))
