"""The weekly digest: events in my circles and my city, new like-minded members as privacy allows,
people to reconnect with — in my language, once a week, never empty."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from network import services as network
from notifications.digest import digest_for, digest_send, digests_enqueue
from notifications.emails import as_recipient
from notifications.models import Kind, Notification
from notifications.services import preferences_save
from notifications.tests.conftest import NOW, PARIS
from people.models import Discoverability
from people.services import consent_update

pytestmark = pytest.mark.django_db


def in_days(days: float) -> dt.datetime:
    return NOW + dt.timedelta(days=days)


@pytest.fixture
def week(owner, member, make_member, make_circle, join, make_event):
    """Hélène's week: she is in Tech Marseille (active) and follows Club Lyon remotely."""
    tech = make_circle("Tech Marseille")
    lyon = make_circle("Club Lyon", city="Lyon")
    public = make_circle("Petits-déjeuners du Vieux-Port", family="business")
    unlisted = make_circle("Cercle discret", visibility="unlisted")
    join(owner, tech, created_at=in_days(-200))
    join(owner, lyon, participation="remote", created_at=in_days(-200))

    make_event("Apéro Tech", in_days(2), circle=tech)
    make_event("Conférence lyonnaise", in_days(3), circle=lyon, city="Lyon")
    make_event("Petit-déjeuner du port", in_days(4), circle=public)
    make_event("Agenda importé", in_days(5), circle=None)
    make_event("Soirée discrète", in_days(1), circle=unlisted)  # unlisted, not her circle
    make_event("Trop tard", in_days(8), circle=tech)
    make_event("Déjà passé", in_days(-1), circle=tech)
    make_event("Annulé", in_days(2), circle=tech, state="cancelled")
    make_event("Ailleurs", in_days(2), circle=make_circle("Lille Tech", city="Lille"), city="Lille")

    def newcomer(email, name, values, joined_days_ago=2, circle=tech, discoverability="members", levels=None):
        person = make_member(email, display_name=name, values=values, discoverability=discoverability)
        if levels:
            consent_update(profile=person.profile, discoverability=discoverability, visibility=levels)
        join(person, circle, created_at=in_days(-joined_days_ago))
        return person

    newcomer("nadia@example.org", "Nadia Benali", ["openness", "kindness"])
    newcomer(
        "camille@example.org", "Camille Roux", ["direct_talk"], circle=lyon, discoverability=Discoverability.CIRCLES
    )
    newcomer("hugo@example.org", "Hugo Caché", ["openness"], discoverability=Discoverability.HIDDEN)
    newcomer("anonyme@example.org", "Nom Secret", ["openness"], levels={"name": "only_me"})
    newcomer("valeurs@example.org", "Valeurs Secrètes", ["openness"], levels={"values": "only_me"})
    newcomer("ancien@example.org", "Ancien Membre", ["openness"], joined_days_ago=10)
    newcomer("autre@example.org", "Autres Valeurs", ["ambition"])
    join(member, tech, status="requested", created_at=in_days(-1))  # not a member yet

    for i in range(7):
        network.contact_create(
            owner=owner, full_name=f"Contact {i}", cadence_days=30, met_on=dt.date(2026, 1, 1) + dt.timedelta(days=i)
        )
    network.contact_create(owner=owner, full_name="Pas encore", cadence_days=30, met_on=dt.date(2026, 11, 20))
    network.contact_create(owner=member, full_name="Contact de Marc", cadence_days=7, met_on=dt.date(2026, 1, 1))


def _digest(member, language="en"):
    member.profile.language = language
    with as_recipient(member):
        return digest_for(member=member, now=NOW)


def test_it_lists_the_coming_week_in_my_circles_then_in_my_city(owner, week):
    digest = _digest(owner)

    assert [e.title for e in digest.circle_events] == ["Apéro Tech", "Conférence lyonnaise"]
    assert [e.title for e in digest.city_events] == ["Petit-déjeuner du port", "Agenda importé"]
    assert digest.city == "Marseille"


def test_it_names_new_like_minded_members_only_as_their_settings_allow(owner, week):
    people = {p.name: p for p in _digest(owner).new_members}

    assert set(people) == {"Nadia Benali", "Camille Roux"}
    assert people["Nadia Benali"].shared_values == ["Openness"]
    assert people["Nadia Benali"].circle == "Tech Marseille"
    assert people["Camille Roux"].shared_values == ["Direct talk"]  # "my circles" lets her be found


