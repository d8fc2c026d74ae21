"""The scheduler's writes: taking an occurrence of a job, running it, heartbeats, housekeeping.

`scheduler_tick` is all a scheduler process does, every few seconds: for each job whose latest
scheduled time has come, insert the (job, period) row and queue the task. The row is the lock
(its unique constraint lets one scheduler in) and the idempotency key (it is committed before the
task is queued), so any number of schedulers may run side by side.
"""

import datetime as dt
import os
import socket
import traceback

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task_backends

from circles.services import cap_records_forget as circles_forget
from intros.services import cap_records_forget as intros_forget
from operations.jobs import JOBS, JOBS_BY_NAME, Job
from operations.models import Heartbeat, JobRun, RunStatus, TaskRetry
from operations.retries import retry_delay
from operations.tasks import heartbeat, run_job
from referrals.services import cap_records_forget as referrals_forget

SCHEDULER = "scheduler"
HEARTBEAT_EVERY = dt.timedelta(minutes=1)
# A heartbeat task still unanswered after this is taken as lost, and another one is queued.
HEARTBEAT_LOST_AFTER = dt.timedelta(minutes=10)
CLOCK_SKEW = dt.timedelta(seconds=30)
KEEP_RUNS = dt.timedelta(days=90)
KEEP_TASK_RESULTS_DAYS = 7
# The abuse caps count rows of the last day or week: older ones only take room.
KEEP_CAP_RECORDS = dt.timedelta(days=8)


def worker_heartbeat_name(queue: str) -> str:
    return f"worker:{queue}"


def _process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def heartbeat_record(*, name: str, now: dt.datetime | None = None) -> None:
    values = {"last_seen": now or timezone.now(), "process": _process()}
    if not Heartbeat.objects.filter(name=name).update(**values):
        Heartbeat.objects.update_or_create(name=name, defaults=values)


def job_run_take(*, job: Job, period: dt.datetime) -> JobRun | None:
    """The row of this occurrence, committed; None when another scheduler (or an earlier tick) has it."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job.name, period=period)
    except IntegrityError:
        return None


def job_run_enqueue(*, run: JobRun, run_after: dt.datetime | None = None) -> bool:
    """Queue the run (a retry: later); False when the queue could not be reached."""
    job = JOBS_BY_NAME[run.job]
    task = run_job.using(queue_name=job.queue, **({"run_after": run_after} if run_after else {}))
    try:
        result = task.enqueue(run_id=run.pk)
    except Exception as error:  # noqa: BLE001 - a queue that is down must not stop the scheduler
        if run_after is None:
            # Never queued: give the occurrence back, a later tick within its grace takes it again.
            JobRun.objects.filter(pk=run.pk).delete()
        else:
            JobRun.objects.filter(pk=run.pk).update(
                status=RunStatus.FAILED, last_error=f"could not queue the retry: {error!r}", finished_at=timezone.now()
            )
        return False
    # The in-process backend (tests) has already run it; its status is final, only the id is new.
    JobRun.objects.filter(pk=run.pk).update(task_id=result.id)
    return True


def scheduler_tick(*, now: dt.datetime | None = None, jobs: list[Job] = JOBS) -> list[JobRun]:
    """Queue every occurrence that has come and that no scheduler has taken yet."""
    now = now or timezone.now()
    heartbeat_record(name=SCHEDULER, now=now)
    due = {job: period for job in jobs if (period := job.due_period(now)) is not None}
    # Most ticks find every due occurrence already taken: one query says so.
    known = set(
        JobRun.objects.filter(job__in=[job.name for job in due], period__in=set(due.values())).values_list(
            "job", "period"
        )
    )
    taken = []
    for job, period in due.items():
        if (job.name, period) in known:
            continue
        run = job_run_take(job=job, period=period)
        if run is not None and job_run_enqueue(run=run):
            taken.append(run)
    worker_heartbeats_request(now=now)
    return taken


def worker_heartbeats_request(*, now: dt.datetime) -> None:
    """A heartbeat task on each queue, unless the last one is still waiting for its worker."""
    beats = {beat.name: beat for beat in Heartbeat.objects.filter(name__startswith="worker:")}
    due = []
    for queue in settings.TASK_QUEUES:
        beat = beats.get(worker_heartbeat_name(queue))
        requested, answered = (beat.requested_at, beat.last_seen) if beat else (None, None)
        # The worker's clock may run a little behind the scheduler's: an answer that close counts.
        waiting = requested is not None and (answered is None or answered < requested - CLOCK_SKEW)
        if requested is None or now - requested >= (HEARTBEAT_LOST_AFTER if waiting else HEARTBEAT_EVERY):
            due.append(queue)
    if not due:
        return
    names = [worker_heartbeat_name(queue) for queue in due]
    Heartbeat.objects.bulk_create([Heartbeat(name=name) for name in names if name not in beats], ignore_conflicts=True)
    Heartbeat.objects.filter(name__in=names).update(requested_at=now)
    for queue in due:
        try:
            heartbeat.using(queue_name=queue).enqueue(name=worker_heartbeat_name(queue))
        except Exception:  # noqa: BLE001 - the queue is down: the health report will say so
            Heartbeat.objects.filter(name=worker_heartbeat_name(queue)).update(requested_at=None)


def job_run_execute(*, run_id: int, now: dt.datetime | None = None) -> object:
    """Run one occurrence now; on failure, queue it again later (up to the job's attempts) and re-raise
    so the task's own result records the failure too."""
    run = JobRun.objects.filter(pk=run_id).first()
    if run is None or run.status in (RunStatus.SUCCESSFUL, RunStatus.FAILED):
        return None  # removed, or already done (a retry queued twice)
    job = JOBS_BY_NAME.get(run.job)
    if job is None:
        JobRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, last_error="unknown job")
        return None
    run.attempts += 1
    run.status = RunStatus.RUNNING
    run.save(update_fields=["attempts", "status"])
    previous = JobRun.objects.filter(job=run.job, period__lt=run.period).order_by("-period").first()
    try:
        value = job.task.call(**job.kwargs(run.period, previous.period if previous else None))
    except Exception as error:
        run.last_error = "".join(traceback.format_exception(error))[-4000:]
        run.finished_at = timezone.now()
        retry = run.attempts < job.max_attempts and task_backends["default"].supports_defer
        run.status = RunStatus.RETRYING if retry else RunStatus.FAILED
        run.save(update_fields=["last_error", "finished_at", "status"])
        if retry:
            job_run_enqueue(run=run, run_after=(now or timezone.now()) + retry_delay(run.attempts))
        raise
    run.status = RunStatus.SUCCESSFUL
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return value


def housekeeping_run(*, now: dt.datetime | None = None) -> dict:
    """Scheduled runs older than 90 days go; so do the database queue's finished results after a week
    and the rows the abuse caps counted once past their window."""
    from django.core.management import call_command

    now = now or timezone.now()
    runs, _ = JobRun.objects.filter(period__lt=now - KEEP_RUNS).delete()
    TaskRetry.objects.filter(created_at__lt=now - KEEP_RUNS).delete()
    # RQ expires its own results; the database queue keeps them until pruned.
    on_database = settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    if on_database:
        call_command("prune_db_task_results", "--min-age-days", str(KEEP_TASK_RESULTS_DAYS), verbosity=0)
    before = now - KEEP_CAP_RECORDS
    caps = circles_forget(before=before) + intros_forget(before=before) + referrals_forget(before=before)
    return {"runs_forgotten": runs, "task_results_pruned": on_database, "cap_records_forgotten": caps}
