"""Masking of applicants' personal data (identity number, phone, address).

The one place that decides how personal data looks in lists, search results and exports:
``3201**********1234`` for an identity number, ``138****5678`` for a phone number, the first six
characters of an address.  Full data is shown only on the request's own page to the handling agency.
"""

from __future__ import annotations


def _mask(value: str, keep_start: int, keep_end: int) -> str:
    value = value.strip()
    hidden = len(value) - keep_start - keep_end
    if hidden <= 0:
        return "*" * len(value)
    return value[:keep_start] + "*" * hidden + value[len(value) - keep_end:]


def mask_id_number(value: str) -> str:
    """``320102199001011234`` → ``3201**********1234``."""
    return _mask(value, 4, 4)


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``."""
    return _mask(value, 3, 4)


def mask_address(value: str) -> str:
    """Keep the first six characters (province, city, district), hide the rest."""
    value = value.strip()
    return value[:6] + "****" if len(value) > 6 else "*" * len(value)


def mask_name(value: str) -> str:
    """A person's name keeps its first character: ``张三丰`` → ``张**``."""
    value = value.strip()
    return value[:1] + "*" * (len(value) - 1)