def test_it_lists_five_people_to_reconnect_with_most_overdue_first(owner, member, week):
    assert [c.name for c in _digest(owner).reconnect] == [f"Contact {i}" for i in range(5)]
    assert [c.name for c in _digest(member).reconnect] == ["Contact de Marc"]


def test_the_digest_is_sent_in_the_members_language(owner, make_member, set_language, join, week, emails_sent):
    from circles.models import Circle

    set_language(owner, "fr")
    english = set_language(make_member("sam@example.org", display_name="Sam", values=["openness"]), "en")
    join(english, Circle.objects.get(name="Tech Marseille"), created_at=in_days(-100))

    emails_sent(lambda: [digest_send(member=who, now=NOW) for who in (owner, english)])

    by_recipient = {m.to[0]: m for m in mail.outbox}
    french, in_english = by_recipient[owner.email], by_recipient[english.email]
    french_html, english_html = french.alternatives[0][0], in_english.alternatives[0][0]
    assert "Ouverture" in french.body and "Ouverture" in french_html  # Nadia's shared value, in French
    assert "novembre" in french.body and 'lang="fr"' in french_html
    assert "Apéro Tech" in french.body and "Contact 0" in french.body
    assert "Openness" in in_english.body and "Nov. 25" in in_english.body and 'lang="en"' in english_html
    assert "Apéro Tech" in in_english.body and "Nadia Benali" in in_english.body
    assert "Contact 0" not in in_english.body  # Hélène's network is hers alone


def test_the_email_has_text_html_and_the_unsubscribe_link(owner, week, emails_sent):
    emails_sent(lambda: digest_send(member=owner, now=NOW))

    (message,) = mail.outbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    stop = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/notifications/unsubscribe/" in stop
    assert stop in message.body and stop in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Nadia Benali" in html and "Hugo" not in html and "Nom Secret" not in html
    assert "Soirée discrète" not in message.body and "Contact de Marc" not in message.body


def test_the_unsubscribe_link_of_the_digest_stops_the_digest_only(client, owner, week, emails_sent):
    from notifications.selectors import preferences_of

    emails_sent(lambda: digest_send(member=owner, now=NOW))
    stop = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:8000")

    client.post(stop)

    prefs = preferences_of(member=owner)
    assert prefs[Kind.DIGEST] == (True, False) and prefs[Kind.EVENT_REMINDER] == (True, True)


def test_it_comes_as_an_in_app_notification_too(client_of, owner, week, emails_sent):
    notification = emails_sent(lambda: digest_send(member=owner, now=NOW))

    assert notification.kind == Kind.DIGEST and notification.in_app
    assert notification.url == reverse("notifications:digest")
    assert notification.params | {"built_at": ""} == {"events": 4, "people": 2, "contacts": 5, "built_at": ""}
    body = client_of(owner).get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "new members who share your values: 2" in body


def test_remote_followers_get_it(member, make_circle, join, make_event, emails_sent):
    circle = make_circle("Club Lyon", city="Lyon")
    join(member, circle, participation="remote", created_at=in_days(-30))
    make_event("Conférence lyonnaise", in_days(3), circle=circle, city="Lyon")

    assert emails_sent(lambda: digest_send(member=member, now=NOW)) is not None
    assert len(mail.outbox) == 1 and "Conférence lyonnaise" in mail.outbox[0].body


def test_an_empty_digest_is_not_sent(stranger, emails_sent):
    assert _digest(stranger).is_empty
    assert emails_sent(lambda: digest_send(member=stranger, now=NOW)) is None
    assert mail.outbox == [] and not Notification.objects.exists()


def test_it_goes_out_once_a_week(owner, week, emails_sent):
    assert emails_sent(lambda: digest_send(member=owner, now=NOW)) is not None
    assert emails_sent(lambda: digest_send(member=owner, now=NOW + dt.timedelta(days=3))) is None
    assert emails_sent(lambda: digest_send(member=owner, now=NOW + dt.timedelta(days=7))) is not None
    assert len(mail.outbox) == 2


def test_it_follows_the_digest_preferences(owner, week, emails_sent):
    preferences_save(member=owner, choices={Kind.DIGEST: (True, False)})
    notification = emails_sent(lambda: digest_send(member=owner, now=NOW))
    assert notification.in_app and mail.outbox == []

    Notification.objects.all().delete()
    preferences_save(member=owner, choices={Kind.DIGEST: (False, True)})
    notification = emails_sent(lambda: digest_send(member=owner, now=NOW))
    assert not notification.in_app and len(mail.outbox) == 1

    Notification.objects.all().delete()
    preferences_save(member=owner, choices={Kind.DIGEST: (False, False)})
    assert emails_sent(lambda: digest_send(member=owner, now=NOW)) is None


