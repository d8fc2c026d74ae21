"""The real database task queue: a queued e-mail leaves only when a worker runs."""

import pytest
from django.core import mail
from django.core.management import call_command

from people.tasks import deliver_email

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _enqueue_welcome():
    return deliver_email.using(backend="database").enqueue(
        subject="Bienvenue dans Cercle",
        body="Votre compte est prêt.",
        from_email="Cercle <no-reply@cercle.local>",
        to=["lea.garnier@example.org"],
    )


def _run_worker():
    # `--backend` goes on the command line: its default ("default", the in-process backend of the
    # tests) is validated by argparse unless the option is given. Its dest is `backend_name`, and
    # `--no-startup-delay` stores False in `startup_delay`.
    call_command(
        "db_worker", "--backend", "database", "--queue-name", "*", "--batch", "--no-startup-delay", verbosity=0
    )


def test_a_queued_email_waits_for_the_worker_then_is_sent():
    result = _enqueue_welcome()
    assert mail.outbox == []  # queued, not sent: the page that queued it did not wait for SMTP

    _run_worker()

    assert [m.subject for m in mail.outbox] == ["Bienvenue dans Cercle"]
    assert mail.outbox[0].to == ["lea.garnier@example.org"]
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == 1


def test_the_worker_sends_each_queued_email_once():
    _enqueue_welcome()
    _run_worker()
    _run_worker()
    assert len(mail.outbox) == 1
