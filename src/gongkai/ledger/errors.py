"""The ledger's one error type: a stable ``code`` for programs and a Chinese message for clerks.

Every refusal the ledger can give (an impossible timeline, a 0 元 fee notice, an outcome without its
precondition) is a ``LedgerError``; the web layer shows ``str(error)`` as it is.
"""

from __future__ import annotations


class LedgerError(ValueError):
    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)
