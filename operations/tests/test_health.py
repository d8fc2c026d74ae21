"""/healthz: a short answer for load balancers, the loops' state for operators, nothing personal."""

import datetime as dt

import pytest
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from operations.jobs import JOBS
from operations.models import Heartbeat, JobRun, RunStatus
from operations.services import scheduler_tick

pytestmark = pytest.mark.django_db


def _health(client, **headers):
    return client.get(reverse("healthz"), **headers)


def _json(client):
    response = _health(client, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def test_a_load_balancer_gets_200_and_a_short_body(client):
    response = _health(client)
    assert response.status_code == 200
    assert response.content in (b"ok", b"degraded")
    assert "no-cache" in response["Cache-Control"]


def test_with_no_scheduler_or_worker_yet_it_says_degraded_but_answers_200(client):
    response = _health(client)
    assert (response.status_code, response.content) == (200, b"degraded")
    report = _json(client)
    assert report["status"] == "degraded"
    assert report["database"] == "ok"
    assert report["worker"]["alive"] is False and report["worker"]["last_seen"] is None
    assert report["scheduler"] == {"alive": False, "last_seen": None}


def test_after_a_tick_answered_by_the_worker_everything_is_ok(client):
    # At half past: the hourly reminders (at :05, 59 minutes of grace) are due whatever the hour.
    with freeze_time(timezone.now().replace(minute=30)):
        _after_a_tick_everything_is_ok(client)


def _after_a_tick_everything_is_ok(client):
    # The tests' queue runs tasks at once: the heartbeats the tick queued are answered already.
    scheduler_tick()
    assert _health(client).content == b"ok"
    report = _json(client)
    assert report["status"] == "ok"
    assert report["worker"]["alive"] and report["scheduler"]["alive"]
    assert [job["name"] for job in report["jobs"]] == [job.name for job in JOBS]
    reminders = next(job for job in report["jobs"] if job["name"] == "event_reminders")
    assert reminders["schedule"] == "5 * * * *"
    assert reminders["last_run"] is not None and reminders["last_status"] == RunStatus.SUCCESSFUL
    assert dt.datetime.fromisoformat(reminders["next_run"]) > timezone.now()


def test_a_stale_scheduler_or_worker_gives_degraded_not_an_error(client):
    scheduler_tick()
    Heartbeat.objects.update(last_seen=timezone.now() - dt.timedelta(minutes=20))  # both stopped since
    response = _health(client, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "degraded"
    assert not report["scheduler"]["alive"] and not report["worker"]["alive"]
    assert report["scheduler"]["last_seen"] is not None


def test_only_a_database_failure_gives_503(client, monkeypatch):
    def broken(**kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("cercle.views.health_report", broken)
    response = _health(client)
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


def test_it_shows_names_and_times_never_an_error_text(client):
    with freeze_time(timezone.now().replace(minute=30)):  # the feeds' run (:15) is due
        scheduler_tick()
    JobRun.objects.filter(job="ical_feeds").update(
        status=RunStatus.FAILED, last_error="ConnectionError: https://secret-feed.example.org/h%C3%A9l%C3%A8ne.ics"
    )
    body = _health(client, HTTP_ACCEPT="application/json").content.decode()
    assert "secret-feed" not in body and "ConnectionError" not in body
    assert '"last_status": "failed"' in body
