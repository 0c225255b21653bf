"""Procedure letters (文书) of a disclosure request: Word templates filled from a ``LetterContext``.

No database, no web framework: the screens call ``render_letter(kind, context)`` and ``letter_pdf``.
Dates are the ledger's, computed by the caller; the reasons library (``reasons.toml``) gives each
table-3 outcome its standard wording, and its article comes from ``gongkai.ledger.outcomes``.
"""

from .context import APPLICANT_TYPES, LetterContext, LetterDataError, LetterKind, cn_date, variables
from .reasons import Reason, reason_for
from .render import LetterPdfError, letter_pdf, office_templates_dir, render_letter, template_source

__all__ = ["APPLICANT_TYPES", "LetterContext", "LetterDataError", "LetterKind", "LetterPdfError", "Reason",
           "cn_date", "letter_pdf", "office_templates_dir", "reason_for", "render_letter", "template_source",
           "variables"]
