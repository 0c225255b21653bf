"""An agency tree for the web tests."""

import pytest


@pytest.fixture
def county(db):
    """某县人民政府 with a county-level department and a town below it."""
    from gongkai.web.agencies.models import Agency

    government = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.GOVERNMENT)
    education = Agency.objects.create(name="某县教育局", kind=Agency.Kind.DEPARTMENT, parent=government)
    town = Agency.objects.create(name="某县甲镇人民政府", kind=Agency.Kind.TOWN, parent=government,
                                 county_level_or_above=False)
    return government, education, town
