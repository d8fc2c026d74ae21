"""Scheduled work really runs: through the database queue and `db_worker`, through Redis and RQ,
and a failing job is retried with backoff, its last error kept for the admin."""

import datetime as dt

import pytest
import redis
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from notifications.models import Kind, Notification
from operations.jobs import JOBS_BY_NAME, Job
from operations.models import JobRun, RunStatus
from operations.services import scheduler_tick
from operations.tests.conftest import run_db_worker
from people.tasks import deliver_email

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REMINDERS = JOBS_BY_NAME["event_reminders"]
# 10:05 in Paris: the reminders of 10:05 are due, and an event tomorrow evening gets one.
TICK = dt.datetime(2026, 12, 8, 9, 5, 30, tzinfo=dt.UTC)


def _going_to_tomorrows_event(owner, make_event, rsvp):
    event = make_event("Afterwork Tech", starts_at=TICK + dt.timedelta(days=1, hours=9))
    rsvp(owner, event)
    return event


def test_the_database_worker_runs_a_scheduled_job_and_its_email(owner, make_event, rsvp, database_queue, monkeypatch):
    _going_to_tomorrows_event(owner, make_event, rsvp)
    monkeypatch.setattr("notifications.reminders.timezone.now", lambda: TICK)

    scheduler_tick(now=TICK, jobs=[REMINDERS])
    assert mail.outbox == [] and not Notification.objects.exists()  # queued, nothing done yet

    run_db_worker()

    run = JobRun.objects.get(job="event_reminders")
    assert (run.status, run.attempts) == (RunStatus.SUCCESSFUL, 1)
    assert Notification.objects.filter(recipient=owner, kind=Kind.EVENT_REMINDER).count() == 1
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "Afterwork Tech" in mail.outbox[0].body


# --- Redis and RQ ---------------------------------------------------------------------------------


