"""The demo shows every assessment stage (issue 9, done when)."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.models import (
    AccountabilityCase,
    AdjustmentProposal,
    Assessment,
    Plan,
    RatingRound,
    Status,
)

pytestmark = pytest.mark.django_db


def test_demo_has_last_year_published_and_this_year_in_progress():
    call_command("seed_demo", verbosity=0)
    year = timezone.localdate().year
    last, current = Plan.objects.get(year=year - 1), Plan.objects.get(year=year)
    assert last.is_published
    assert not last.assessments.exclude(status=Status.PUBLISHED).exists()
    assert current.is_frozen and not current.decided_at
    assert current.assessments.filter(status=Status.PROPOSED).exists()
    assert RatingRound.objects.filter(plan=current, closed_at__isnull=True).count() == 1
    assert AdjustmentProposal.objects.filter(status="open").count() == 1
    assert AccountabilityCase.objects.count() == 1
    before = Assessment.objects.count()
    call_command("seed_demo", verbosity=0)
    assert Assessment.objects.count() == before
