"""The WSGI application that ``gongkai serve`` runs under gunicorn (or any WSGI server:
``gunicorn gongkai.web.wsgi``).  Settings come from the environment (``gongkai.web.settings``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
application = get_wsgi_application()
