"""Calendars out: an .ics per event, a feed per public circle, my private feed of RSVPs (revocable)."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from circles.models import Membership, Status, Visibility
from events.ical import calendar_token_renew, parse_feed
from events.models import CalendarToken, Event, Rsvp, RsvpStatus
from events.tests.test_agenda import agenda_event, make_agenda_circle

pytestmark = pytest.mark.django_db


def parsed(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(component["SUMMARY"]): component for component in calendar.walk("VEVENT")}


@pytest.fixture
def circles(owner, member, cities):
    return {
        visibility: make_agenda_circle(
            slug=f"cal-{visibility}", visibility=visibility, city=cities["Marseille"], organizer=owner, members=[member]
        )
        for visibility in Visibility.values
    }


def rsvp(event, user, status=RsvpStatus.GOING) -> Rsvp:
    return Rsvp.objects.create(event=event, member=user, status=status, seats=1 if status == RsvpStatus.GOING else 0)


# --- One event --------------------------------------------------------------------------------


def test_an_event_downloads_as_valid_icalendar_with_its_time_zone(client, cities, circles):
    event = agenda_event(
        title="Petit-déjeuner du Vieux-Port",
        city=cities["Marseille"],
        circle=circles[Visibility.PUBLIC],
        venue="Café de la Plage",
        topics=["réseau"],
        time_zone="Europe/Paris",
        description="Croissants & cartes de visite",
    )
    response = client.get(reverse("agenda:event_ics", kwargs={"event_id": event.pk}))
    assert 'filename="cercle-event-' in response["Content-Disposition"]
    calendar = parsed(response)
    assert calendar["VERSION"] == "2.0" and "Cercle" in str(calendar["PRODID"])
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Paris"]
    (component,) = calendar.walk("VEVENT")
    assert str(component["SUMMARY"]) == "Petit-déjeuner du Vieux-Port"
    assert str(component["UID"]) == f"event-{event.pk}@127.0.0.1"
    assert component["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.starts_at == component.DTSTART and event.ends_at == component.DTEND
    assert component.DTSTART.tzinfo == ZoneInfo("Europe/Paris")
    assert component["DTSTAMP"].dt.tzinfo is not None
    assert "SEQUENCE" in component and component["LAST-MODIFIED"].dt == event.updated_at.replace(microsecond=0)
    assert str(component["STATUS"]) == "CONFIRMED"
    assert str(component["URL"]).endswith(reverse("events:event_detail", kwargs={"event_id": event.pk}))
    assert "Café de la Plage" in str(component["LOCATION"]) and "Marseille" in str(component["LOCATION"])
    assert str(component["DESCRIPTION"]) == "Croissants & cartes de visite"


def test_a_cancelled_event_says_so(client, cities):
    event = agenda_event(title="Annulé", city=cities["Lyon"], state=Event.State.CANCELLED)
    (component,) = parsed(client.get(reverse("agenda:event_ics", kwargs={"event_id": event.pk}))).walk("VEVENT")
    assert str(component["STATUS"]) == "CANCELLED"


def test_a_change_raises_the_sequence(client, cities):
    event = agenda_event(title="Déjeuner", city=cities["Lyon"])
    url = reverse("agenda:event_ics", kwargs={"event_id": event.pk})
    (before,) = parsed(client.get(url)).walk("VEVENT")
    Event.objects.filter(pk=event.pk).update(updated_at=event.updated_at + dt.timedelta(minutes=5), venue="Ailleurs")
    (after,) = parsed(client.get(url)).walk("VEVENT")
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])


def test_an_unknown_event_is_404(client):
    assert client.get(reverse("agenda:event_ics", kwargs={"event_id": 999_999})).status_code == 404


def test_our_calendars_read_back_as_an_agenda_feed(client, cities):
    """What we publish, we can import: the round trip keeps titles and instants."""
    event = agenda_event(title="Conférence sécurité", city=cities["Paris"], time_zone="Europe/Paris", in_days=10)
    body = client.get(reverse("agenda:event_ics", kwargs={"event_id": event.pk})).content
    (back,) = parse_feed(data=body).events
    assert back.title == "Conférence sécurité" and back.starts_at == event.starts_at and back.format == "conference"
    assert back.time_zone == "Europe/Paris"


# --- A circle's feed --------------------------------------------------------------------------


def test_a_public_circle_has_an_open_feed_with_its_cancelled_events(client, cities, circles):
    circle = circles[Visibility.PUBLIC]
    agenda_event(title="Atelier", city=cities["Marseille"], circle=circle, in_days=5)
    agenda_event(title="Annulé", city=cities["Marseille"], circle=circle, in_days=6, state=Event.State.CANCELLED)
    agenda_event(title="Il y a longtemps", city=cities["Marseille"], circle=circle, in_days=-90)
    agenda_event(title="Ailleurs", city=cities["Marseille"], circle=circles[Visibility.MEMBERS])
    response = client.get(reverse("agenda:circle_ics", kwargs={"slug": circle.slug}))
    calendar = parsed(response)
    found = vevents(calendar)
    assert set(found) == {"Atelier", "Annulé"}
    assert str(found["Annulé"]["STATUS"]) == "CANCELLED"
    assert str(calendar["X-WR-CALNAME"]) == circle.name
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert b"X-PUBLISHED-TTL:PT1H" in response.content


@pytest.mark.parametrize("visibility", [Visibility.MEMBERS, Visibility.UNLISTED])
@pytest.mark.parametrize("viewer", ["anonymous", "stranger", "member", "owner"])
def test_other_circles_have_no_open_feed_whoever_asks(request, client, circles, visibility, viewer):
    if viewer != "anonymous":
        client.force_login(request.getfixturevalue(viewer))
    assert client.get(reverse("agenda:circle_ics", kwargs={"slug": circles[visibility].slug})).status_code == 404


# --- My private feed --------------------------------------------------------------------------


@pytest.fixture
def my_events(owner, member, stranger, cities, circles):
    """The member is going to two events, waitlisted for one, not going to one; the stranger goes too."""
    marseille = cities["Marseille"]
    going = agenda_event(title="J'y vais", city=marseille, circle=circles[Visibility.PUBLIC])
    secret = agenda_event(title="Entre nous", city=marseille, circle=circles[Visibility.UNLISTED])
    waiting = agenda_event(title="Liste d'attente", city=marseille, circle=circles[Visibility.MEMBERS])
    declined = agenda_event(title="Sans moi", city=marseille, circle=circles[Visibility.PUBLIC])
    cancelled = agenda_event(
        title="Annulé", city=marseille, circle=circles[Visibility.PUBLIC], state=Event.State.CANCELLED
    )
    other = agenda_event(title="Pas pour moi", city=marseille, circle=circles[Visibility.PUBLIC])
    rsvp(going, member)
    rsvp(secret, member)
    rsvp(waiting, member, RsvpStatus.WAITLIST)
    rsvp(declined, member, RsvpStatus.NOT_GOING)
    rsvp(cancelled, member)
    rsvp(other, stranger)
    return member


def test_my_private_feed_has_what_i_go_to_and_wait_for(client, my_events):
    token = calendar_token_renew(owner=my_events).token
    found = vevents(parsed(client.get(reverse("agenda:my_ics", kwargs={"token": token}))))
    assert set(found) == {"J'y vais", "Entre nous", "Liste d'attente", "Annulé"}
    assert str(found["Liste d'attente"]["STATUS"]) == "TENTATIVE"
    assert str(found["J'y vais"]["STATUS"]) == "CONFIRMED"
    assert str(found["Annulé"]["STATUS"]) == "CANCELLED"


def test_leaving_an_unlisted_circle_takes_its_events_out_of_my_feed(client, my_events):
    token = calendar_token_renew(owner=my_events).token
    Membership.objects.filter(member=my_events, circle__visibility=Visibility.UNLISTED).update(status=Status.LEFT)
    found = vevents(parsed(client.get(reverse("agenda:my_ics", kwargs={"token": token}))))
    assert "Entre nous" not in found and "J'y vais" in found


def test_renewing_my_address_revokes_the_old_one_and_reveals_nothing(client, client_of, my_events):
    old = calendar_token_renew(owner=my_events).token
    old_url = reverse("agenda:my_ics", kwargs={"token": old})
    assert client.get(old_url).status_code == 200

    member_client = client_of(my_events)
    response = member_client.post(reverse("agenda:calendar_renew"))
    assert response.status_code == 302
    new = CalendarToken.objects.get(owner=my_events).token
    assert new != old
    member_client.logout()

    revoked = client.get(old_url)
    unknown = client.get(reverse("agenda:my_ics", kwargs={"token": "not-a-token-at-all"}))
    assert revoked.status_code == unknown.status_code == 404
    assert revoked.content == unknown.content
    assert b"VCALENDAR" not in revoked.content and b"Entre nous" not in revoked.content
    assert client.get(reverse("agenda:my_ics", kwargs={"token": new})).status_code == 200


def test_a_deactivated_account_has_no_feed(client, my_events):
    token = calendar_token_renew(owner=my_events).token
    my_events.is_active = False
    my_events.save(update_fields=["is_active"])
    assert client.get(reverse("agenda:my_ics", kwargs={"token": token})).status_code == 404


def test_the_calendars_page_shows_my_address_once_created(client_of, member, circles):
    client = client_of(member)
    page = client.get(reverse("agenda:calendars")).content.decode()
    assert "/calendars/private/" not in page
    client.post(reverse("agenda:calendar_renew"))
    token = CalendarToken.objects.get(owner=member).token
    page = client.get(reverse("agenda:calendars")).content.decode()
    assert f"/calendars/private/{token}.ics" in page and "webcal://" in page
    # My public circle's open feed is offered; the others are not.
    assert reverse("agenda:circle_ics", kwargs={"slug": circles[Visibility.PUBLIC].slug}) in page
    assert circles[Visibility.UNLISTED].slug not in page
