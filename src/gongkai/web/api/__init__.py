"""The JSON API (``/api/``): the ledger's requests, events, agencies and reports for other systems.

Who sees and changes what is decided by ``accounts/access.py`` and how personal data looks by
``requests/masking.py``, exactly as on the screens; this app only adapts them to HTTP (``permissions``).
"""
