"""Background work of notifications. Tasks call services; they hold no logic of their own.

The app's scheduler (`manage.py scheduler`, see operations/jobs.py) queues the periodic ones;
`manage.py send_reminders` and `send_digests` run them now, and both are safe to run again.
"""

from django_tasks import task


@task(queue_name="mail")
def email_notification(*, notification_id: int) -> bool:
    from notifications.emails import notification_email_send

    return notification_email_send(notification_id=notification_id)


@task()
def send_event_reminders() -> int:
    """The day before an event, remind those going (never remote followers). Idempotent: run hourly."""
    from notifications.reminders import reminders_send

    return reminders_send()


@task()
def send_weekly_digests(*, since: str | None = None, period: str | None = None) -> int:
    """Queue one digest task per member whose Monday 07:00 fell in (since, period] (the scheduler's
    hourly run), or per member now; returns how many were queued."""
    import datetime as dt

    from notifications.digest import digests_enqueue

    if period is None:
        return digests_enqueue()
    until = dt.datetime.fromisoformat(period)
    return digests_enqueue(
        between=(dt.datetime.fromisoformat(since) if since else until - dt.timedelta(hours=1), until)
    )


@task(queue_name="mail")
def send_member_digest(*, member_id: int) -> bool:
    """This week's digest of one member (once per week, however often it runs)."""
    from notifications.digest import digest_send_to

    return digest_send_to(member_id=member_id)


@task()
def send_reconnect_reminders() -> int:
    """Tell members whose contacts become due today, from 08:00 their time. Idempotent: run hourly."""
    from notifications.reconnect import reconnect_reminders_send

    return reconnect_reminders_send()
