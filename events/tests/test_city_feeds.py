"""A city's agenda is public: only operators (staff) and the members they trust with the
`events.publish_city_feeds` permission add feeds to it. Anyone can start a circle, and a circle's
feed fills that circle only: its events never reach the public agenda."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from circles.models import Visibility
from events import feeds
from events.feeds import CITY_FEEDS_FOR_OPERATORS, FeedError, feed_import, feed_refresh, feed_register
from events.ical import NOT_ALLOWED
from events.models import Event, IcalFeed
from events.tests.test_agenda import agenda_event, make_agenda_circle, titles
from events.tests.test_ical_import import feed_bytes, vevent

pytestmark = pytest.mark.django_db


def soon(days: float) -> dt.datetime:
    return timezone.now().replace(microsecond=0) + dt.timedelta(days=days)


@pytest.fixture
def own_circle(stranger, cities):
    """The circle any member can start, organized by the stranger, in Marseille."""
    return make_agenda_circle(
        slug="mon-cercle", visibility=Visibility.PUBLIC, city=cities["Marseille"], organizer=stranger
    )


def test_an_organizer_who_is_not_an_operator_cannot_add_a_feed_to_a_city(client_of, stranger, own_circle, cities):
    client = client_of(stranger)
    page = client.get(reverse("agenda:feed_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="city_query"' not in page  # the page offers only their circles
    response = client.post(
        reverse("agenda:feed_add"), {"url": "https://spam.example.org/a.ics", "city_query": "Marseille"}
    )
    assert response.status_code == 400
    with pytest.raises(FeedError) as refused:
        feed_register(url="https://spam.example.org/a.ics", city=cities["Marseille"], created_by=stranger)
    assert str(refused.value) == str(CITY_FEEDS_FOR_OPERATORS)
    assert not IcalFeed.objects.exists()


def test_a_member_an_operator_trusts_may_add_city_feeds(client_of, stranger, own_circle, cities, monkeypatch):
    monkeypatch.setattr(feeds, "fetch_url", lambda *, url: b"")
    stranger.user_permissions.add(Permission.objects.get(codename="publish_city_feeds"))
    client = client_of(stranger)
    assert 'name="city_query"' in client.get(reverse("agenda:feed_list")).content.decode()
    both = {"url": "https://agenda.example.org/1.ics", "circle": own_circle.pk, "city_query": "Lyon"}
    assert client.post(reverse("agenda:feed_add"), both).status_code == 400  # a city or a circle, not both
    response = client.post(
        reverse("agenda:feed_add"), {"url": "https://agenda.example.org/1.ics", "city_query": "Marseille"}
    )
    assert response.status_code == 302
    assert IcalFeed.objects.get().city == cities["Marseille"]


def test_events_of_a_circle_feed_stay_off_the_public_agenda(client, own_circle, cities):
    circle_feed = IcalFeed.objects.create(url="https://spam.example.org/a.ics", circle=own_circle)
    feed_import(feed=circle_feed, data=feed_bytes(vevent("spam@test", "Promo du cercle", soon(2))))
    city_feed = IcalFeed.objects.create(url="https://mairie.example.org/a.ics", city=cities["Marseille"])
    feed_import(feed=city_feed, data=feed_bytes(vevent("mairie@test", "Fête de quartier", soon(2))))
    agenda_event(title="Petit-déjeuner du cercle", city=cities["Marseille"], circle=own_circle, in_days=2)

    shown = titles(client.get(reverse("agenda:agenda"), {"city": cities["Marseille"].pk, "city_query": "Marseille"}))
    assert "Fête de quartier" in shown and "Petit-déjeuner du cercle" in shown
    assert "Promo du cercle" not in shown
    # Still the circle's event, seen as the circle is.
    imported = Event.objects.get(uid="spam@test")
    assert imported.circle == own_circle
    assert client.get(reverse("events:event_detail", args=[imported.pk])).status_code == 200


def test_a_city_feed_whose_registrant_is_no_longer_trusted_is_not_fetched(stranger, cities):
    feed = IcalFeed.objects.create(url="https://spam.example.org/a.ics", city=cities["Marseille"], created_by=stranger)
    fetched = []
    result = feed_refresh(feed=feed, fetcher=lambda *, url: fetched.append(url) or b"")
    assert result is None and fetched == []
    feed.refresh_from_db()
    assert feed.last_counts["rejected_reason"]["code"] == NOT_ALLOWED
    assert not Event.objects.exists()
