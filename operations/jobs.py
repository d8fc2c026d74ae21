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

from circles.tasks import send_join_request_alerts, send_report_alerts
from events.tasks import refresh_all_ical_feeds, send_new_event_alerts, send_rsvp_alerts
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
    # The task's arguments, from the occurrence's time and the previous occurrence's (None if none):
    # a job that must cover every hour, even those a stopped scheduler missed, gets both.
    kwargs: Callable[[dt.datetime, dt.datetime | None], dict] = field(default=lambda period, previous: {})

    @cached_property
    def trigger(self) -> CronTrigger:
        return CronTrigger.from_crontab(self.schedule, timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE))

    def due_period(self, now: dt.datetime) -> dt.datetime | None:
        """The latest scheduled time in (now - grace, now], or None if nothing is due."""
        fire = self._first_after(now - self.grace)
        latest = None
        while fire is not None and fire <= now:
            latest = fire
            fire = self._first_after(fire)
        return latest

    def next_run(self, now: dt.datetime) -> dt.datetime | None:
        return self._first_after(now)

    def _first_after(self, moment: dt.datetime) -> dt.datetime | None:
        # In UTC: adding a microsecond to a Paris time in the repeated hour of October forgets which
        # of the two 02:30s it was, and the trigger would answer the same time for ever.
        # Returned in UTC too: an ambiguous Paris time never equals a UTC one (PEP 495), and the
        # database gives periods back in UTC.
        after = moment.astimezone(dt.UTC) + dt.timedelta(microseconds=1)
        fire = self.trigger.get_next_fire_time(None, after)
        return fire.astimezone(dt.UTC) if fire else None


def _since_previous(period: dt.datetime, previous: dt.datetime | None) -> dict:
    """From the previous run (a week back at most) to this one: hours missed meanwhile are covered,
    and nothing is counted twice."""
    since = max(previous or period - HOUR, period - dt.timedelta(days=7))
    return {"since": since.isoformat(), "period": period.isoformat()}


JOBS: list[Job] = [
    Job("event_reminders", "5 * * * *", send_event_reminders, queue="mail"),
    Job("weekly_digest", "0 * * * *", send_weekly_digests, queue="mail", kwargs=_since_previous),
    Job("reconnect_reminders", "10 * * * *", send_reconnect_reminders, queue="mail"),
    Job("introduction_expiry", "20 * * * *", expire_overdue),
    Job("join_request_alerts", "25 * * * *", send_join_request_alerts, queue="mail", kwargs=_since_previous),
    Job("rsvp_alerts", "25 * * * *", send_rsvp_alerts, queue="mail", kwargs=_since_previous),
    Job("report_alerts", "25 * * * *", send_report_alerts, queue="mail", kwargs=_since_previous),
    Job("new_event_alerts", "35 * * * *", send_new_event_alerts, queue="mail", kwargs=_since_previous),
    Job("ical_feeds", "15 * * * *", refresh_all_ical_feeds, queue="feeds"),
    Job("pairing_rounds", "30 6 * * *", pairing_rounds_due, queue="matching", grace=6 * HOUR),
    Job("matching_arrays", "*/15 * * * *", arrays_refresh_if_stale, queue="matching", grace=dt.timedelta(minutes=14)),
    Job("intro_graph", "*/15 * * * *", graph_refresh_if_stale, queue="matching", grace=dt.timedelta(minutes=14)),
    Job("backup", "30 3 * * *", backup_nightly, queue="maintenance", grace=6 * HOUR, max_attempts=2),
    Job("housekeeping", "45 4 * * *", housekeeping, queue="maintenance", grace=6 * HOUR),
]
JOBS_BY_NAME = {job.name: job for job in JOBS}
