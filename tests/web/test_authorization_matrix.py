"""The authorization matrix: every URL of the configuration × every role × an object of their own / another
agency, for reading and for every write the URL accepts — and no response that leaks.

The URLs come from ``get_resolver()`` walked recursively (admin and API included).  ``REGISTRY`` (and
``ADMIN_MODELS`` for the admin's per-model URLs) says, for each URL, which kind of object its arguments name
and which policy it follows; a URL missing from it fails ``test_every_url_is_registered``, naming it.  Register
a new screen with one line, e.g.::

    "office:request_new": Target(None, LEDGER, get=WRITE, writes=(("POST", WRITE),)),

The expected outcome is never written per URL: ``RULES`` gives it by policy × role × own/other × read/write.
Besides the status, every response is searched for what the role must not see: another agency's records
(``LEAK_MARKERS``), and personal data in full outside the handling office (``PERSONAL``).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token

from gongkai.letters import LetterKind
from gongkai.web.accounts.models import UserProfile
from gongkai.web.agencies.models import Agency
from gongkai.web.appeals.models import Case
from gongkai.web.audit.models import AuditEntry
from gongkai.web.letters.issuing import make_letter
from gongkai.web.proactive.models import DocumentRecord, FeeIncome, InForceBaseline, MonthlyDecisionCount
from gongkai.web.reports.models import ReportDraft
from gongkai.web.requests.events import EventKind
from gongkai.web.requests.models import Applicant, Channel, RequestEvent
from gongkai.web.requests.timeline import receive

# ---- outcomes, access kinds, policies and the rules -------------------------------------------------------

OK, FORBIDDEN, HIDDEN, LOGIN = "ok", "403", "404", "login"
READ, WRITE, DELETE = "read", "write", "delete"
LEDGER = "ledger"            # a record of an agency: seen by its agency and supervisors above it; changed by its office
REFERENCE = "reference"      # the agency tree: seen by every user, changed by administrators
ADMINISTRATION = "administration"  # users, groups, roles, tokens: administrators only
AUDIT = "audit"              # the audit log: read-only; office heads (their agency) and supervisors (their subtree)
SIGNED_IN = "signed_in"      # a page of one's own work or account: every signed-in user
SEVERAL = "several"          # a view across agencies: for those who see several (supervisors, administrators)
PUBLIC = "public"            # login and logout
REDIRECT = "redirect"        # the admin's bare object URL: a redirect to the change page, which decides
CLOSED = "closed"            # refused to every user (the admin's autocomplete: no admin declares one)
NOWHERE = "nowhere"          # leads nowhere for every user (no model has a page outside the admin)
OFFICE_ONLY = "office_only"  # the handling office's work (登记, actions, letters: they carry personal data, 第四十四条
#                              suggestions, upload): its staff and head; whoever else sees the object is refused
KEPT = "kept"                # a ledger record kept as it was made (letters, in the admin): read as LEDGER, changed by no one
HEAD_ONLY = "head_only"      # 签发 of a letter or a report, approval of an extension: the agency's office head only

ROLES = ("anonymous", "staff", "head", "supervisor", "outside_supervisor", "superuser")
OWN_AND_OTHER = {  # the agency of "own" and of "other" objects, for each role
    "anonymous": ("education", "town"),
    "staff": ("education", "town"),
    "head": ("education", "town"),
    "supervisor": ("town", "outside"),  # the county's supervisor: the town is in its subtree, the other county not
    "outside_supervisor": ("outside", "education"),
    "superuser": ("education", "outside"),
}
VISIBLE = {"anonymous": set(), "staff": {"education"}, "head": {"education"},
           "supervisor": {"county", "education", "town"}, "outside_supervisor": {"outside"},
           "superuser": {"county", "education", "town", "outside"}}
FULL_PERSONAL_DATA = {"staff": {"education"}, "head": {"education"}}  # the handling office's staff only
NAME_AND_NOTES_SEEN_BY = {"superuser"}
"""Who, besides the handling office, may see a natural person's name and the notes: the administrator (the admin's
delete confirmations list applicants by name).  The identity number, phone and address never (spec, requests.md)."""

EDITORS = {"staff", "head", "superuser"}
SUPERVISORS = {"supervisor", "outside_supervisor"}


def _both(outcome):
    return (outcome, outcome)


RULES: dict[str, dict[str, dict[str, tuple[str, str]]]] = {
    # policy: access: role: (own, other)
    LEDGER: {
        READ: {"staff": (OK, HIDDEN), "head": (OK, HIDDEN), "supervisor": (OK, HIDDEN),
               "outside_supervisor": (OK, HIDDEN), "superuser": _both(OK)},
        WRITE: {"staff": (OK, HIDDEN), "head": (OK, HIDDEN), "supervisor": (FORBIDDEN, HIDDEN),
                "outside_supervisor": (FORBIDDEN, HIDDEN), "superuser": _both(OK)},
        DELETE: {"staff": (FORBIDDEN, HIDDEN), "head": (OK, HIDDEN), "supervisor": (FORBIDDEN, HIDDEN),
                 "outside_supervisor": (FORBIDDEN, HIDDEN), "superuser": _both(OK)},
    },
    KEPT: {
        READ: {"staff": (OK, HIDDEN), "head": (OK, HIDDEN), "supervisor": (OK, HIDDEN),
               "outside_supervisor": (OK, HIDDEN), "superuser": _both(OK)},
        **{access: {**{role: (FORBIDDEN, HIDDEN) for role in ROLES[1:]}, "superuser": _both(FORBIDDEN)}
           for access in (WRITE, DELETE)},
    },
    REFERENCE: {
        READ: {role: _both(OK) for role in ROLES[1:]},
        WRITE: {**{role: _both(FORBIDDEN) for role in ROLES[1:]}, "superuser": _both(OK)},
        DELETE: {**{role: _both(FORBIDDEN) for role in ROLES[1:]}, "superuser": _both(OK)},
    },
    ADMINISTRATION: {access: {**{role: _both(FORBIDDEN) for role in ROLES[1:]}, "superuser": _both(OK)}
                     for access in (READ, WRITE, DELETE)},
    AUDIT: {
        READ: {"staff": (FORBIDDEN, HIDDEN), "head": (OK, HIDDEN), "supervisor": (OK, HIDDEN),
               "outside_supervisor": (OK, HIDDEN), "superuser": _both(OK)},
        **{access: {**{role: (FORBIDDEN, HIDDEN) for role in ROLES[1:]}, "superuser": _both(FORBIDDEN)}
           for access in (WRITE, DELETE)},
    },
    SIGNED_IN: {access: {role: _both(OK) for role in ROLES[1:]} for access in (READ, WRITE)},
    SEVERAL: {READ: {"staff": _both(HIDDEN), "head": _both(HIDDEN), "supervisor": _both(OK),
                     "outside_supervisor": _both(OK), "superuser": _both(OK)}},
    REDIRECT: {READ: {role: _both(OK) for role in ROLES[1:]}},
    CLOSED: {READ: {role: _both(FORBIDDEN) for role in ROLES[1:]}},
    NOWHERE: {READ: {role: _both(HIDDEN) for role in ROLES[1:]}},
    OFFICE_ONLY: {access: {"staff": (OK, HIDDEN), "head": (OK, HIDDEN), "supervisor": (FORBIDDEN, HIDDEN),
                           "outside_supervisor": (FORBIDDEN, HIDDEN), "superuser": _both(FORBIDDEN)}
                  for access in (READ, WRITE)},
    HEAD_ONLY: {access: {"staff": (FORBIDDEN, HIDDEN), "head": (OK, HIDDEN), "supervisor": (FORBIDDEN, HIDDEN),
                         "outside_supervisor": (FORBIDDEN, HIDDEN), "superuser": _both(FORBIDDEN)}
                for access in (READ, WRITE)},
}


def expected(policy: str, access: str, role: str, own: bool) -> str:
    if policy == PUBLIC:
        return OK  # (a redirect to the login page counts as such: logging out leads there)
    if role == "anonymous":
        return LOGIN
    return RULES[policy][access][role][0 if own else 1]


# ---- the registry: what each URL's arguments name, and its policy ------------------------------------------


@dataclass(frozen=True)
class Target:
    kind: str | None
    """The kind of object the URL's arguments name (``OBJECTS``); ``None`` for a URL without one."""
    policy: str
    get: str | None = READ
    """What a GET is (``READ``, or ``WRITE``/``DELETE`` for a form that adds or deletes); None: not accepted."""
    writes: tuple[tuple[str, str], ...] = ()
    """(method, access) of the writes it accepts, tried with an empty body.  API view sets: from the view."""


