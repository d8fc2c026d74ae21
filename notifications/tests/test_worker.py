"""The real database task queue: notification e-mails and digests leave when `db_worker --batch` runs."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils.translation import gettext_noop

from notifications.models import Kind, Notification
from notifications.services import notification_record
from notifications.tasks import email_notification, send_weekly_digests

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _run_worker():
    # As in cercle/tests/test_worker.py: the backend is named on the command line.
    call_command(
        "db_worker", "--backend", "database", "--queue-name", "*", "--batch", "--no-startup-delay", verbosity=0
    )


def _recorded(recipient) -> Notification:
    return notification_record(
        recipient=recipient, kind=Kind.INVITATION, message=gettext_noop("Welcome"), url="/notifications/"
    )


def test_a_queued_notification_email_waits_for_the_worker_then_is_sent(owner):
    notification = _recorded(owner)
    result = email_notification.using(backend="database").enqueue(notification_id=notification.pk)
    assert mail.outbox == []

    _run_worker()

    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    result.refresh()
    assert result.status == "SUCCESSFUL" and result.return_value is True
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_the_worker_sends_a_notification_email_once_even_if_queued_twice(owner):
    notification = _recorded(owner)
    for _ in range(2):
        email_notification.using(backend="database").enqueue(notification_id=notification.pk)

    _run_worker()
    _run_worker()

    assert len(mail.outbox) == 1


def test_the_weekly_digest_task_runs_on_the_worker(owner, make_circle, join, make_event):
    import datetime as dt

    from django.utils import timezone

    circle = make_circle("Tech Marseille")
    join(owner, circle)
    make_event("Apéro Tech", timezone.now() + dt.timedelta(days=2), circle=circle)

    result = send_weekly_digests.using(backend="database").enqueue()
    assert mail.outbox == []
    _run_worker()

    result.refresh()
    assert result.status == "SUCCESSFUL" and result.return_value == 1
    # Each member's digest and its e-mail run on the tests' in-process backend, once committed.
    assert [m.to for m in mail.outbox] == [[owner.email]] and "Apéro Tech" in mail.outbox[0].body
    assert Notification.objects.filter(recipient=owner, kind=Kind.DIGEST).count() == 1


def test_in_production_notify_queues_the_email_for_the_worker(owner, settings):
    from notifications.services import notify

    # The production set-up: the default backend is the database queue.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}}
    notification = notify(recipient=owner, kind=Kind.ANNOUNCEMENT, message=gettext_noop("Welcome"))
    assert mail.outbox == []  # queued, not sent: the request that notified did not wait for SMTP

    call_command("db_worker", "--backend", "default", "--queue-name", "*", "--batch", "--no-startup-delay", verbosity=0)

    assert [m.to for m in mail.outbox] == [[owner.email]]
    notification.refresh_from_db()
    assert notification.emailed_at is not None
