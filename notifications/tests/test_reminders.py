"""Event reminders the day before: tomorrow's events only, to those going, never to remote followers, once."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command

from notifications.models import Kind, Notification
from notifications.reminders import reminders_send
from notifications.tests.conftest import NOW, PARIS

pytestmark = pytest.mark.django_db

TOMORROW_EVENING = dt.datetime(2026, 11, 24, 19, 0, tzinfo=PARIS)


def _reminded(member) -> list[str]:
    return sorted(n.params["title"] for n in Notification.objects.filter(recipient=member, kind=Kind.EVENT_REMINDER))


def test_only_tomorrows_events_are_reminded(owner, make_event, rsvp):
    for title, starts_at in [
        ("Ce soir", dt.datetime(2026, 11, 23, 20, 0, tzinfo=PARIS)),
        ("Demain matin", dt.datetime(2026, 11, 24, 7, 30, tzinfo=PARIS)),
        ("Demain soir", TOMORROW_EVENING),
        ("Demain, juste avant minuit", dt.datetime(2026, 11, 24, 23, 59, tzinfo=PARIS)),
        ("Après-demain", dt.datetime(2026, 11, 25, 0, 1, tzinfo=PARIS)),
        ("La semaine prochaine", dt.datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)),
    ]:
        rsvp(owner, make_event(title=title, starts_at=starts_at))
    cancelled = make_event(title="Annulé", starts_at=TOMORROW_EVENING, state="cancelled")
    rsvp(owner, cancelled)

    assert reminders_send(now=NOW) == 3
    assert _reminded(owner) == ["Demain matin", "Demain soir", "Demain, juste avant minuit"]


def test_only_members_going_are_reminded(owner, member, stranger, make_event, rsvp):
    event = make_event(title="Déjeuner", starts_at=TOMORROW_EVENING)
    rsvp(owner, event, "going")
    rsvp(member, event, "waitlist")
    rsvp(stranger, event, "not_going")

    reminders_send(now=NOW)

    assert _reminded(owner) == ["Déjeuner"]
    assert _reminded(member) == [] and _reminded(stranger) == []


def test_remote_followers_of_the_circle_are_never_reminded(owner, member, make_circle, join, make_event, rsvp):
    circle = make_circle()
    other = make_circle("Club Lyon", city="Lyon")
    join(owner, circle, participation="remote")
    join(member, circle, participation="active")
    join(member, other, participation="remote")  # remote elsewhere: still active in this circle
    event = make_event(title="Apéro", starts_at=TOMORROW_EVENING, circle=circle)
    rsvp(owner, event)
    rsvp(member, event)

    reminders_send(now=NOW)

    assert _reminded(owner) == []
    assert _reminded(member) == ["Apéro"]


def test_each_member_is_reminded_once(owner, make_event, rsvp, emails_sent):
    rsvp(owner, make_event(title="Apéro", starts_at=TOMORROW_EVENING))

    assert emails_sent(lambda: reminders_send(now=NOW)) == 1
    assert emails_sent(lambda: reminders_send(now=NOW + dt.timedelta(hours=1))) == 0
    assert emails_sent(lambda: reminders_send(now=NOW + dt.timedelta(hours=8))) == 0

    assert _reminded(owner) == ["Apéro"] and len(mail.outbox) == 1


def test_a_postponed_event_is_reminded_again_for_its_new_day(owner, make_event, rsvp):
    event = make_event(title="Apéro", starts_at=TOMORROW_EVENING)
    rsvp(owner, event)
    reminders_send(now=NOW)
    event.starts_at += dt.timedelta(days=2)
    event.ends_at += dt.timedelta(days=2)
    event.save()

    assert reminders_send(now=NOW + dt.timedelta(days=2)) == 1
    assert _reminded(owner) == ["Apéro", "Apéro"]


def test_tomorrow_is_the_members_own_day(owner, member, make_event, rsvp):
    from people.services import profile_update

    profile_update(profile=member.profile, time_zone="America/Montreal")
    # 00:30 in Paris on Wednesday is still Tuesday evening in Montreal.
    event = make_event(title="Nuit blanche", starts_at=dt.datetime(2026, 11, 25, 0, 30, tzinfo=PARIS))
    rsvp(owner, event)
    rsvp(member, event)
    tuesday_noon_paris = dt.datetime(2026, 11, 24, 12, 0, tzinfo=PARIS)  # 06:00 in Montreal
    monday_noon_montreal = dt.datetime(2026, 11, 23, 12, 0, tzinfo=zoneinfo.ZoneInfo("America/Montreal"))

    reminders_send(now=tuesday_noon_paris)
    assert _reminded(owner) == ["Nuit blanche"]  # Wednesday is tomorrow in Paris
    assert _reminded(member) == []  # it is Tuesday's event in Montreal: tomorrow was Monday

    reminders_send(now=monday_noon_montreal)
    assert _reminded(member) == ["Nuit blanche"]


def test_reminders_wait_for_the_morning(owner, make_event, rsvp):
    rsvp(owner, make_event(title="Apéro", starts_at=TOMORROW_EVENING))

    assert reminders_send(now=dt.datetime(2026, 11, 23, 0, 30, tzinfo=PARIS)) == 0
    assert reminders_send(now=dt.datetime(2026, 11, 23, 8, 5, tzinfo=PARIS)) == 1


def test_the_reminder_email_speaks_the_members_language(owner, member, set_language, make_event, rsvp, emails_sent):
    set_language(owner, "fr")
    set_language(member, "en")
    event = make_event(title="Apéro", starts_at=TOMORROW_EVENING)
    rsvp(owner, event)
    rsvp(member, event)

    emails_sent(lambda: reminders_send(now=NOW))

    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "24 novembre 2026 19:00" in bodies[owner.email]
    assert "Nov. 24, 2026, 7 p.m." in bodies[member.email]
    assert all("/notifications/unsubscribe/" in body for body in bodies.values())


def test_the_command_sends_the_reminders_due_now(owner, make_event, rsvp, capsys, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    rsvp(owner, make_event(title="Apéro", starts_at=TOMORROW_EVENING))

    call_command("send_reminders")

    assert "1 reminders recorded" in capsys.readouterr().out
    assert _reminded(owner) == ["Apéro"]
