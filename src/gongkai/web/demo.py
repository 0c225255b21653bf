"""Demo data: a small county with users for every role and a ledger of about 60 requests in 2025–2026 (plus a
few of 某县教育局 received in the weeks before the demo is created, one in every state), so that the screens, the
admin, ``gongkai compile`` and ``gongkai deadlines`` show something real.  Idempotent: agencies and users
are matched by name, and the ledger is created only when the demo agencies have no requests yet.  The
passwords are for the demo only and are reported once, when the user is created.  Every applicant's personal
data is fake.

Never in a database that holds real data: when it has an agency or a user that is not the demo's,
``create_demo`` refuses (``RealDataError``) and creates nothing, so demo users with published passwords can never
appear beside real records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from gongkai.calendar import WorkCalendar
from gongkai.ledger.identity import (
    credit_code_check_character,
    id_card_check_character,
    organisation_code_check_character,
)

from .accounts.models import UserProfile
from .agencies.models import Agency
from .appeals.models import Case
from .proactive.models import DocumentKind, DocumentRecord, FeeIncome, InForceBaseline, MonthlyDecisionCount
from .reports.models import ReportDraft
from .requests.events import EventKind
from .requests.models import Applicant, Channel
from .requests.timeline import receive, record_event

GOVERNMENT, EDUCATION, ENVIRONMENT, TOWN = "某县人民政府", "某县教育局", "某县生态环境局", "某县甲镇人民政府"
AGENCIES = [  # name, kind, parent, county level or above
    (GOVERNMENT, Agency.Kind.GOVERNMENT, None, True),
    (EDUCATION, Agency.Kind.DEPARTMENT, GOVERNMENT, True),
    (ENVIRONMENT, Agency.Kind.DEPARTMENT, GOVERNMENT, True),
    (TOWN, Agency.Kind.TOWN, GOVERNMENT, False),
]
Role = UserProfile.Role
USERS = [  # user name, agency, role, demo password
    ("xian_head", GOVERNMENT, Role.OFFICE_HEAD, "demo-xian-head"),
    ("xian_supervisor", GOVERNMENT, Role.SUPERVISOR, "demo-xian-supervisor"),
    ("jiaoyu_staff", EDUCATION, Role.OFFICE_STAFF, "demo-jiaoyu-staff"),
    ("jiaoyu_head", EDUCATION, Role.OFFICE_HEAD, "demo-jiaoyu-head"),
    ("huanjing_staff", ENVIRONMENT, Role.OFFICE_STAFF, "demo-huanjing-staff"),
    ("jiazhen_staff", TOWN, Role.OFFICE_STAFF, "demo-jiazhen-staff"),
]
REQUESTS = 60
FIRST_RECEIPT, LAST_RECEIPT = date(2025, 1, 6), date(2026, 11, 20)
OPEN_FROM = date(2026, 8, 17)  # requests received from this day on stay open
OUTCOMES = ["granted"] * 5 + ["partially_granted"] * 2 + [
    "withheld.third_party_rights", "withheld.internal_affairs", "unavailable.not_held", "unavailable.not_held",
    "unavailable.needs_creation", "not_handled.petition_complaint", "not_handled.repeated"]
SURNAMES, GIVEN = "王李张刘陈杨赵黄周吴", ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "军"]
ORGANISATIONS = [("commercial", "某某科技有限公司"), ("legal_services", "某某律师事务所"),
                 ("research", "某某大学环境研究所"), ("nonprofit", "某某环保公益中心"), ("other_org", "某某业主委员会")]


class RealDataError(RuntimeError):
    """The database already holds agencies or users that are not the demo's."""


def real_data() -> list[str]:
    """What in the database is not the demo's: agencies and user names (empty for a new or a demo database)."""
    agencies = Agency.objects.exclude(name__in=[name for name, *_ in AGENCIES]).values_list("name", flat=True)
    users = User.objects.exclude(username__in=[name for name, *_ in USERS]).values_list("username", flat=True)
    return [*(f"机关 {name}" for name in agencies[:3]), *(f"用户 {name}" for name in users[:3])]


@dataclass
class DemoResult:
    new_users: list[tuple[str, str, str, str]] = field(default_factory=list)  # name, agency, role, password
    requests: int = 0


