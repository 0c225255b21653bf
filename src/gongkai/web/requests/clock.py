"""Today, for the ledger's web layer: one function, so that a test can set the day the ledger is seen on."""

from __future__ import annotations

from datetime import date

from django.utils import timezone


def today() -> date:
    """The local date (settings.TIME_ZONE): events and receipts after it are refused."""
    return timezone.localdate()
