"""Factories for households, members and visits, with valid GB 11643 ID numbers."""

from __future__ import annotations

from datetime import date

import factory

from households.idnumbers import check_digit
from households.models import Household, Member, PovertyStatus, Visit, VisitKind
from tests.factories import VillageFactory


def make_id_number(n: int, *, region: str = "150602", birth: date = date(1970, 5, 17)) -> str:
    """A valid 18-character ID number, distinct for each ``n``."""
    first17 = f"{region}{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + check_digit(first17)


_counter = iter(range(1, 10**9))


def next_id_number(**kwargs) -> str:
    n = next(_counter)
    birth = date(1950 + n // 1000 % 50, 1 + n // 50 % 12, 1 + n % 28)
    return make_id_number(n, birth=birth, **kwargs)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    village = factory.SubFactory(VillageFactory)
    head_name = factory.Sequence(lambda n: f"户主{n}")
    head_id_number = factory.LazyFunction(next_id_number)
    poverty_status = PovertyStatus.GENERAL


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    household = factory.SubFactory(HouseholdFactory)
    name = factory.Sequence(lambda n: f"成员{n}")
    id_number = factory.LazyFunction(next_id_number)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    household = factory.SubFactory(HouseholdFactory)
    date = date(2026, 3, 1)
    kind = VisitKind.ROUTINE


def ensure_policies() -> None:
    """Re-seed the policy rows that a transactional (browser) test's flush removed."""
    import importlib

    from django.apps import apps

    for module in (
        "teams.migrations.0002_seed_policies_and_tags",
        "households.migrations.0002_seed_policies",
    ):
        importlib.import_module(module).seed(apps, None)


def download_export(client, capture_on_commit, query: str = "") -> bytes:
    """Ask for an export as a person does and download the file the task wrote."""
    from django.urls import reverse

    with capture_on_commit(execute=True):
        response = client.post(reverse("households:export") + query)
    assert response.status_code == 302, response.status_code
    status = client.get(response["Location"])
    assert status.status_code == 200
    job = status.context["job"]
    download = client.get(reverse("households:export_download", args=[job.pk]))
    assert download.status_code == 200
    return b"".join(download.streaming_content)
