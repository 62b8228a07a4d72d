"""A real Celery worker against Redis processes our tasks (production's transport).

Runs where Redis answers at REDIS_URL (default redis://127.0.0.1:6379/15; CI has it) and is
skipped elsewhere. The worker is a subprocess on its own queue, so another worker on the same
Redis cannot take the test's messages.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from accounts.models import Notification
from tests import factories

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
pytestmark = [pytest.mark.redis]


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture(scope="module")
def redis_url():
    if not _redis_up():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    return REDIS_URL


def _database_url() -> str | None:
    """A URL the worker process can open to reach this test run's database, if any."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = db["USER"] or ""
        if db.get("PASSWORD"):
            auth += f":{db['PASSWORD']}"
        host = f"{auth}@" if auth else ""
        return f"postgres://{host}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        return f"sqlite:///{db['NAME']}"
    return None


@pytest.fixture
def worker(redis_url, tmp_path):
    """Start `celery worker` on a private queue; yield (producer app, queue)."""
    queue = f"zhucun-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    database_url = _database_url()
    if database_url:
        env["DATABASE_URL"] = database_url
    celery_bin = Path(sys.executable).with_name("celery")
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            str(celery_bin),
            "--result-backend",
            redis_url,
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--pool",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    producer = Celery("zhucun-test", broker=redis_url, backend=redis_url)
    try:
        yield producer, queue, database_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        producer.close()


def test_real_worker_processes_a_task_through_redis(worker):
    producer, queue, _ = worker
    token = uuid.uuid4().hex
    result = producer.send_task("reports.tasks.ping", args=[token], queue=queue)
    assert result.get(timeout=60) == token


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_real_worker_sends_a_reminder_into_the_database(worker):
    """R32 through the production path: beat's message, Redis, a worker, the bell."""
    producer, queue, database_url = worker
    if database_url is None:
        pytest.skip("The test database is in memory; the worker cannot reach it.")
    team = factories.staffed_team()
    leader = factories.leader_of(team)
    producer.send_task("reports.tasks.remind_leader_meeting", queue=queue)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if Notification.objects.filter(user=leader, key__startswith="leader-meeting:").exists():
            break
        time.sleep(0.5)
    assert Notification.objects.filter(user=leader, key__startswith="leader-meeting:").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_queued_while_redis_was_down_runs_after_the_sweep(worker, settings):
    """Issue 11 (finding 11): the page answered while the broker was down; once it is back,
    the sweep re-sends the pending job and a real worker finishes it."""
    from datetime import timedelta

    from django.utils import timezone

    from core import jobs
    from core.exports import export_started
    from households import tasks

    producer, queue, database_url = worker
    if database_url is None:
        pytest.skip("The test database is in memory; the worker cannot reach it.")
    team = factories.staffed_team()
    leader = factories.leader_of(team)
    celery_app = tasks.export_roster.app  # the app the shared task is bound to right now
    redis_broker = (
        celery_app.conf.broker_url if "redis" in str(celery_app.conf.broker_url) else None
    )
    saved = {
        "broker_url": celery_app.conf.broker_url,
        "task_always_eager": celery_app.conf.task_always_eager,
        "task_default_queue": celery_app.conf.task_default_queue,
    }
    try:
        celery_app.conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)
        _reset_pool(celery_app)
        job = export_started(
            user=leader, app="households", kind="roster", params={}, description="while down"
        )
        assert jobs.send(tasks.export_roster, job.pk) is False
        celery_app.conf.update(
            broker_url=redis_broker or producer.conf.broker_url, task_default_queue=queue
        )
        _reset_pool(celery_app)
        later = timezone.now() + timedelta(minutes=settings.JOB_REQUEUE_MINUTES + 1)
        assert jobs.sweep(now=later)["requeued"] >= 1
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.finished_at:
                break
            time.sleep(0.5)
        assert job.finished_at is not None and not job.error
    finally:
        celery_app.conf.update(**saved)
        _reset_pool(celery_app)


def _reset_pool(app) -> None:
    """Drop the app's connection pool so the next send uses the broker URL now set."""
    app._pool = None  # not closed: kombu may share it with another app of the process
    app.amqp._producer_pool = None
