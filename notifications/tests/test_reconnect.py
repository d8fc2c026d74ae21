"""Keep-in-touch reminders: the day a contact becomes due, from 08:00 the member's time, once, their own contacts."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from network import services as network
from notifications.emails import render_message, unsubscribe_read
from notifications.models import Kind, Notification
from notifications.reconnect import reconnect_due, reconnect_reminders_send
from notifications.services import preferences_save
from notifications.tests.conftest import NOW, PARIS
from people.services import profile_update

pytestmark = pytest.mark.django_db

MONTREAL = zoneinfo.ZoneInfo("America/Montreal")
TODAY = NOW.date()  # Monday 23 November 2026, 10:00 in Paris


def _due_on(owner, full_name: str, day: dt.date = TODAY, cadence: int = 30, **fields):
    """A contact whose cadence comes round on `day` (met a cadence before, never seen since)."""
    met_on = day - dt.timedelta(days=cadence)
    return network.contact_create(owner=owner, full_name=full_name, cadence_days=cadence, met_on=met_on, **fields)


def _at(day: dt.date, hour: int, minute: int = 0, zone=PARIS) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def _reminders(member) -> list[Notification]:
    return list(Notification.objects.filter(recipient=member, kind=Kind.RECONNECT).order_by("created_at", "id"))


def _text(notification: Notification, language: str = "en") -> str:
    with translation.override(language):
        return render_message(notification)


def test_it_reminds_the_owner_the_day_a_contact_becomes_due(owner):
    _due_on(owner, "Inès Moreau")

    assert reconnect_reminders_send(now=NOW) == 1

    [reminder] = _reminders(owner)
    assert _text(reminder) == "Time to reconnect with Inès Moreau."
    assert reminder.url == reverse("network:due_list")
    assert reminder.key == "reconnect:2026-11-23"


def test_it_waits_for_eight_in_the_morning(owner):
    _due_on(owner, "Inès Moreau")

    assert reconnect_reminders_send(now=_at(TODAY, 0, 5)) == 0
    assert reconnect_reminders_send(now=_at(TODAY, 7, 59)) == 0
    assert reconnect_reminders_send(now=_at(TODAY, 8, 0)) == 1


def test_a_member_in_another_time_zone_hears_at_their_own_eight(owner, member):
    profile_update(profile=member.profile, time_zone="America/Montreal")
    _due_on(owner, "Inès Moreau")
    _due_on(member, "Paul Girard")

    reconnect_reminders_send(now=_at(TODAY, 8, 0))  # 02:00 in Montreal
    assert len(_reminders(owner)) == 1 and _reminders(member) == []

    reconnect_reminders_send(now=_at(TODAY, 7, 59, MONTREAL))
    assert _reminders(member) == []

    reconnect_reminders_send(now=_at(TODAY, 8, 0, MONTREAL))  # 14:00 in Paris
    [reminder] = _reminders(member)
    assert reminder.key == "reconnect:2026-11-23" and _text(reminder) == "Time to reconnect with Paul Girard."


def test_the_day_is_the_members_own_day(member):
    profile_update(profile=member.profile, time_zone="America/Montreal")
    _due_on(member, "Paul Girard", day=TODAY + dt.timedelta(days=1))

    # Tuesday 02:00 in Paris is still Monday evening in Montreal: Paul is due tomorrow there.
    assert reconnect_reminders_send(now=_at(TODAY + dt.timedelta(days=1), 2, 0)) == 0
    assert reconnect_reminders_send(now=_at(TODAY + dt.timedelta(days=1), 8, 0, MONTREAL)) == 1


def test_it_names_only_the_members_own_contacts(owner, member, stranger):
    _due_on(owner, "Inès Moreau")
    _due_on(member, "Paul Girard")

    assert reconnect_reminders_send(now=NOW) == 2

    assert [_text(n) for n in _reminders(owner)] == ["Time to reconnect with Inès Moreau."]
    assert [_text(n) for n in _reminders(member)] == ["Time to reconnect with Paul Girard."]
    assert _reminders(stranger) == []


def test_it_is_sent_once_however_often_it_runs(owner, emails_sent):
    _due_on(owner, "Inès Moreau")

    assert emails_sent(lambda: reconnect_reminders_send(now=NOW)) == 1
    assert emails_sent(lambda: reconnect_reminders_send(now=NOW + dt.timedelta(minutes=30))) == 0
    assert emails_sent(lambda: reconnect_reminders_send(now=_at(TODAY, 15, 0))) == 0

    assert len(_reminders(owner)) == 1 and len(mail.outbox) == 1


def test_it_says_nothing_on_a_day_when_no_contact_becomes_due(owner):
    _due_on(owner, "Inès Moreau", day=TODAY - dt.timedelta(days=1))  # overdue since yesterday
    _due_on(owner, "Paul Girard", day=TODAY + dt.timedelta(days=1))
    network.contact_create(owner=owner, full_name="Zoé Martin", met_on=TODAY - dt.timedelta(days=400))  # no cadence

    assert reconnect_reminders_send(now=NOW) == 0
    assert _reminders(owner) == []


def test_a_contact_overdue_that_no_reminder_named_comes_with_the_next_one(owner):
    _due_on(owner, "Inès Moreau", day=TODAY - dt.timedelta(days=3))
    _due_on(owner, "Paul Girard")

    reconnect_reminders_send(now=NOW)

    assert [_text(n) for n in _reminders(owner)] == ["Time to reconnect with Inès Moreau and Paul Girard."]


def test_a_contact_already_named_is_not_named_again_the_next_days(owner):
    _due_on(owner, "Inès Moreau")
    _due_on(owner, "Paul Girard", day=TODAY + dt.timedelta(days=1))
    reconnect_reminders_send(now=NOW)

    reconnect_reminders_send(now=NOW + dt.timedelta(days=1))

    assert [_text(n) for n in _reminders(owner)] == [
        "Time to reconnect with Inès Moreau.",
        "Time to reconnect with Paul Girard.",
    ]


def test_a_contact_due_anew_after_a_snooze_is_named_again(owner):
    ines = _due_on(owner, "Inès Moreau")
    reconnect_reminders_send(now=NOW)
    network.contact_snooze(contact=ines, days=14, today=TODAY)

    assert reconnect_reminders_send(now=NOW + dt.timedelta(days=13)) == 0
    assert reconnect_reminders_send(now=NOW + dt.timedelta(days=14)) == 1
    assert [_text(n) for n in _reminders(owner)] == ["Time to reconnect with Inès Moreau."] * 2


def test_archived_contacts_are_neither_named_nor_a_reason_to_remind(owner):
    archived = _due_on(owner, "Inès Moreau")
    network.contact_set_archived(contact=archived, archived=True)

    assert reconnect_reminders_send(now=NOW) == 0

    _due_on(owner, "Paul Girard")
    reconnect_reminders_send(now=NOW)
    assert [_text(n) for n in _reminders(owner)] == ["Time to reconnect with Paul Girard."]


def test_turned_off_it_sends_nothing(owner, emails_sent):
    _due_on(owner, "Inès Moreau")
    preferences_save(member=owner, choices={Kind.RECONNECT: (False, False)})

    assert emails_sent(lambda: reconnect_reminders_send(now=NOW)) == 0

    assert _reminders(owner) == [] and mail.outbox == []


def test_with_the_email_turned_off_it_shows_in_the_app_only(owner, emails_sent):
    _due_on(owner, "Inès Moreau")
    preferences_save(member=owner, choices={Kind.RECONNECT: (True, False)})

    emails_sent(lambda: reconnect_reminders_send(now=NOW))

    assert [n.in_app for n in _reminders(owner)] == [True] and mail.outbox == []


@pytest.mark.parametrize(
    ("names", "english", "french"),
    [
        (5, "and 2 more.", "et 2 autres personnes."),
        (4, "and 1 more.", "et 1 autre personne."),
    ],
)
def test_it_names_three_then_counts_the_others(owner, names, english, french):
    for name in ["Ana Roy", "Bruno Petit", "Chloé Morel", "Denis Faure", "Emma Blanc"][:names]:
        _due_on(owner, name)

    reconnect_reminders_send(now=NOW)

    [reminder] = _reminders(owner)
    assert _text(reminder) == f"Time to reconnect with Ana Roy, Bruno Petit, Chloé Morel {english}"
    assert _text(reminder, "fr") == f"Il est temps de reprendre contact avec Ana Roy, Bruno Petit, Chloé Morel {french}"


def test_the_email_speaks_the_members_language_and_carries_the_unsubscribe_link(
    owner, member, set_language, emails_sent
):
    set_language(owner, "fr")
    set_language(member, "en")
    _due_on(owner, "Inès Moreau")
    _due_on(owner, "Paul Girard")
    _due_on(member, "Zoé Martin")

    emails_sent(lambda: reconnect_reminders_send(now=NOW))

    by_recipient = {m.to[0]: m for m in mail.outbox}
    french, english = by_recipient[owner.email], by_recipient[member.email]
    assert french.subject == "[Cercle] Il est temps de reprendre contact avec Inès Moreau et Paul Girard."
    assert "Des nouvelles à prendre" in french.body
    assert english.subject == "[Cercle] Time to reconnect with Zoé Martin."
    assert "Inès" not in english.body and "Zoé" not in french.body
    for message, recipient in [(french, owner), (english, member)]:
        assert "http://127.0.0.1:8000/network/due/" in message.body
        link = message.extra_headers["List-Unsubscribe"].strip("<>")
        assert link in message.body
        assert unsubscribe_read(link.rstrip("/").rsplit("/", 1)[1]) == (recipient.pk, Kind.RECONNECT)


def test_the_preferences_page_lists_it(client_of, owner, settings):
    client = client_of(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = client.get(reverse("notifications:preferences"))

    assert "Des nouvelles à prendre (rappels pour garder le contact)" in response.content.decode()


def test_members_without_a_contact_due_today_cost_no_query(owner, make_member):
    _due_on(owner, "Inès Moreau")
    with CaptureQueriesContext(connection) as alone:
        assert len(reconnect_due(now=NOW)) == 1
    for n in range(4):
        other = make_member(f"membre{n}@example.org")
        _due_on(other, "Paul Girard", day=TODAY + dt.timedelta(days=1))  # due tomorrow: looked at, not reminded
        _due_on(other, "Zoé Martin", day=TODAY - dt.timedelta(days=5))

    with CaptureQueriesContext(connection) as among_others:
        assert len(reconnect_due(now=NOW)) == 1

    assert len(among_others) == len(alone)


def test_the_command_sends_the_reminders_due_now(owner, capsys, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    _due_on(owner, "Inès Moreau")

    call_command("send_reconnect_reminders")

    assert "1 reconnect reminders recorded" in capsys.readouterr().out
    assert len(_reminders(owner)) == 1


def test_the_task_sends_them_too(owner, monkeypatch):
    from django.utils import timezone

    from notifications.tasks import send_reconnect_reminders

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    _due_on(owner, "Inès Moreau")

    result = send_reconnect_reminders.enqueue()

    assert result.return_value == 1 and len(_reminders(owner)) == 1
