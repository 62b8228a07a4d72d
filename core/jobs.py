"""Background jobs that never wait forever (issue 11, finding 11).

- ``enqueue_on_commit``: a task is sent only after the job's row is committed, and a
  broker that is down is logged instead of answering 500; the job stays pending.
- A sweep (beat, every minute) re-sends jobs pending longer than JOB_REQUEUE_MINUTES, and
  fails with a reason those not finished after JOB_TIMEOUT_MINUTES.

Middle apps register their job models here in ``AppConfig.ready()`` (the registry keeps
imports pointing down, DESIGN.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobKind:
    name: str
    # Unfinished jobs: a queryset with ``pk`` and ``created_at``.
    unfinished: Callable[[], object]
    # Of those, the ones still waiting for a worker (safe to send again).
    pending: Callable[[], object]
    task: Callable[[], object]  # returns the Celery task taking the job's pk
    fail: Callable[[int, str], None]


JOB_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    JOB_KINDS[kind.name] = kind


def send(task, *args) -> bool:
    """Publish now, without Celery's blocking retries; False when the broker is down."""
    try:
        task.apply_async(args=args, retry=False)
    except Exception as error:  # noqa: BLE001 - any broker failure: the sweep sends it later
        logger.warning("Could not queue %s%s: %s", getattr(task, "name", task), args, error)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    transaction.on_commit(lambda: send(task, *args))


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Re-send stale pending jobs and fail the ones past the timeout; returns counts."""
    now = now or timezone.now()
    requeue_before = now - timedelta(minutes=settings.JOB_REQUEUE_MINUTES)
    timeout_before = now - timedelta(minutes=settings.JOB_TIMEOUT_MINUTES)
    counts = {"requeued": 0, "failed": 0}
    message = _(
        "The job did not finish within %(minutes)s minutes (the background worker or its "
        "broker was unavailable). Start it again."
    ) % {"minutes": settings.JOB_TIMEOUT_MINUTES}
    for kind in JOB_KINDS.values():
        for pk in (
            kind.unfinished().filter(created_at__lt=timeout_before).values_list("pk", flat=True)
        ):
            kind.fail(pk, message)
            counts["failed"] += 1
        stale = kind.pending().filter(
            created_at__lt=requeue_before, created_at__gte=timeout_before
        )
        for pk in stale.values_list("pk", flat=True):
            counts["requeued"] += send(kind.task(), pk)
    return counts
