import pytest

from tests.assessments.helpers import plan_for


@pytest.fixture
def plan(office):
    return plan_for(2026, office)