POST_WRITE = (("POST", WRITE),)
REGISTRY: dict[str, Target] = {
    "office:dashboard": Target(None, SIGNED_IN),
    "office:login": Target(None, PUBLIC, writes=POST_WRITE),
    "office:logout": Target(None, PUBLIC, get=None, writes=POST_WRITE),
    "office:requests": Target(None, LEDGER),
    "office:agencies": Target(None, SEVERAL),
    "office:export_csv": Target(None, LEDGER),
    "office:export_xlsx": Target(None, LEDGER),
    "office:metrics_csv": Target(None, LEDGER),
    "office:metrics_xlsx": Target(None, LEDGER),
    "office:request": Target("request", LEDGER),
    "office:intake": Target(None, OFFICE_ONLY, writes=POST_WRITE),
    "office:edit_content": Target("request", OFFICE_ONLY, writes=POST_WRITE),
    "office:act": Target("request_action", OFFICE_ONLY, writes=POST_WRITE),
    "office:sign_letter": Target("letter_draft", HEAD_ONLY, writes=POST_WRITE),
    "office:discard_letter": Target("letter_draft", OFFICE_ONLY, writes=POST_WRITE),
    "office:letter_docx": Target("letter", OFFICE_ONLY),
    "office:letter_pdf": Target("letter", OFFICE_ONLY),
    ":suggestions": Target(None, OFFICE_ONLY),
    "reports:index": Target(None, SIGNED_IN),
    "reports:overview": Target(None, SEVERAL),
    "reports:aggregate_export": Target("aggregate_export", SEVERAL),
    "reports:upload": Target(None, OFFICE_ONLY, writes=POST_WRITE),
    "reports:workspace": Target("report_page", LEDGER),
    "reports:texts": Target("report_page", LEDGER, get=None, writes=POST_WRITE),
    "reports:sign": Target("report_page", HEAD_ONLY, get=None, writes=POST_WRITE),
    "reports:publish": Target("report_page", LEDGER, get=None, writes=POST_WRITE),
    "reports:preview": Target("report_page", LEDGER),
    "reports:export": Target("report_export", LEDGER),
    "api:token": Target(None, SIGNED_IN, writes=POST_WRITE),
    "api:schema": Target(None, SIGNED_IN),
    "api:agencies-list": Target(None, LEDGER),
    "api:agencies-detail": Target("agency", LEDGER),
    "api:requests-list": Target(None, LEDGER),
    "api:requests-detail": Target("request", LEDGER),
    "api:requests-events": Target("request", LEDGER),
    "api:reports-list": Target(None, LEDGER),
    "api:reports-agency-year": Target("report_year", LEDGER),
    "api:letters-list": Target(None, LEDGER),
    "api:letters-detail": Target("letter", LEDGER),
    "api:letters-docx": Target("letter", OFFICE_ONLY),
    "api:letters-pdf": Target("letter", OFFICE_ONLY),
    "admin:index": Target(None, SIGNED_IN),
    "admin:login": Target(None, PUBLIC, writes=POST_WRITE),
    "admin:logout": Target(None, PUBLIC, get=None, writes=POST_WRITE),
    "admin:password_change": Target(None, SIGNED_IN, writes=POST_WRITE),
    "admin:password_change_done": Target(None, SIGNED_IN),
    "admin:jsi18n": Target(None, SIGNED_IN),
    "admin:autocomplete": Target(None, CLOSED),
    "admin:view_on_site": Target("request_content", NOWHERE),
    "admin:app_list": Target("app_requests", SIGNED_IN),
    "admin/(?P<url>.*)$": Target("no_such_page", NOWHERE),
    "admin:auth_user_password_change": Target("user", ADMINISTRATION, writes=POST_WRITE),
}

