"""The rows the operations tests read, borrowed from the notifications tests (they are plain models)."""

import pytest
from django.core.management import call_command
from django_tasks import task_backends

from notifications.tests.conftest import join, make_circle, make_event, rsvp  # noqa: F401 - fixtures


@pytest.fixture
def database_queue(settings):
    """Production's default: the database queue, run by `db_worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}}
    return task_backends["default"]


def run_db_worker() -> None:
    call_command("db_worker", "--queue-name", "*", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
