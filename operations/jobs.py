"""Every periodic job of Cercle, in one list: what runs, when, on which queue.

Schedules are crontab lines read in the site's time zone (settings.TIME_ZONE, Europe/Paris) by
APScheduler's CronTrigger. Work that depends on each member's own clock (the Monday digest, the
day-before reminder, the 08:00 keep-in-touch nudge) runs hourly and picks, inside its task, the
members for whom that hour has come.

`grace` is how late an occurrence may still run: a scheduler started at 03:40 still makes the
03:30 backup, one started at 09:00 leaves it for the next night.
"""

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django_tasks.base import Task

from events.tasks import refresh_all_ical_feeds
from intros.tasks import expire_overdue, graph_refresh_if_stale
from matching.tasks import arrays_refresh_if_stale, pairing_rounds_due
from notifications.tasks import send_event_reminders, send_reconnect_reminders, send_weekly_digests
from operations.tasks import backup_nightly, housekeeping

HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Job:
    name: str
    schedule: str  # a crontab line, in settings.TIME_ZONE
    task: Task
    queue: str = "default"
    grace: dt.timedelta = HOUR - dt.timedelta(minutes=1)
    max_attempts: int = 3
    # Jobs that care which occurrence they stand for get it as `period` (an ISO datetime).
    kwargs: Callable[[dt.datetime], dict] = field(default=lambda period: {})

    @cached_property
    def trigger(self) -> CronTrigger:
        return CronTrigger.from_crontab(self.schedule, timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE))

    def due_period(self, now: dt.datetime) -> dt.datetime | None:
        """The latest scheduled time in (now - grace, now], or None if nothing is due."""
        fire = self.trigger.get_next_fire_time(None, now - self.grace)
        latest = None
        while fire is not None and fire <= now:
            latest = fire
            fire = self.trigger.get_next_fire_time(None, fire + dt.timedelta(microseconds=1))
        return latest

    def next_run(self, now: dt.datetime) -> dt.datetime | None:
        return self.trigger.get_next_fire_time(None, now + dt.timedelta(microseconds=1))


def _period(period: dt.datetime) -> dict:
    return {"period": period.isoformat()}


JOBS: list[Job] = [
    Job("event_reminders", "5 * * * *", send_event_reminders, queue="mail"),
    Job("weekly_digest", "0 * * * *", send_weekly_digests, queue="mail", kwargs=_period),
    Job("reconnect_reminders", "10 * * * *", send_reconnect_reminders, queue="mail"),
    Job("introduction_expiry", "20 * * * *", expire_overdue),
    Job("ical_feeds", "15 * * * *", refresh_all_ical_feeds, queue="feeds"),
    Job("pairing_rounds", "30 6 * * *", pairing_rounds_due, queue="matching", grace=6 * HOUR),
    Job("matching_arrays", "*/15 * * * *", arrays_refresh_if_stale, queue="matching", grace=dt.timedelta(minutes=14)),
    Job("intro_graph", "*/15 * * * *", graph_refresh_if_stale, queue="matching", grace=dt.timedelta(minutes=14)),
    Job("backup", "30 3 * * *", backup_nightly, grace=6 * HOUR, max_attempts=2),
    Job("housekeeping", "45 4 * * *", housekeeping, grace=6 * HOUR),
]
JOBS_BY_NAME = {job.name: job for job in JOBS}
