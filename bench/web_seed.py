"""The bench's database (``bench/web.py``): a city's agency tree, its applicants, a million requests with
their events and letters, as the ledger would have them, loaded by ``COPY``; the clients' users."""

from __future__ import annotations

import bisect
import random
import time
from collections import defaultdict
from datetime import date, timedelta
from urllib.parse import urlsplit, urlunsplit

FIRST_DAY = date(2019, 1, 1)
PASSWORD = "bench-Password-2026"
COUNTIES, COUNTY_DEPARTMENTS, COUNTY_TOWNS, CITY_DEPARTMENTS = 10, 20, 5, 40


# ---------------------------------------------------------------------------------------------------- database

def create_database(server: str, name: str) -> str:
    import psycopg

    parts = urlsplit(server)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(server: str, name: str) -> None:
    import psycopg

    parts = urlsplit(server)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def agency_tree():
    """(id, name, kind, parent id, county level or above, weight): a city of 301 agencies."""
    rows, next_id = [(1, "某市人民政府", "government", None, True, 30)], 2
    for i in range(CITY_DEPARTMENTS):
        rows.append((next_id, f"某市第{i + 1}局", "department", 1, True, 12 if i < 6 else 2))
        next_id += 1
    for c in range(COUNTIES):
        county = next_id
        rows.append((county, f"第{c + 1}县人民政府", "government", 1, True, 15))
        next_id += 1
        for i in range(COUNTY_DEPARTMENTS):
            rows.append((next_id, f"第{c + 1}县第{i + 1}局", "department", county, True, 5 if i < 4 else 1))
            next_id += 1
        for i in range(COUNTY_TOWNS):
            kind = "town" if i % 2 == 0 else "subdistrict"
            rows.append((next_id, f"第{c + 1}县第{i + 1}{'镇' if kind == 'town' else '街道'}", kind, county, False, 1))
            next_id += 1
    return rows


def working_days(first: date, last: date) -> list[date]:
    day, days = first, []
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