def test_times_are_in_the_members_time_zone(owner, week):
    event = _digest(owner).circle_events[0]
    assert event.starts_at.astimezone(PARIS) == in_days(2)


def test_the_digest_page_shows_my_week_live(client_of, owner, member, make_circle, join, make_event):
    circle = make_circle("Tech Marseille")
    join(owner, circle, created_at=in_days(-30))
    make_event("Apéro Tech", dt.datetime.now(PARIS) + dt.timedelta(days=2), circle=circle)

    mine = client_of(owner).get(reverse("notifications:digest")).content.decode()
    assert "Apéro Tech" in mine
    theirs = client_of(member).get(reverse("notifications:digest")).content.decode()
    assert "Apéro Tech" not in theirs


def test_every_active_member_gets_a_digest_task(owner, member, stranger, make_circle, join, make_event):
    circle = make_circle("Tech Marseille")
    join(owner, circle, created_at=in_days(-30))
    make_event("Apéro Tech", dt.datetime.now(PARIS) + dt.timedelta(days=2), circle=circle)
    stranger.is_active = False
    stranger.save(update_fields=["is_active"])

    assert digests_enqueue() == 2  # the tests' backend runs each member's task at once
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [owner.pk]


def test_the_scheduler_hour_picks_who_it_is_monday_seven_for(owner, member, stranger, dummy_tasks):
    from notifications.tasks import send_weekly_digests

    member.profile.time_zone = "America/Montreal"
    member.profile.save(update_fields=["time_zone"])
    stranger.profile.time_zone = "Asia/Kolkata"  # UTC+05:30: its 07:xx starts on the half hour
    stranger.profile.save(update_fields=["time_zone"])

    def queued_for(hour_utc: dt.datetime, since: dt.datetime | None = None) -> set[int]:
        dummy_tasks.clear()
        send_weekly_digests.call(since=since and since.isoformat(), period=hour_utc.isoformat())
        return {result.kwargs["member_id"] for result in dummy_tasks.results}

    monday = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
    assert queued_for(monday.replace(hour=6)) == {owner.pk}  # 07:00 in Paris (winter)
    assert queued_for(monday.replace(hour=12)) == {member.pk}  # 07:00 in Montreal
    assert queued_for(monday.replace(hour=1)) == set()  # 06:30 in Kolkata
    assert queued_for(monday.replace(hour=2)) == {stranger.pk}  # 07:30 in Kolkata
    assert queued_for(monday.replace(hour=7)) == set()  # 08:00 in Paris: already done this week
    summer_monday = dt.datetime(2026, 6, 1, 5, tzinfo=dt.UTC)
    assert queued_for(summer_monday) == {owner.pk}  # 07:00 in Paris (summer time)
    assert queued_for(monday.replace(day=8, hour=6)) == set()  # a Tuesday
    # A scheduler stopped from Sunday night to Monday 14:00 catches up on everyone's 07:00.
    assert queued_for(monday.replace(hour=14), since=monday - dt.timedelta(hours=2)) == {
        owner.pk,
        member.pk,
        stranger.pk,
    }


def test_an_odd_time_zone_falls_back_to_paris_instead_of_breaking_everyones_digest(owner, member, dummy_tasks):
    from notifications.digest import digests_enqueue

    member.profile.time_zone = "Europe"  # a folder of the zone database, not a zone
    member.profile.save(update_fields=["time_zone"])
    monday_seven_paris = dt.datetime(2026, 12, 7, 6, tzinfo=dt.UTC)
    assert digests_enqueue(between=(monday_seven_paris - dt.timedelta(hours=1), monday_seven_paris)) == 2


def test_the_command_queues_the_digests(owner, member, capsys):
    call_command("send_digests")
    assert "2 digests queued" in capsys.readouterr().out


def test_the_command_can_send_one_members_digest(owner, make_circle, join, make_event, capsys):
    circle = make_circle("Tech Marseille")
    join(owner, circle, created_at=in_days(-30))
    make_event("Apéro Tech", dt.datetime.now(PARIS) + dt.timedelta(days=2), circle=circle)

    call_command("send_digests", "--member", owner.email.upper())

    assert "digest sent" in capsys.readouterr().out
    assert Notification.objects.filter(recipient=owner, kind=Kind.DIGEST).count() == 1
