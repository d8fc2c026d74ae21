"""Races are tested, not assumed: many concurrent RSVPs at the last seats never overbook.

Threads, each with its own database connection, answer at the same moment (a barrier). On
PostgreSQL the tests run as they are. SQLite's in-memory test database cannot be shared by
threads (its shared cache ignores the busy timeout), so in an SQLite run the last test starts
this module again in a subprocess on a file-based test database (SQLITE_TEST_PATH, read by
cercle/settings.py), where the same tests run for real.
"""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Sum

from events import services
from events.models import Event, Rsvp, RsvpStatus

ROOT = Path(__file__).resolve().parents[2]
THREADS = 30


def _in_memory_sqlite() -> bool:
    database = settings.DATABASES["default"]
    return database["ENGINE"].endswith("sqlite3") and not (database.get("TEST") or {}).get("NAME")


needs_shared_database = pytest.mark.skipif(
    _in_memory_sqlite(), reason="run in a subprocess on a file-based SQLite database (see the last test)"
)


def _race(calls) -> list[BaseException]:
    """Run every call in its own thread, all released at once; the exceptions they raised."""
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


def _answer(member, event_id: int, going: bool = True, with_guest: bool = False):
    def call():
        event = Event.objects.get(pk=event_id)
        services.rsvp_submit(member=member, event=event, going=going, with_guest=with_guest)

    return call


def _assert_seats_add_up(event_id: int) -> Event:
    event = Event.objects.get(pk=event_id)
    held = Rsvp.objects.filter(event_id=event_id, status=RsvpStatus.GOING).aggregate(n=Sum("seats"))["n"] or 0
    assert event.seats_taken == held
    assert event.capacity is None or held <= event.capacity
    return event


@needs_shared_database
@pytest.mark.django_db(transaction=True)
def test_concurrent_answers_at_the_last_seats_fill_exactly_the_capacity(circle, owner, make_event, members_of):
    event = make_event(circle, owner, capacity=20)
    early = members_of(circle, 15, prefix="early")
    for person in early:
        services.rsvp_submit(member=person, event=event, going=True)
    late = members_of(circle, THREADS, prefix="late")

    errors = _race([_answer(person, event.pk) for person in late])

    assert errors == []
    event = _assert_seats_add_up(event.pk)
    assert event.seats_taken == 20
    late_answers = Rsvp.objects.filter(event=event, member__in=late)
    assert late_answers.filter(status=RsvpStatus.GOING).count() == 5
    assert late_answers.filter(status=RsvpStatus.WAITLIST).count() == THREADS - 5
    assert late_answers.filter(status=RsvpStatus.WAITLIST, waitlisted_at__isnull=True).count() == 0


@needs_shared_database
@pytest.mark.django_db(transaction=True)
def test_concurrent_guests_cancellations_and_promotions_keep_the_count(circle, owner, make_event, members_of):
    event = make_event(circle, owner, capacity=10, allow_guest=True)
    going = members_of(circle, 10, prefix="going")
    waiting = members_of(circle, 8, prefix="waiting")
    for person in going + waiting:
        services.rsvp_submit(member=person, event=event, going=True)
    newcomers = members_of(circle, 12, prefix="new")

    calls = [_answer(person, event.pk, going=False) for person in going[:6]]
    calls += [_answer(person, event.pk, with_guest=True) for person in newcomers]
    calls += [_answer(person, event.pk) for person in waiting[:4]]  # answering again while waiting
    errors = _race(calls)

    assert errors == []
    event = _assert_seats_add_up(event.pk)
    assert event.seats_taken == 10  # six seats freed, and far more people than that wanted them
    assert Rsvp.objects.filter(event=event, member__in=going[:6], status=RsvpStatus.NOT_GOING).count() == 6


@needs_shared_database
@pytest.mark.django_db(transaction=True)
def test_one_member_answering_many_times_at_once_holds_one_seat(circle, owner, member, make_event):
    event = make_event(circle, owner, capacity=5)

    errors = _race([_answer(member, event.pk) for _ in range(10)])

    assert errors == []
    assert Rsvp.objects.filter(event=event, member=member).count() == 1
    assert _assert_seats_add_up(event.pk).seats_taken == 1


@pytest.mark.skipif(not _in_memory_sqlite(), reason="the tests above ran directly on this database")
def test_on_a_file_based_sqlite_database(tmp_path):
    env = {**os.environ, "SQLITE_TEST_PATH": str(tmp_path / "rsvp-concurrency.sqlite3")}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", str(Path(__file__).relative_to(ROOT))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "3 passed" in done.stdout, done.stdout[-2000:]
