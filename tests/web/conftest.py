"""An agency tree for the web tests."""

import pytest


@pytest.fixture(autouse=True)
def fresh_monthly_figures():
    """Each test counts its own figures: a process keeps some a minute (``office/kept.py``), and a test
    database may give the next test's agencies the same ids."""
    from gongkai.web.office import kept

    kept.forget()
    yield
    kept.forget()


@pytest.fixture
def county(db):
    """某县人民政府 with a county-level department and a town below it."""
    from gongkai.web.agencies.models import Agency

    government = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.GOVERNMENT)
    education = Agency.objects.create(name="某县教育局", kind=Agency.Kind.DEPARTMENT, parent=government)
    town = Agency.objects.create(name="某县甲镇人民政府", kind=Agency.Kind.TOWN, parent=government,
                                 county_level_or_above=False)
    return government, education, town


@pytest.fixture
def people(county):
    """One user per role: staff and head of 某县教育局, staff of the town, a supervisor at the county
    government, and a staff account without a profile."""
    from gongkai.web.accounts.models import UserProfile

    from .admin_client import user

    government, education, town = county
    role = UserProfile.Role
    return {
        "staff": user("staff", education, role.OFFICE_STAFF),
        "head": user("head", education, role.OFFICE_HEAD),
        "town_staff": user("town_staff", town, role.OFFICE_STAFF),
        "supervisor": user("supervisor", government, role.SUPERVISOR),
        "nobody": user("nobody", None, None),
    }


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright, for a module's browser tests."""
    from playwright.sync_api import sync_playwright

    from .live_server import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