@pytest.fixture
def rq_queue(settings):
    """The RQ backend on the Redis of the tests (a database number of its own, emptied first)."""
    connection = redis.Redis.from_url(settings.TEST_REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(
            f"NO REDIS on {settings.TEST_REDIS_URL}: the RQ path is untested here (.ci/run starts Redis "
            "and fails when this test is skipped)"
        )
    connection.flushdb()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": settings.TASK_QUEUES}}
    yield connection
    connection.flushdb()


def _rq_worker(*queues: str) -> None:
    # The documented worker: its job class is what makes django-tasks' tasks callable. SimpleWorker
    # runs jobs in this process (no fork), so the test's database and outbox are the worker's.
    call_command(
        "rqworker",
        "--burst",
        "--job-class",
        "django_tasks_rq.Job",
        "--worker-class",
        "rq.worker.SimpleWorker",
        *(queues or settings.TASK_QUEUES),
        verbosity=0,
    )


def test_an_email_queued_on_redis_is_sent_by_the_rq_worker(rq_queue):
    result = deliver_email.enqueue(
        subject="Bienvenue dans Cercle", body="Votre compte est prêt.", from_email="a@b.c", to=["lea@example.org"]
    )
    assert result.task.queue_name == "mail"
    assert mail.outbox == []

    _rq_worker("mail")

    assert [m.subject for m in mail.outbox] == ["Bienvenue dans Cercle"]
    result.refresh()
    assert result.status == "SUCCESSFUL" and result.return_value == 1


def test_the_rq_worker_runs_a_scheduled_job_and_the_email_it_queues(owner, make_event, rsvp, rq_queue, monkeypatch):
    _going_to_tomorrows_event(owner, make_event, rsvp)
    monkeypatch.setattr("notifications.reminders.timezone.now", lambda: TICK)

    scheduler_tick(now=TICK, jobs=[REMINDERS])
    assert not Notification.objects.exists()

    _rq_worker()

    run = JobRun.objects.get(job="event_reminders")
    assert run.status == RunStatus.SUCCESSFUL
    assert [m.to for m in mail.outbox] == [[owner.email]]


# --- Retries --------------------------------------------------------------------------------------

failures_left = {"count": 0}


@task()
def flaky_feed_refresh() -> str:
    if failures_left["count"] > 0:
        failures_left["count"] -= 1
        raise ConnectionError("the feed server did not answer")
    return "refreshed"


@pytest.fixture
def flaky_job(monkeypatch):
    job = Job("flaky_feeds", "*/15 * * * *", flaky_feed_refresh)
    monkeypatch.setitem(JOBS_BY_NAME, job.name, job)
    return job


def _retry_waiting() -> DBTaskResult | None:
    return DBTaskResult.objects.filter(status="READY").first()


def test_a_failing_job_is_retried_with_backoff_then_given_up(flaky_job, database_queue):
    failures_left["count"] = 10
    before = timezone.now()
    scheduler_tick(jobs=[flaky_job])
    run_db_worker()

    run = JobRun.objects.get(job="flaky_feeds")
    assert (run.status, run.attempts) == (RunStatus.RETRYING, 1)
    assert "the feed server did not answer" in run.last_error
    retry = _retry_waiting()
    assert dt.timedelta(seconds=55) < retry.run_after - before < dt.timedelta(minutes=2)  # one minute later
    run_db_worker()  # too early: nothing runs
    assert JobRun.objects.get(pk=run.pk).attempts == 1

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_db_worker()
    retry = _retry_waiting()
    assert dt.timedelta(minutes=4) < retry.run_after - timezone.now() <= dt.timedelta(minutes=5)  # then five

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_db_worker()
    run.refresh_from_db()
    assert (run.status, run.attempts) == (RunStatus.FAILED, 3)
    assert _retry_waiting() is None  # given up
    # The task queue keeps each failed attempt with its error, too.
    assert DBTaskResult.objects.filter(status="FAILED").count() == 3


def test_a_job_that_fails_once_succeeds_on_its_retry(flaky_job, database_queue):
    failures_left["count"] = 1
    scheduler_tick(jobs=[flaky_job])
    run_db_worker()
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_db_worker()

    run = JobRun.objects.get(job="flaky_feeds")
    assert (run.status, run.attempts) == (RunStatus.SUCCESSFUL, 2)


def test_an_operator_reads_the_last_error_in_the_admin(flaky_job, database_queue, admin_client):
    failures_left["count"] = 1
    scheduler_tick(jobs=[flaky_job])
    run_db_worker()
    run = JobRun.objects.get(job="flaky_feeds")

    listing = admin_client.get(reverse("admin:operations_jobrun_changelist"))
    assert listing.status_code == 200 and b"flaky_feeds" in listing.content
    page = admin_client.get(reverse("admin:operations_jobrun_change", args=[run.pk]))
    assert page.status_code == 200
    assert b"the feed server did not answer" in page.content


def test_an_email_that_failed_is_sent_again_a_minute_later(database_queue, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    real_send, outages = EmailMultiAlternatives.send, {"left": 1}

    def send_unless_down(message, *args, **kwargs):
        if outages["left"]:
            outages["left"] -= 1
            raise ConnectionRefusedError("SMTP server down")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send_unless_down)
    deliver_email.enqueue(subject="Réinitialisation", body="…", from_email="a@b.c", to=["lea@example.org"])

    run_db_worker()
    assert mail.outbox == []
    failed = DBTaskResult.objects.get(status="FAILED")
    assert "SMTP server down" in failed.traceback  # what the queue's admin shows
    retry = _retry_waiting()
    assert dt.timedelta(seconds=55) < retry.run_after - timezone.now() <= dt.timedelta(minutes=1)

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_db_worker()
    assert [m.subject for m in mail.outbox] == ["Réinitialisation"]


def test_an_email_is_given_up_after_three_attempts(database_queue, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    def down(message, *args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", down)
    deliver_email.enqueue(subject="Bienvenue", body="…", from_email="a@b.c", to=["lea@example.org"])
    for _ in range(4):
        run_db_worker()
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())

    assert DBTaskResult.objects.filter(status="FAILED").count() == 3
    assert _retry_waiting() is None
