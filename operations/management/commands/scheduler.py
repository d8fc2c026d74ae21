"""The app's own scheduler: queues every periodic job as a task (no cron line for the operator).

Started by `bin/serve` (development) and by the production Procfile beside the workers. Any number
may run at once: each occurrence of a job is taken by one of them (operations/services.py).
"""

import contextlib
import logging

from apscheduler.schedulers.blocking import BlockingScheduler
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from operations.jobs import JOBS
from operations.services import scheduler_tick

logger = logging.getLogger("cercle.scheduler")


def _tick() -> None:
    # A long-lived process: drop a connection the database closed, as a request would.
    close_old_connections()
    try:
        for run in scheduler_tick():
            logger.info("queued %s for %s", run.job, run.period.isoformat())
    finally:
        close_old_connections()


class Command(BaseCommand):
    help = "Run the scheduler: every periodic job (reminders, digests, pairings, feeds, backups…) is queued on time."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=30, help="seconds between two ticks (default 30)")
        parser.add_argument("--once", action="store_true", help="one tick now, then exit")

    def handle(self, *args, interval, once, **options):
        if once:
            for run in scheduler_tick():
                self.stdout.write(f"queued {run.job} for {run.period.isoformat()}")
            return
        for job in JOBS:
            self.stdout.write(f"  {job.name:<22} {job.schedule:<14} queue {job.queue}")
        self.stdout.write(f"Scheduler running: a tick every {interval:g} s (Ctrl-C stops).")
        scheduler = BlockingScheduler()
        # One tick at a time; ticks missed while one ran late are merged into the next.
        scheduler.add_job(
            _tick, "interval", seconds=interval, next_run_time=timezone.now(), coalesce=True, max_instances=1
        )
        with contextlib.suppress(KeyboardInterrupt, SystemExit):
            scheduler.start()
