"""Start Django from library code (the CLI, the bench): settings from the environment, apps loaded."""

import os

import django


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
    django.setup()
