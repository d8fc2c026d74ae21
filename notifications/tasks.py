"""Background work of notifications. Tasks call services; they hold no logic of their own.

django-tasks has no scheduler: cron (or any timer) runs `manage.py send_reminders` every hour and
`manage.py send_digests` once a week; both are safe to run again.
"""

from django_tasks import task


@task()
def email_notification(*, notification_id: int) -> bool:
    from notifications.emails import notification_email_send

    return notification_email_send(notification_id=notification_id)


@task()
def send_event_reminders() -> int:
    """The day before an event, remind those going (never remote followers). Idempotent: run hourly."""
    from notifications.reminders import reminders_send

    return reminders_send()


@task()
def send_weekly_digests() -> int:
    """Queue one digest task per member; returns how many were queued."""
    from notifications.digest import digests_enqueue

    return digests_enqueue()


@task()
def send_member_digest(*, member_id: int) -> bool:
    """This week's digest of one member (once per week, however often it runs)."""
    from notifications.digest import digest_send_to

    return digest_send_to(member_id=member_id)
