"""Background work of notifications. Tasks call services; they hold no logic of their own."""

from django_tasks import task


@task()
def email_notification(*, notification_id: int) -> bool:
    from notifications.emails import notification_email_send

    return notification_email_send(notification_id=notification_id)
