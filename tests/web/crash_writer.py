"""A stream of ledger writes for the crash test: each request is received and decided in one transaction
(through the application's own ``receive``/``record_event``), and its number is printed only after the commit.

    python tests/web/crash_writer.py AGENCY_NAME COUNT
"""

from __future__ import annotations

import sys
from datetime import date, timedelta

from gongkai.web.bootstrap import setup_django


def main() -> None:
    setup_django()
    from django.db import transaction

    from gongkai.web.agencies.models import Agency
    from gongkai.web.requests.events import EventKind
    from gongkai.web.requests.models import Applicant, Channel
    from gongkai.web.requests.timeline import receive, record_event

    agency = Agency.objects.get(name=sys.argv[1])
    start = date(2025, 3, 3)
    for i in range(int(sys.argv[2])):
        day = start + timedelta(days=7 * (i % 40))
        with transaction.atomic():
            applicant = Applicant.objects.create(type="natural_person", name=f"申请人{i}", id_number="320102199001011234")
            request = receive(agency, applicant, day, Channel.IN_PERSON)
            record_event(request, EventKind.DECIDED, day + timedelta(days=1), "granted")
        print(request.pk, flush=True)  # committed


if __name__ == "__main__":
    main()