class Seeder:
    """Rows for the applicant, request and event tables, as the ledger would have them."""

    def __init__(self, n_requests: int, n_applicants: int, agencies, today: date, seed: int = 7):
        from gongkai.ledger.outcomes import FEE_UNPAID_OUTCOME, NO_SUPPLEMENT_OUTCOME, WITHDRAWN_OUTCOME
        from gongkai.web.requests.models import APPLICANT_TYPES, OUTCOME_KEYS

        self.rng = random.Random(seed)
        self.n_requests, self.n_applicants, self.today = n_requests, n_applicants, today
        self.agencies = agencies
        self.types = [key for key, _ in APPLICANT_TYPES]
        self.withdrawn = WITHDRAWN_OUTCOME
        special = {WITHDRAWN_OUTCOME, NO_SUPPLEMENT_OUTCOME, FEE_UNPAID_OUTCOME, "unavailable.still_unclear"}
        self.outcomes = [key for key in OUTCOME_KEYS if key not in special]
        self.outcome_weights = [50 if k == "granted" else 15 if k == "partially_granted" else 2 for k in self.outcomes]
        self.applicants, self.requests, self.events = [], [], []
        self.derived: list[int] = []  # requests whose closing the ledger derives (more than receipt + decision)
        self.open_kinds: dict[str, int] = defaultdict(int)
        self.letters = 0

    def run(self) -> None:
        rng, today = self.rng, self.today
        ids = [a[0] for a in self.agencies]
        cum = []
        for a in self.agencies:
            cum.append((cum[-1] if cum else 0) + a[5])
        for i in range(1, self.n_applicants + 1):
            kind = rng.choices(self.types, weights=(80, 10, 2, 2, 4, 2))[0]
            number = f"110101{rng.randrange(1950, 2005)}0{rng.randrange(100, 999)}{rng.randrange(1000, 9999)}"
            self.applicants.append((i, ids[bisect.bisect(cum, rng.random() * cum[-1])], kind,
                                    f"申请人{i}" if kind == "natural_person" else f"某某公司{i}",
                                    number if kind == "natural_person" else "", f"1380000{i % 10000:04d}",
                                    f"某市某区某路{i % 500}号", 0))
        days = working_days(FIRST_DAY, today)
        agency_of = rng.choices(ids, cum_weights=cum, k=self.n_requests)
        for pk in range(1, self.n_requests + 1):
            # the last days get a fuller share so that the open requests are those of a steady state
            received = days[min(len(days) - 1, int(len(days) * rng.random() ** 0.995))]
            self._request(pk, agency_of[pk - 1], received)

    def _event(self, request: int, kind: str, on: date, outcome=None, **details) -> None:
        row = {"supplement_by": None, "fee_method": None, "fee_units": None, "delivered_on": None,
               "extension_days": None, "notified_on": None, **details}
        self.events.append((len(self.events) + 1, request, kind, on, outcome, row["supplement_by"], row["fee_method"],
                            row["fee_units"], row["delivered_on"], row["extension_days"], row["notified_on"], "", 0))

    def _request(self, pk: int, agency: int, received: date) -> None:
        rng, today = self.rng, self.today
        applicant = rng.randrange(1, self.n_applicants + 1)
        channel = rng.choices(("in_person", "online", "post_signed"), weights=(30, 60, 10))[0]
        self._event(pk, "received", received)
        handling = int(rng.triangular(2, 44, 20))  # calendar days to the decision; 20 WD is about 28
        draw = rng.random()
        closed_on = outcome = None
        if received + timedelta(days=handling) <= today:  # closed by now
            if draw < 0.03:
                closed_on, outcome = received + timedelta(days=handling), self.withdrawn
                self._event(pk, "withdrawn", closed_on)
            elif draw < 0.06:  # no supplement by the deadline: the law closes it (derived below)
                asked = received + timedelta(days=3)
                self._event(pk, "supplement_requested", asked, supplement_by=asked + timedelta(days=15))
                self.derived.append(pk)
            else:
                closed_on, outcome = received + timedelta(days=handling), rng.choices(
                    self.outcomes, weights=self.outcome_weights)[0]
                self._event(pk, "decided", closed_on, outcome)
        else:  # open today
            start = received + timedelta(days=min(3, (today - received).days))
            if draw < 0.10:
                self.open_kinds["awaiting_supplement"] += 1
                self._event(pk, "supplement_requested", start,
                            supplement_by=max(start, today) + timedelta(days=rng.randrange(1, 15)))
            elif draw < 0.18:
                self.open_kinds["consulting"] += 1
                self._event(pk, "consultation_started", start)
            elif draw < 0.24:
                self.open_kinds["awaiting_payment"] += 1
                self._event(pk, "fee_notice_sent", start, fee_method="per_page", fee_units=rng.randrange(120, 400),
                            delivered_on=start)
            elif draw < 0.28 and (today - received).days >= 14:
                self.open_kinds["extended"] += 1
                on = received + timedelta(days=14)
                self._event(pk, "extension_approved", on, extension_days=rng.randrange(5, 21), notified_on=on)
            else:
                self.open_kinds["in_progress"] += 1
            self.derived.append(pk)
        self.requests.append([pk, agency, applicant, received, channel, closed_on, outcome, 0,
                              f"{received.year}年第{pk % 97 + 1}号文件及其附件", rng.choice(("email", "post", "pick_up")),
                              "electronic" if channel == "online" else "paper", self.applicants[applicant - 1][2]])

    def derive_closings(self) -> None:
        """``closed_on``/``outcome`` of every request with more than a receipt and a decision, by the ledger."""
        from gongkai.calendar import WorkCalendar
        from gongkai.ledger.timeline import UNBOUNDED, derive_state
        from gongkai.web.requests.events import ledger_event

        calendar = WorkCalendar.from_directory()
        by_request = defaultdict(list)
        wanted = set(self.derived)
        for row in self.events:
            if row[1] in wanted:
                by_request[row[1]].append(row)
        for pk in self.derived:
            request = self.requests[pk - 1]
            events = [ledger_event(event_row(row, request[4])) for row in by_request[pk]]
            state = derive_state(events, today=UNBOUNDED, calendar=calendar)
            request[5], request[6] = state.closed_on, state.outcome


class _Row:
    """Just enough of a ``RequestEvent`` for ``ledger_event`` (no database)."""

    def __init__(self, **fields):
        self.__dict__.update(fields)


def event_row(row: tuple, channel: str) -> _Row:
    (_, _, kind, on, outcome, supplement_by, fee_method, fee_units, delivered_on, extension_days, notified_on, _, _) = row
    return _Row(kind=kind, occurred_on=on, outcome=outcome, supplement_by=supplement_by, fee_method=fee_method,
                fee_units=fee_units, delivered_on=delivered_on, extension_days=extension_days,
                notified_on=notified_on, good_reason=False, amount=None, reply_by=None, request=_Row(channel=channel))


TABLES = {
    "agencies_agency": ("id", "name", "kind", "parent_id", "county_level_or_above"),
    "requests_applicant": ("id", "agency_id", "type", "name", "id_number", "phone", "address", "version"),
    "requests_request": ("id", "agency_id", "applicant_id", "received_on", "channel", "closed_on", "outcome",
                         "version", "content", "delivery", "medium", "applicant_type"),
    "requests_requestevent": ("id", "request_id", "kind", "occurred_on", "outcome", "supplement_by", "fee_method",
                              "fee_units", "delivered_on", "extension_days", "notified_on", "note", "version"),
}