ADMIN_MODELS = {  # model label: (object kind, policy) for the admin's changelist/add/change/delete/history
    "auth.Group": ("group", ADMINISTRATION),
    "auth.User": ("user", ADMINISTRATION),
    "authtoken.TokenProxy": ("token", ADMINISTRATION),
    "accounts.UserProfile": ("profile", ADMINISTRATION),
    "agencies.Agency": ("agency", REFERENCE),
    "requests.Applicant": ("applicant", LEDGER),
    "requests.Request": ("request", LEDGER),
    "appeals.Case": ("case", LEDGER),
    "proactive.DocumentRecord": ("document", LEDGER),
    "proactive.InForceBaseline": ("baseline", LEDGER),
    "proactive.MonthlyDecisionCount": ("decisions", LEDGER),
    "proactive.FeeIncome": ("fee", LEDGER),
    "reports.ReportDraft": ("draft", LEDGER),
    "audit.AuditEntry": ("audit", AUDIT),
    "letters.Letter": ("letter", KEPT),
}


def admin_targets() -> dict[str, Target]:
    """The admin's five URLs per registered model (and its bare object URL, a redirect to the change page)."""
    targets = {}
    for model in admin.site._registry:
        if model._meta.label not in ADMIN_MODELS:
            continue  # reported by test_every_url_is_registered
        kind, policy = ADMIN_MODELS[model._meta.label]
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        targets.update({
            f"{name}_changelist": Target(None, policy),
            f"{name}_add": Target(None, policy, get=WRITE, writes=POST_WRITE),
            f"{name}_change": Target(kind, policy, writes=POST_WRITE),
            f"{name}_history": Target(kind, policy),
            f"{name}_delete": Target(kind, policy, get=DELETE, writes=(("POST", DELETE),)),
            f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/": Target(kind, REDIRECT),
        })
    return targets


