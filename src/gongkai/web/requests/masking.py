"""Masking of applicants' personal data: the one rule, from the spec (requests.md, "Applicant types").

Personal data is an applicant's identity number, phone number and address (``PERSONAL_DATA``); a name is
not, and is shown as it is.  Everywhere personal data appears outside the handling agency's own request page
(lists, search results, exports, ``gongkai deadlines``, the audit log) it looks like this:
``3201**********1234`` for an identity number, ``138****5678`` for a phone number, the first six characters
of an address.
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


PERSONAL_DATA = {"id_number": mask_id_number, "phone": mask_phone, "address": mask_address}
"""An applicant's fields that are personal data, each with its mask."""


def masked(applicant, field: str) -> str:
    """``applicant``'s ``field`` as lists and exports show it (masked when it is personal data)."""
    value = getattr(applicant, field) or ""
    return PERSONAL_DATA[field](value) if field in PERSONAL_DATA and value else value
