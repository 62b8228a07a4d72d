"""Keep ``VillageCoverage`` correct: any saved or deleted visit or household makes its
village's coverage row stale (deleted; recomputed at the next read)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from households.models import Household, VillageCoverage, Visit


def coverage_stale(*, village_ids) -> None:
    """Call after writes that bypass ``save()`` (bulk_create, update) of visits or households."""
    VillageCoverage.objects.filter(village_id__in=list(village_ids)).delete()


@receiver([post_save, post_delete], sender=Visit, dispatch_uid="coverage_visit")
def _visit_changed(sender, instance: Visit, **kwargs) -> None:
    household = Household.objects.filter(pk=instance.household_id).values("village_id")
    VillageCoverage.objects.filter(village_id__in=household).delete()


@receiver([post_save, post_delete], sender=Household, dispatch_uid="coverage_household")
def _household_changed(sender, instance: Household, **kwargs) -> None:
    coverage_stale(village_ids=[instance.village_id])


@receiver(pre_save, sender=Household, dispatch_uid="coverage_household_moved")
def _household_moving(sender, instance: Household, **kwargs) -> None:
    """A household moved to another village leaves its old village's row stale too."""
    if instance.pk:
        old = Household.objects.filter(pk=instance.pk).values("village_id")
        VillageCoverage.objects.filter(village_id__in=old).delete()