# ---- the URL configuration, walked ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str
    """``namespace:name``, or the full route when the pattern has no name."""
    route: str
    callback: object


def routes(patterns=None, prefix: str = "", namespace: str = "") -> list[Route]:
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            found += routes(pattern.url_patterns, text, inner)
        elif isinstance(pattern, URLPattern):
            key = f"{namespace}:{pattern.name}" if pattern.name else text
            found.append(Route(key, text, pattern.callback))
    return found


QUERY = "?"
"""A ``kwargs`` key for the query string (the report pages name their agency by ``?agency=``)."""


def url_of(route: str, kwargs: dict) -> str:
    def value(match):
        return str(kwargs[match.group("name")])

    path = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", value, route)
    path = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, path)
    query = f"?{kwargs[QUERY]}" if QUERY in kwargs else ""
    return "/" + path.replace("^", "").replace("$", "") + query


def writes_of(target: Target, callback) -> tuple[tuple[str, str], ...]:
    actions = getattr(callback, "actions", None)  # a DRF view set's routed methods
    if actions is None:
        return target.writes
    return tuple((method.upper(), WRITE) for method in actions if method not in ("get", "head", "options"))


# ---- the world: a county (government, education bureau, town) and an unrelated county -------------------

PERSON = {  # a natural person applying to each agency: every field is personal data
    "education": ("张三丰", "320102199001011234", "13812345678", "江苏省南京市玄武区北京东路41号", "教育局内部备注甲"),
    "town": ("李四光", "320102198502023456", "13998765432", "江苏省南京市秦淮区中山南路8号", "甲镇内部备注乙"),
    "outside": ("王五岳", "330106197703035678", "13711112222", "浙江省杭州市西湖区文三路99号", "外县内部备注丙"),
}
LEAK_MARKERS = {  # text that only those who see the agency may see
    agency: [f"{label}申请单位", f"{label}报告草稿文字", f"{label}规范性文件标题"]
    for agency, label in (("education", "教育局"), ("town", "甲镇"), ("outside", "外县"))
}
REPORT_YEAR = 2025