def copy_rows(connection, table: str, rows) -> None:
    columns = TABLES[table]
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def seed(args, today: date):
    """Seed the database; returns (agencies, seeder, seconds generating, seconds loading, (states stored, seconds))."""
    from django.core.management import call_command
    from django.db import connection, transaction


    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    agencies = agency_tree()
    seeder = Seeder(args.requests, max(args.requests // 5, 10), agencies, today)
    seeder.run()
    seeder.derive_closings()
    generated = time.perf_counter() - started
    with transaction.atomic():
        copy_rows(connection, "agencies_agency", [a[:5] for a in agencies])
        for table, rows in (("requests_applicant", seeder.applicants), ("requests_request", seeder.requests),
                            ("requests_requestevent", seeder.events)):
            copy_rows(connection, table, rows)
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
        ensure_users(args, agencies)
    loaded = time.perf_counter() - started - generated
    stored = store_states(today)
    with transaction.atomic():
        seeder.letters = seed_letters(connection)  # drafts follow the stored states
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return agencies, seeder, generated, loaded, stored


def ensure_users(args, agencies) -> None:
    """The clients' users, created where missing (a kept database may have been seeded for fewer clients)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from gongkai.web.accounts.models import UserProfile

    password = make_password(PASSWORD)
    existing = set(User.objects.values_list("username", flat=True))
    users = [user for user in clients_of(args, agencies) if user[0] not in existing]
    made = User.objects.bulk_create([User(username=name, password=password) for name, _, _ in users])
    UserProfile.objects.bulk_create([UserProfile(user=user, agency_id=agency, role=role)
                                     for user, (_, agency, role) in zip(made, users, strict=True)])


def store_states(today: date) -> tuple[int, float]:
    """What ``gongkai refresh-states`` does after an import: the ledger's state of every open request derived
    and stored (``requests/stored_state.py``); returns (requests, seconds)."""
    from gongkai.calendar import WorkCalendar
    from gongkai.web.requests.models import Request
    from gongkai.web.requests.stored_state import refresh_stale

    started = time.perf_counter()
    written = refresh_stale(Request.objects.all(), today, WorkCalendar.from_directory())
    return written, time.perf_counter() - started


def check_closings(seeder: Seeder, sample: int = 300) -> int:
    """``Request.sync_closing`` on a sample of requests changes nothing: the seed is what the ledger says."""
    from gongkai.web.requests.models import Request

    rng = random.Random(3)
    pks = rng.sample(range(1, len(seeder.requests) + 1), min(sample, len(seeder.requests)))
    pks += seeder.derived[:sample]
    wrong = 0
    for request in Request.objects.filter(pk__in=pks):
        stored = (request.closed_on, request.outcome)
        request.sync_closing()
        wrong += stored != (request.closed_on, request.outcome)
    return wrong


def clients_of(args, agencies) -> list[tuple[str, int, str]]:
    """(user name, agency id, role) of each client: staff of the busiest agencies first, then supervisors of
    counties and one of the whole city."""
    supervisors = min(args.supervisors, max(1, args.clients // 4))
    staff = args.clients - supervisors
    by_weight = sorted(agencies, key=lambda a: (-a[5], a[0]))
    users = [(f"staff{i}", by_weight[i % len(by_weight)][0], "office_staff") for i in range(staff)]
    counties = [a[0] for a in agencies if a[2] == "government" and a[3] == 1]
    for i in range(supervisors):
        agency = 1 if i == supervisors - 1 else counties[i % len(counties)]
        users.append((f"supervisor{i}", agency, "supervisor"))
    return users

LETTER_OF_EVENT = {"received": "receipt", "supplement_requested": "supplement",
                   "consultation_started": "consultation_third_party", "fee_notice_sent": "fee",
                   "extension_approved": "extension", "decided": "decision"}
"""The letter each seeded event goes out with (``letters/issuing.py``), issued on the event's day."""
DRAFT_SHARE = 20
"""One in this many requests in progress has a 答复书 awaiting 签发."""


def draft_decision() -> bytes:
    """A 答复书 as ``letters/issuing.py`` makes one: the file of every seeded draft (the request page shows its text)."""
    from gongkai.letters import LetterContext, LetterKind, render_letter

    return render_letter(LetterKind.DECISION, LetterContext(
        agency="某市教育局", applicant="申请人", applicant_type="natural_person", request_number="1",
        received=date(2026, 11, 2), content="2026年第1号文件及其附件", issued=date(2026, 12, 1), outcome="granted",
        review_body="某市人民政府", court="某区人民法院"))


def seed_letters(connection) -> int:
    """The letters an office keeps: one per event that goes out with one, issued (their files left empty: the
    pages do not read them), and a draft 答复书 for some requests in progress.  Returns how many."""
    mapping = ", ".join(f"('{event}', '{kind}')" for event, kind in LETTER_OF_EVENT.items())
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO letters_letter (version, request_id, kind, outcome, doc_number, status, details, docx, event_id,"
            " created_at, issued_on) SELECT 0, e.request_id, m.kind, e.outcome, '', 'issued', '{}', '', e.id,"
            f" e.occurred_on, e.occurred_on FROM requests_requestevent e JOIN (VALUES {mapping}) m(event, kind)"
            " ON m.event = e.kind")
        issued = cursor.rowcount
        cursor.execute(
            "INSERT INTO letters_letter (version, request_id, kind, outcome, doc_number, status, details, docx,"
            " created_at) SELECT 0, id, 'decision', 'granted', '', 'draft', %s, %s, now() FROM requests_request"
            " WHERE status = 'in_progress' AND id %% %s = 0", ['{"outcome": "granted"}', draft_decision(), DRAFT_SHARE])
        return issued + cursor.rowcount
