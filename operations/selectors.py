"""What the health endpoint shows: names and times only, never personal data or error text."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from operations.jobs import JOBS
from operations.models import Heartbeat, JobRun

SCHEDULER_ALIVE_WITHIN = dt.timedelta(minutes=3)  # it ticks every 30 seconds
WORKER_ALIVE_WITHIN = dt.timedelta(minutes=5)  # it answers a heartbeat task every minute


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _process_state(last_seen: dt.datetime | None, within: dt.timedelta, now: dt.datetime) -> dict:
    return {"alive": last_seen is not None and now - last_seen <= within, "last_seen": _iso(last_seen)}


def health_report(*, now: dt.datetime | None = None, with_jobs: bool = True) -> dict:
    """The scheduler's and workers' liveness and each job's last and next run (the database answered)."""
    now = now or timezone.now()
    beats = dict(Heartbeat.objects.values_list("name", "last_seen"))
    queues = {queue: beats.get(f"worker:{queue}") for queue in settings.TASK_QUEUES}
    # The worker is as alive as its least recently heard queue: a stuck feed worker is news too.
    heard = list(queues.values())
    worker = _process_state(None if None in heard else min(heard), WORKER_ALIVE_WITHIN, now)
    worker["queues"] = {queue: _iso(seen) for queue, seen in queues.items()}
    scheduler = _process_state(beats.get("scheduler"), SCHEDULER_ALIVE_WITHIN, now)
    jobs = []
    for job in JOBS if with_jobs else []:
        last = JobRun.objects.filter(job=job.name).order_by("-period").only("created_at", "status").first()
        jobs.append(
            {
                "name": job.name,
                "schedule": job.schedule,
                "last_run": _iso(last.created_at) if last else None,
                "last_status": last.status if last else None,
                "next_run": _iso(job.next_run(now)),
            }
        )
    healthy = worker["alive"] and scheduler["alive"]
    return {
        "status": "ok" if healthy else "degraded",
        "database": "ok",
        "worker": worker,
        "scheduler": scheduler,
        "time_zone": settings.TIME_ZONE,
        "jobs": jobs,
    }