class World:
    def __init__(self) -> None:
        county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.GOVERNMENT)
        self.agencies = {
            "county": county,
            "education": Agency.objects.create(name="某县教育局", kind=Agency.Kind.DEPARTMENT, parent=county),
            "town": Agency.objects.create(name="某县甲镇人民政府", kind=Agency.Kind.TOWN, parent=county,
                                          county_level_or_above=False),
            "outside": Agency.objects.create(name="另一县人民政府", kind=Agency.Kind.GOVERNMENT),
        }
        Agency.objects.create(name="另一县乙镇人民政府", kind=Agency.Kind.TOWN, parent=self.agencies["outside"],
                              county_level_or_above=False)  # so that both supervisors see several agencies
        self.users = {"superuser": User.objects.create_superuser("root", password="x")}
        for role, agency, profile_role in (
                ("staff", "education", UserProfile.Role.OFFICE_STAFF),
                ("head", "education", UserProfile.Role.OFFICE_HEAD),
                ("supervisor", "county", UserProfile.Role.SUPERVISOR),
                ("outside_supervisor", "outside", UserProfile.Role.SUPERVISOR),
                ("town_staff", "town", UserProfile.Role.OFFICE_STAFF)):
            self.users[role] = User.objects.create_user(role, password="x", is_staff=True)
            UserProfile.objects.create(user=self.users[role], agency=self.agencies[agency], role=profile_role)
        self.group = Group.objects.create(name="某组")
        self.objects = {key: self._records(key) for key in ("education", "town", "outside")}

    def _records(self, key: str) -> dict:
        agency, marker = self.agencies[key], LEAK_MARKERS[key]
        name, id_number, phone, address, note = PERSON[key]
        person = Applicant.objects.create(agency=agency, type="natural_person", name=name, id_number=id_number,
                                          phone=phone, address=address)
        company = Applicant.objects.create(agency=agency, type="commercial", name=marker[0])
        request = receive(agency, person, date(2026, 3, 2), Channel.IN_PERSON)
        RequestEvent.objects.create(request=request, kind=EventKind.CONSULTATION_STARTED,
                                    occurred_on=date(2026, 3, 3), note=note)
        receive(agency, company, date(2026, 3, 3), Channel.IN_PERSON)
        owner = {"education": "staff", "town": "town_staff", "outside": "outside_supervisor"}[key]
        clerk = self.users["superuser"] if owner == "outside_supervisor" else self.users[owner]
        # a 受理回执 as issued at intake, and a 答复书 awaiting the head's 签发: both name the applicant in full
        letter = make_letter(request, LetterKind.RECEIPT, user=clerk, issued=request.received_on,
                             due=request.state().reply_due)
        letter_draft = make_letter(request, LetterKind.DECISION, user=clerk, issued=date(2026, 3, 4), draft=True,
                                   outcome="granted", reasons=note, details={"outcome": "granted", "reasons": note})
        return {
            "agency": agency, "request": request, "applicant": person, "letter": letter,
            "letter_draft": letter_draft,
            "case": Case.objects.create(agency=agency, kind=Case.Kind.REVIEW, filed_on=date(2026, 2, 2)),
            "document": DocumentRecord.objects.create(agency=agency, kind="normative_document", title=marker[2],
                                                      issued_on=date(2026, 1, 5)),
            "baseline": InForceBaseline.objects.create(agency=agency, kind="normative_document",
                                                       as_of=date(2025, 1, 1), count=3),
            "decisions": MonthlyDecisionCount.objects.create(agency=agency, month=date(2026, 1, 1), licensing=2),
            "fee": FeeIncome.objects.create(agency=agency, month=date(2026, 1, 1), amount="0.0100"),
            "draft": ReportDraft.objects.create(agency=agency, year=REPORT_YEAR, overview=marker[1]),
            "profile": self.users[owner].profile,
            "user": self.users[owner],
            "token": Token.objects.get_or_create(user=self.users[owner])[0],
            "audit": AuditEntry.objects.filter(agency=agency, model="requests.Applicant").order_by("pk").first(),
            "group": self.group,
        }

    def kwargs(self, kind: str | None, key: str, route: str) -> dict:
        if kind is None:
            return {}
        objects = self.objects[key]
        if kind == "report_year":
            return {"agency_id": objects["agency"].pk, "year": REPORT_YEAR}
        if kind in ("report_page", "report_export"):  # the workspace names its agency in the query string
            return {"year": REPORT_YEAR, "fmt": "xlsx", QUERY: f"agency={objects['agency'].pk}"}
        if kind == "aggregate_export":
            return {"year": REPORT_YEAR, "fmt": "xlsx"}
        if kind in ("letter", "letter_draft") and "letter_pk" in route:  # a screen's: the request's, then its own
            return {"pk": objects["request"].pk, "letter_pk": objects[kind].pk}
        if kind == "request_action":  # a step the ledger offers on the request (withdrawal: always, while open)
            return {"pk": objects["request"].pk, "key": "withdraw"}
        if kind == "request_content":
            from django.contrib.contenttypes.models import ContentType

            request = objects["request"]
            return {"content_type_id": ContentType.objects.get_for_model(request).pk, "object_id": request.pk}
        if kind == "app_requests":
            return {"app_label": "requests"}
        if kind == "no_such_page":
            return {"url": "no-such-page/"}
        found = objects[kind]
        pk = found.user_id if kind == "token" else found.pk  # the token admin's URLs name the user
        names = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
        return {next(filter(None, name)): pk for name in names}


