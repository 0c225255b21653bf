"""The committed migrations match the models (choice labels from the template included): a model change
without its migration fails here, not on an office's server."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


def test_no_model_change_lacks_its_migration(db):
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(f"models changed without a migration (create it with Django's makemigrations):\n{out.getvalue()}")
