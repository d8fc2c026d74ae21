"""E-mail tasks that failed (an SMTP server down for a minute) are queued again, 1 then 5 minutes later.

Scheduled jobs retry through their own run row (operations/services.py); the e-mail tasks belong to
lower apps that know nothing of operations, so their retries hang on django-tasks' `task_finished`
signal, which every backend's worker sends. Each failed attempt stays in the queue's admin with
its error.
"""

import datetime as dt

from django.dispatch import receiver
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished

from operations.models import TaskRetry

RETRIED_TASKS = {
    "people.tasks.deliver_email",
    "notifications.tasks.email_notification",
    "notifications.tasks.send_member_digest",
}
MAX_ATTEMPTS = 3
RETRY_BASE = dt.timedelta(minutes=1)


def retry_delay(attempt: int) -> dt.timedelta:
    """1 minute after a first failed attempt, 5 after a second (and so on, times five)."""
    return RETRY_BASE * 5 ** (attempt - 1)


@receiver(task_finished, dispatch_uid="operations.retry_failed_email")
def retry_failed_email(sender, task_result, **kwargs) -> None:
    task = task_result.task
    if task_result.status != TaskResultStatus.FAILED or task.module_path not in RETRIED_TASKS:
        return
    if not task.get_backend().supports_defer:  # the tests' in-process queue: nothing to wait for
        return
    attempt = TaskRetry.objects.filter(task_id=task_result.id).values_list("attempt", flat=True).first() or 1
    if attempt >= MAX_ATTEMPTS:
        return
    retry = task.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(*task_result.args, **task_result.kwargs)
    TaskRetry.objects.create(task_id=retry.id, attempt=attempt + 1)