@pytest.fixture(scope="module")
def world(django_database):
    """Built once for the module, inside a transaction rolled back at the end (the matrix only reads, and its
    writes are empty forms that are refused or invalid)."""
    with transaction.atomic():
        yield World()
        transaction.set_rollback(True)


@pytest.fixture
def clients(world) -> dict[str, Client]:
    """A client logged in per role, for one test: a session is never shared between tests.  (The matrix posts
    to the logout URLs, which end the client's session; were the clients the module's, the next test would
    run logged out — the supervisor sent to the login page instead of reading the audit log.)"""
    logged_in = {}
    for role in ROLES[1:]:
        logged_in[role] = Client()
        logged_in[role].force_login(world.users[role])
    return logged_in


# ---- judging one response ------------------------------------------------------------------------------------


def text_of(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            return "".join(book.read(n).decode("utf-8", "replace") for n in book.namelist() if n.endswith(".xml"))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def outcome_of(response) -> str:
    status = response.status_code
    if status == 401 or (status == 302 and "login" in response.get("Location", "")):
        return LOGIN
    if status in (403, 404):
        return str(status)
    if status == 405:
        return "405"
    return OK if status < 500 else str(status)


def leaks(role: str, text: str) -> list[str]:
    found = []
    for agency, markers in LEAK_MARKERS.items():
        if agency not in VISIBLE[role]:
            found += [f"{agency}'s {marker}" for marker in markers if marker in text]
    for agency, (name, id_number, phone, address, note) in PERSON.items():
        if agency not in FULL_PERSONAL_DATA.get(role, set()):
            values = (id_number, phone, address) if role in NAME_AND_NOTES_SEEN_BY else (name, id_number, phone,
                                                                                       address, note)
            found += [f"{agency}'s personal data {value}" for value in values if value in text]
    return found


def ask(clients: dict[str, Client], world: World, role: str, method: str, url: str, api: bool):
    client = clients.get(role) or Client()
    if role in clients and not client.session.get("_auth_user_id"):
        client.force_login(world.users[role])  # logged out by the logout URL just before, in this test
    if method == "GET":
        return client.get(url)
    if api:
        return client.generic(method, url, "{}", content_type="application/json")
    return client.generic(method, url, "", content_type="application/x-www-form-urlencoded")


# ---- the tests -----------------------------------------------------------------------------------------------


def all_targets() -> dict[str, Target]:
    return {**REGISTRY, **admin_targets()}


def test_every_url_is_registered():
    """A URL pattern (or an admin model) missing from the registry fails here, by name."""
    targets = all_targets()
    missing = sorted({route.key for route in routes()} - set(targets))
    assert not missing, f"URL patterns missing from the authorization matrix's REGISTRY: {missing}"
    unknown_models = sorted(m._meta.label for m in admin.site._registry if m._meta.label not in ADMIN_MODELS)
    assert not unknown_models, f"admin models missing from ADMIN_MODELS: {unknown_models}"
    stale = sorted(set(targets) - {route.key for route in routes()})
    assert not stale, f"REGISTRY entries for URLs that no longer exist: {stale}"


def test_the_rules_cover_every_role_and_access():
    for policy, accesses in RULES.items():
        for access, by_role in accesses.items():
            assert set(by_role) == set(ROLES[1:]), (policy, access)


@pytest.mark.parametrize("key", sorted({route.key for route in routes()} & set(all_targets())))
def test_matrix(world, clients, key):
    route = next(r for r in routes() if r.key == key)
    target = all_targets()[key]
    api = route.route.startswith("api/")
    checks = ([("GET", target.get)] if target.get else []) + list(writes_of(target, route.callback))
    failures = []
    for role in ROLES:
        owners = OWN_AND_OTHER[role] if target.kind else OWN_AND_OTHER[role][:1]
        for own, agency in zip((True, False), owners, strict=False):
            url = url_of(route.route, world.kwargs(target.kind, agency, route.route))
            for method, access in checks:
                with transaction.atomic():
                    response = ask(clients, world, role, method, url, api)
                    transaction.set_rollback(True)  # a write that went through must not change the world
                want, got = expected(target.policy, access, role, own), outcome_of(response)
                where = f"{role} {method} {url} ({'own' if own else 'other'} {agency}, {access})"
                if got != want and not (target.policy == PUBLIC and got == LOGIN):
                    failures.append(f"{where}: expected {want}, got {response.status_code}")
                found = leaks(role, text_of(response))
                if found:
                    failures.append(f"{where}: {response.status_code} shows {found}")
    assert not failures, "\n".join(failures)


def test_the_audit_log_withholds_notes_outside_the_office(world, clients):
    """The matrix opens one audit entry per agency (an applicant's creation); an event's note is checked here."""
    entry = AuditEntry.objects.get(model="requests.RequestEvent", object_id=str(
        RequestEvent.objects.get(note=PERSON["town"][4]).pk), action="create")
    url = f"/admin/audit/auditentry/{entry.pk}/change/"
    with transaction.atomic():
        seen_by_supervisor = clients["supervisor"].get(url)
        transaction.set_rollback(True)
    assert seen_by_supervisor.status_code == 200 and PERSON["town"][4] not in text_of(seen_by_supervisor)
    town_staff = Client()
    town_staff.force_login(world.users["town_staff"])
    with transaction.atomic():
        seen_by_office = town_staff.get(url)
        transaction.set_rollback(True)
    assert seen_by_office.status_code == 403  # office staff do not read the log; their head does
    head = User.objects.create_user("town_head", password="x", is_staff=True)
    UserProfile.objects.create(user=head, agency=world.agencies["town"], role=UserProfile.Role.OFFICE_HEAD)
    town_head = Client()
    town_head.force_login(head)
    assert PERSON["town"][4] in text_of(town_head.get(url))