def _agencies() -> dict[str, Agency]:
    found: dict[str, Agency] = {}
    for name, kind, parent, county_level in AGENCIES:
        found[name], _ = Agency.objects.get_or_create(
            name=name, defaults={"kind": kind, "parent": found.get(parent), "county_level_or_above": county_level})
    return found


def _users(agencies: dict[str, Agency], result: DemoResult) -> None:
    for name, agency, role, password in USERS:
        if User.objects.filter(username=name).exists():
            continue
        user = User.objects.create_user(name, password=password, is_staff=True)
        UserProfile.objects.create(user=user, agency=agencies[agency], role=role)
        result.new_users.append((name, agency, Role(role).label, password))


def demo_id_card(birth: date, sequence: int) -> str:
    """A 公民身份号码 of 南京市玄武区 (320102) that passes GB 11643-1999: a real birth date, a 3-digit sequence
    code, and the check character computed by the identity module."""
    first17 = f"320102{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + id_card_check_character(first17)


def demo_credit_code(number: int) -> str:
    """A 统一社会信用代码 that passes GB 32100-2015: 9 (工商) 1 (企业), 南京市 (320100), a 9-character
    organisation code whose last character is its own check (GB 11714-1997), and the code's check character,
    both computed by the identity module."""
    organisation = f"MA1X{number % 10000:04d}"
    first17 = f"91320100{organisation}{organisation_code_check_character(organisation)}"
    return first17 + credit_code_check_character(first17)


def _applicant(rng: random.Random, agency: Agency, number: int) -> Applicant:
    if rng.random() < 0.7:
        birth = date(1960, 1, 1) + timedelta(days=rng.randrange(40 * 365))
        return Applicant.objects.create(
            agency=agency, type="natural_person", name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
            id_number=demo_id_card(birth, number % 100 * 10 + rng.randrange(10)),
            phone=f"138{rng.randrange(10**8):08d}", address=f"江苏省南京市玄武区北京东路{rng.randrange(1, 200)}号")
    kind, name = rng.choice(ORGANISATIONS)
    return Applicant.objects.create(agency=agency, type=kind, name=name.replace("某某", f"某{number}号"),
                                    id_number=demo_credit_code(number), phone=f"025-8{rng.randrange(10**6):06d}",
                                    address="江苏省南京市建邺区江东中路1号")


def _ledger(rng: random.Random, agencies: list[Agency], calendar: WorkCalendar) -> int:
    span = (LAST_RECEIPT - FIRST_RECEIPT).days
    for number in range(1, REQUESTS + 1):
        received = FIRST_RECEIPT + timedelta(days=rng.randrange(span))
        while not calendar.is_working_day(received):
            received += timedelta(days=1)
        agency = rng.choice(agencies)
        request = receive(agency, _applicant(rng, agency, number), received, rng.choice(Channel.values))
        day = received
        if rng.random() < 0.15:
            asked = calendar.add_working_days(received, 3).date
            record_event(request, EventKind.SUPPLEMENT_REQUESTED, asked,
                         supplement_by=calendar.add_working_days(asked, 15).date, note="申请内容描述不明确")
            day = calendar.add_working_days(asked, 5).date
            record_event(request, EventKind.SUPPLEMENT_RECEIVED, day)
        if rng.random() < 0.1:
            day = calendar.add_working_days(day, 15).date
            record_event(request, EventKind.EXTENSION_APPROVED, day, extension_days=rng.choice((10, 15, 20)),
                         note="需要调取档案")
        if received >= OPEN_FROM:
            continue
        closing = calendar.add_working_days(day, rng.randrange(3, 19)).date
        if rng.random() < 0.08:
            record_event(request, EventKind.WITHDRAWN, closing, note="申请人来电撤回")
        else:
            record_event(request, EventKind.DECIDED, closing, rng.choice(OUTCOMES))
    return REQUESTS


