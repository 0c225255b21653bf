"""Masking of applicants' personal data: the one rule, from the spec (requests.md, "Applicant types").

Personal data is an applicant's identity number, phone number and address (``PERSONAL_DATA``), and the name of
a natural person (an organisation's name is public).  The identity number, phone and address appear in full only
on the request's own page to the handling agency's staff; everywhere else (lists, search results, exports,
``gongkai deadlines``, the audit log) they look like ``3201**********1234``, ``138****5678`` and the first six
characters of an address.  A natural person's name is shown in full to the handling agency's staff (their own
lists included) and as ``张**`` to everyone else — other agencies and supervisors — and wherever the viewer is
not known (``gongkai deadlines``, the masked export).
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


NATURAL_PERSON = "natural_person"


def applicant_name(applicant, full: bool) -> str:
    """The applicant's name as this viewer sees it: a natural person's masked unless ``full``."""
    return applicant.name if full or applicant.type != NATURAL_PERSON else mask_name(applicant.name)


PERSONAL_DATA = {"id_number": mask_id_number, "phone": mask_phone, "address": mask_address}
"""An applicant's fields that are personal data, each with its mask."""


def masked(applicant, field: str) -> str:
    """``applicant``'s ``field`` as lists and exports show it (masked when it is personal data)."""
    if field == "name":
        return applicant_name(applicant, full=False)
    value = getattr(applicant, field) or ""
    return PERSONAL_DATA[field](value) if field in PERSONAL_DATA and value else value
