"""The scheduler queues every periodic job once per period, never twice, however many schedulers run."""

import datetime as dt
import threading
import zoneinfo

import pytest
from django.db import connection
from django_tasks import task_backends

from operations.jobs import JOBS, JOBS_BY_NAME
from operations.models import JobRun
from operations.services import scheduler_tick

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
START = dt.datetime(2026, 12, 7, 0, 0, tzinfo=PARIS)  # a Monday
EIGHT_DAYS = dt.timedelta(days=8)
STEP = dt.timedelta(minutes=15)


def _fire_times(job, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """Every scheduled time of the job in (start - grace, end], straight from its trigger."""
    times = []
    fire = job.next_run(start - job.grace)
    while fire <= end:
        times.append(fire)
        fire = job.next_run(fire)
    return times


def _drive(*schedulers_lag: dt.timedelta, start=START, end=START + EIGHT_DAYS) -> None:
    """A fake clock: every quarter of an hour, each scheduler ticks (the second one a little later).
    It runs in UTC, as real time does: Paris wall-clock arithmetic would skip October's repeated hour."""
    now, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    while now <= end:
        for lag in schedulers_lag:
            scheduler_tick(now=now + lag)
        now += STEP


def _queued_runs(backend) -> list[int]:
    return [result.kwargs["run_id"] for result in backend.results if result.task.name == "run_job"]


@pytest.mark.django_db
def test_over_eight_days_every_job_is_queued_once_per_period(dummy_tasks):
    # A second scheduler ticking a few seconds behind the first changes nothing. (Two real
    # processes: test_scheduler_processes.py; two at the same instant: the threads below.)
    _drive(dt.timedelta(0), dt.timedelta(seconds=7))

    end = START + EIGHT_DAYS
    for job in JOBS:
        periods = sorted(JobRun.objects.filter(job=job.name).values_list("period", flat=True))
        assert periods == _fire_times(job, START, end), job.name
    # Each occurrence went to the queue once: as many queued tasks as rows, no id twice.
    queued = _queued_runs(dummy_tasks)
    assert len(queued) == len(set(queued)) == JobRun.objects.count()
    # The same, in words: hourly at :05 (the midnight tick also takes Sunday's 23:05, within its
    # grace), the backup at 03:30 Paris time each night.
    assert JobRun.objects.filter(job="event_reminders").count() == 8 * 24 + 1
    backups = JobRun.objects.filter(job="backup").values_list("period", flat=True)
    assert [p.astimezone(PARIS).strftime("%a %H:%M") for p in backups.order_by("period")] == [
        f"{day} 03:30" for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Mon")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "night",
    [dt.datetime(2026, 10, 24, 22, tzinfo=PARIS), dt.datetime(2027, 3, 27, 22, tzinfo=PARIS)],
    ids=["clocks go back", "clocks go forward"],
)
def test_the_nights_the_clocks_change_every_job_still_runs_once(dummy_tasks, night):
    end = night.astimezone(dt.UTC) + dt.timedelta(hours=8)
    _drive(dt.timedelta(0), start=night, end=end)

    for job in JOBS:
        periods = sorted(JobRun.objects.filter(job=job.name).values_list("period", flat=True))
        assert periods == _fire_times(job, night, end), job.name
        assert len(periods) == len(set(periods))
    backups = JobRun.objects.filter(job="backup").values_list("period", flat=True)
    assert [p.astimezone(PARIS).strftime("%H:%M") for p in backups] == ["03:30"]
    # Hourly jobs: one run per real hour, the repeated 02:00 of October included.
    assert JobRun.objects.filter(job="event_reminders").count() == 8 + 1


@pytest.mark.django_db
def test_a_scheduler_started_late_catches_up_within_the_grace_only(dummy_tasks):
    # Started at 04:10 on Monday: the 03:30 backup is still run; at 10:00 it is left for the next night.
    scheduler_tick(now=dt.datetime(2026, 12, 7, 4, 10, tzinfo=PARIS))
    assert JobRun.objects.filter(job="backup").count() == 1
    JobRun.objects.all().delete()
    scheduler_tick(now=dt.datetime(2026, 12, 7, 10, 0, tzinfo=PARIS))
    assert not JobRun.objects.filter(job="backup").exists()
    assert JobRun.objects.filter(job="event_reminders").count() == 1  # 09:05, within the hour


@pytest.mark.django_db
def test_an_occurrence_the_queue_could_not_take_is_queued_by_the_next_tick(dummy_tasks, monkeypatch):
    backup = JOBS_BY_NAME["backup"]
    night = dt.datetime(2026, 12, 8, 3, 30, 10, tzinfo=PARIS)

    def queue_down(*args, **kwargs):
        raise ConnectionError("Redis is restarting")

    monkeypatch.setattr(dummy_tasks, "enqueue", queue_down)
    assert scheduler_tick(now=night, jobs=[backup]) == []
    assert not JobRun.objects.exists()

    monkeypatch.undo()
    taken = scheduler_tick(now=night + dt.timedelta(minutes=1), jobs=[backup])
    assert [(run.job, run.period.astimezone(PARIS).strftime("%H:%M")) for run in taken] == [("backup", "03:30")]
    assert len(_queued_runs(dummy_tasks)) == 1


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_ticking_at_the_same_instant_take_each_occurrence_once(dummy_tasks):
    if connection.vendor == "sqlite":
        pytest.skip("threads on the in-memory SQLite test database share one connection's locks; runs on PostgreSQL")
    barrier = threading.Barrier(2)
    errors, queued = [], []

    def scheduler():
        try:
            now = START
            for _ in range(24 * 4):
                barrier.wait(timeout=10)
                scheduler_tick(now=now)
                now += STEP
            # Each thread has its own backend: what this scheduler queued.
            queued.extend(_queued_runs(task_backends["default"]))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    for job in JOBS:
        periods = list(JobRun.objects.filter(job=job.name).order_by("period").values_list("period", flat=True))
        assert periods == sorted(set(periods)), job.name
        assert periods == _fire_times(job, START, START + dt.timedelta(days=1) - STEP)
    assert len(queued) == len(set(queued)) == JobRun.objects.count()


def test_every_job_has_a_queue_the_workers_listen_to(settings):
    assert {job.queue for job in JOBS} <= set(settings.TASK_QUEUES)
    assert len(JOBS_BY_NAME) == len(JOBS)


def test_the_digest_job_covers_every_hour_since_its_previous_run():
    digest = JOBS_BY_NAME["weekly_digest"]
    hour = dt.datetime(2026, 12, 7, 14, tzinfo=dt.UTC)
    assert digest.kwargs(hour, None)["since"] == (hour - dt.timedelta(hours=1)).isoformat()
    assert digest.kwargs(hour, hour - dt.timedelta(hours=9))["since"] == (hour - dt.timedelta(hours=9)).isoformat()
    assert digest.kwargs(hour, hour - dt.timedelta(days=30))["since"] == (hour - dt.timedelta(days=7)).isoformat()