def _records(agencies: dict[str, Agency]) -> None:
    education, environment = agencies[EDUCATION], agencies[ENVIRONMENT]
    Case.objects.create(agency=education, kind=Case.Kind.REVIEW, filed_on=date(2025, 4, 8),
                        closed_on=date(2025, 6, 20), result=Case.Result.UPHELD)
    Case.objects.create(agency=environment, kind=Case.Kind.LAWSUIT_DIRECT, filed_on=date(2025, 9, 15),
                        closed_on=date(2026, 1, 12), result=Case.Result.CORRECTED)
    Case.objects.create(agency=education, kind=Case.Kind.REVIEW, filed_on=date(2026, 10, 9))
    for agency in (education, environment):
        InForceBaseline.objects.create(agency=agency, kind=DocumentKind.NORMATIVE_DOCUMENT, as_of=date(2025, 1, 1),
                                       count=12)
        for month in range(1, 13):
            first = date(2025, month, 1)
            MonthlyDecisionCount.objects.create(agency=agency, month=first, licensing=20 + month, punishment=month % 4,
                                                coercion=month % 2)
            FeeIncome.objects.create(agency=agency, month=first, amount=Decimal("1.2500") * month)
    DocumentRecord.objects.create(agency=education, kind=DocumentKind.NORMATIVE_DOCUMENT, issued_on=date(2025, 3, 1),
                                  title="某县义务教育阶段学校招生入学工作实施办法")
    DocumentRecord.objects.create(agency=environment, kind=DocumentKind.NORMATIVE_DOCUMENT,
                                  issued_on=date(2025, 7, 1), repealed_on=date(2026, 6, 30),
                                  title="某县扬尘污染防治管理暂行办法")
    ReportDraft.objects.create(agency=education, year=2025, overview="2025年，某县教育局认真贯彻落实《中华人民共和国政府信息公开条例》……",
                               problems="主动公开的及时性有待提高。", other="本年度未收取信息处理费。")


LIVE = [  # requests of 某县教育局 received shortly before the day the demo is created, so that the dashboard has
    # something in every state: (working days before today it arrived, what happened since, in working days)
    (3, []), (17, []), (25, []), (12, [("supplement", 2)]), (11, [("consultation", 6)]),
    (14, [("fee", 8)]), (30, [("extension", 14)]), (22, [("consultation", 4), ("consultation_end", 9)]),
]


def _working_day_before(day: date, n: int, calendar: WorkCalendar) -> date:
    while n > 0:
        day -= timedelta(days=1)
        try:
            working = calendar.is_working_day(day)
        except LookupError:  # a year without a schedule: Monday to Friday
            working = day.weekday() < 5
        n -= working
    return day


def _live(rng: random.Random, agency: Agency, calendar: WorkCalendar, today: date) -> int:
    """Open requests of ``agency`` in every state, dated back from ``today`` (see ``LIVE``)."""
    for number, (age, steps) in enumerate(LIVE, start=REQUESTS + 1):
        received = _working_day_before(today, age, calendar)
        request = receive(agency, _applicant(rng, agency, number), received, rng.choice(Channel.values))
        for step, after in steps:
            day = calendar.add_working_days(received, after).date
            if step == "supplement":
                record_event(request, EventKind.SUPPLEMENT_REQUESTED, day,
                             supplement_by=calendar.add_working_days(day, 10).date, note="请写明所需文件的名称或文号")
            elif step == "consultation":
                record_event(request, EventKind.CONSULTATION_STARTED, day, note="涉及第三方商业秘密，书面征求其意见")
            elif step == "consultation_end":
                record_event(request, EventKind.CONSULTATION_ENDED, day, note="第三方书面答复不同意公开")
            elif step == "fee":
                record_event(request, EventKind.FEE_NOTICE_SENT, day, fee_method="per_page", fee_units=120)
            elif step == "extension":
                record_event(request, EventKind.EXTENSION_APPROVED, day, extension_days=20, notified_on=day,
                             note="需要调取多年档案，经负责人批准延期")
    return len(LIVE)


@transaction.atomic
def create_demo(seed: int = 2026, today: date | None = None) -> DemoResult:
    """Create the demo county, its users and ledger where they are missing; refuse a database with real data."""
    found = real_data()
    if found:
        raise RealDataError("数据库中已有真实数据（" + "、".join(found) + "），不能加入演示数据和演示账号。")
    result = DemoResult()
    agencies = _agencies()
    _users(agencies, result)
    if not Applicant.objects.filter(agency__in=agencies.values()).exists():
        rng = random.Random(seed)
        result.requests = _ledger(rng, [agencies[n] for n in (EDUCATION, ENVIRONMENT, TOWN, GOVERNMENT)],
                                  WorkCalendar.from_directory())
        result.requests += _live(rng, agencies[EDUCATION], WorkCalendar.from_directory(), today or timezone.localdate())
        _records(agencies)
    return result
