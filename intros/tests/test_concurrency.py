"""Races are tested, not assumed: concurrent requests never pass the cap of 20, nor make two
pending requests for one pair. Threads need a shared database: PostgreSQL (SQLite's in-memory
test database cannot be shared by threads, so the SQLite run skips these)."""

import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from intros import services
from intros.models import ConnectionRequest
from intros.tests.conftest import REASON

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="threads need PostgreSQL"),
]


def _race(calls) -> list[BaseException]:
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call):
        try:
            barrier.wait(timeout=30)
            call()
        except BaseException as error:  # noqa: BLE001 - every failure is reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _send(sender, recipient):
    return lambda: services.connection_request_send(sender=sender, recipient=recipient, reason=REASON)


def test_concurrent_requests_never_pass_the_cap(member, open_member):
    for _ in range(services.MAX_PENDING_OUTGOING - 1):
        services.connection_request_send(sender=member, recipient=open_member(), reason=REASON)
    errors = _race([_send(member, open_member()) for _ in range(8)])
    assert ConnectionRequest.objects.filter(sender=member).count() == services.MAX_PENDING_OUTGOING
    assert len(errors) == 7 and all(isinstance(e, ValidationError) for e in errors), errors
    assert {e.messages[0] for e in errors} == {str(services.TOO_MANY_PENDING)}


def test_concurrent_requests_to_one_member_make_one_request(owner, member):
    errors = _race([_send(member, owner) for _ in range(8)])
    assert ConnectionRequest.objects.filter(sender=member, recipient=owner).count() == 1
    assert len(errors) == 7 and {e.messages[0] for e in errors} == {str(services.ALREADY_ASKED)}, errors
