"""Organizers plan, edit and cancel events; series; those who answered are told; the event page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from circles.models import Role
from circles.vocab import FAMILY_PROS_CONS, Family
from events import services
from events.models import Event
from events.vocab import FORMAT_PROS_CONS, EventFormat
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def _form(circle, *, in_circle: bool = True, **overrides) -> dict:
    data = {
        "circle": circle.pk if in_circle else None,
        "title": "Déjeuner des indépendant·es",
        "format": "lunch",
        "family": "",
        "description": "On se retrouve **au port**.",
        "starts_at": "2030-03-14T12:15",
        "ends_at": "2030-03-14T14:00",
        "time_zone": "Europe/Paris",
        "recurrence": "",
        "venue": "Le Comptoir",
        "address": "4 rue du Commerce",
        "city_query": "",
        "city": "",
        "language": "fr",
        "topics": "entrepreneuriat, marketing",
        "capacity": "12",
        "is_free": "on",
        "price": "",
        "ticket_url": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Who plans ---------------------------------------------------------------------------------


def test_an_organizer_plans_an_event_from_the_form(client_of, owner, circle, cities):
    client = client_of(owner)
    response = client.post(
        reverse("events:event_create"), _form(circle, city_query="Marseille", city=cities["Marseille"].pk)
    )
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("events:event_detail", args=[event.pk])
    assert event.circle == circle and event.created_by == owner
    assert event.family == circle.family  # "as the circle"
    assert event.topics == ["entrepreneuriat", "marketing"]
    assert event.city == cities["Marseille"]
    # Typed as wall-clock time in the event's zone.
    assert timezone.localtime(event.starts_at, PARIS).replace(tzinfo=None) == dt.datetime(2030, 3, 14, 12, 15)


def test_times_are_read_in_the_events_own_time_zone(client_of, owner, circle):
    client_of(owner).post(reverse("events:event_create"), _form(circle, time_zone="America/Montreal"))
    event = Event.objects.get()
    assert event.starts_at == dt.datetime(2030, 3, 14, 12, 15, tzinfo=ZoneInfo("America/Montreal"))


def test_the_form_offers_only_the_circles_i_organize(client_of, owner, circle, make_circle, join, member):
    other = make_circle(name="Club des autres")
    join(owner, other)  # a plain member there
    page = client_of(owner).get(reverse("events:event_create")).content.decode()
    assert circle.name in page and "Club des autres" not in page
    response = client_of(owner).post(reverse("events:event_create"), _form(other))
    assert response.status_code == 200 and not Event.objects.exists()


def test_a_member_who_organizes_nothing_cannot_plan(client_of, member, circle):
    assert client_of(member).get(reverse("events:event_create")).status_code == 404
    assert client_of(member).post(reverse("events:event_create"), _form(circle)).status_code == 404
    assert not Event.objects.exists()


def test_the_service_refuses_non_organizers(member, circle):
    start = timezone.now() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        services.event_create(
            organizer=member, circle=circle, title="x", format="lunch", starts_at=start, ends_at=start
        )
    assert error.value.messages == [str(services.NOT_AN_ORGANIZER)]


def test_an_event_cannot_end_before_it_starts(owner, circle, client_of):
    response = client_of(owner).post(reverse("events:event_create"), _form(circle, ends_at="2030-03-14T11:00"))
    assert response.status_code == 200 and not Event.objects.exists()
    start = timezone.now() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        services.event_create(
            organizer=owner, circle=circle, title="x", format="lunch", starts_at=start,
            ends_at=start - dt.timedelta(hours=1),
        )  # fmt: skip
    assert error.value.messages == [str(services.ENDS_BEFORE_START)]


def test_a_priced_event_needs_a_price_or_a_ticket_link(owner, circle, client_of):
    client = client_of(owner)
    response = client.post(reverse("events:event_create"), _form(circle, is_free=None))
    assert response.status_code == 200 and not Event.objects.exists()
    client.post(reverse("events:event_create"), _form(circle, is_free=None, price="15 €"))
    assert Event.objects.get().price == "15 €"


# --- Series ------------------------------------------------------------------------------------


def test_a_weekly_series_keeps_the_wall_clock_time_across_summer_time(owner, circle):
    # 8:00 in Paris on Tuesday 4 March 2031; summer time starts on 30 March.
    start = dt.datetime(2031, 3, 4, 8, 0, tzinfo=PARIS)
    head = services.event_create(
        organizer=owner, circle=circle, recurrence="weekly", title="Petit-déj", format="breakfast",
        starts_at=start, ends_at=start + dt.timedelta(minutes=90),
    )  # fmt: skip
    series = [head, *head.occurrences.order_by("starts_at")]
    assert len(series) == services.SERIES_MAX_OCCURRENCES
    local = [timezone.localtime(e.starts_at, PARIS) for e in series]
    assert all((t.hour, t.minute, t.weekday()) == (8, 0, 1) for t in local)
    assert all(e.ends_at - e.starts_at == dt.timedelta(minutes=90) for e in series)
    assert local[-1].date() == dt.date(2031, 5, 20)


def test_a_monthly_series_stops_at_the_six_month_horizon(owner, circle):
    start = dt.datetime(2031, 1, 31, 19, 0, tzinfo=PARIS)
    head = services.event_create(
        organizer=owner, circle=circle, recurrence="monthly", title="Soirée", format="evening",
        starts_at=start, ends_at=start + dt.timedelta(hours=3),
    )  # fmt: skip
    days = [timezone.localtime(e.starts_at, PARIS).date() for e in [head, *head.occurrences.order_by("starts_at")]]
    assert days == [
        dt.date(2031, 1, 31), dt.date(2031, 2, 28), dt.date(2031, 3, 31), dt.date(2031, 4, 30),
        dt.date(2031, 5, 31), dt.date(2031, 6, 30), dt.date(2031, 7, 31),
    ]  # fmt: skip


def test_the_form_creates_a_series(client_of, owner, circle):
    client_of(owner).post(reverse("events:event_create"), _form(circle, recurrence="weekly"))
    assert Event.objects.count() == services.SERIES_MAX_OCCURRENCES
    assert Event.objects.filter(series__isnull=False).count() == services.SERIES_MAX_OCCURRENCES - 1


# --- Editing and cancelling --------------------------------------------------------------------


def test_editing_tells_those_who_answered(client_of, owner, member, stranger, circle, event, members_of, join):
    services.rsvp_submit(member=member, event=event, going=True)
    (declined,) = members_of(circle, 1)
    services.rsvp_submit(member=declined, event=event, going=False)
    response = client_of(owner).post(
        reverse("events:event_edit", args=[event.pk]),
        _form(
            circle,
            in_circle=False,
            title="Petit-déjeuner déplacé",
            starts_at="2030-03-15T08:00",
            ends_at="2030-03-15T09:30",
            capacity="10",
        ),  # fmt: skip
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Petit-déjeuner déplacé"
    note = Notification.objects.get(recipient=member, kind=Kind.EVENT_CHANGED)
    # The new date is written out (events/tests/test_event_changes.py reads it in both languages).
    assert note.message == services.MSG_EVENT_MOVED_IN_TIME and note.params["title"] == "Petit-déjeuner déplacé"
    assert note.params["itip"] == "REQUEST"  # its e-mail updates the member's calendar
    assert note.url == reverse("events:event_detail", args=[event.pk])
    assert not Notification.objects.filter(recipient__in=[declined, owner, stranger]).exists()


def test_saving_without_a_change_tells_nobody(owner, member, event):
    services.rsvp_submit(member=member, event=event, going=True)
    services.event_update(organizer=owner, event=event, title=event.title)
    assert not Notification.objects.filter(kind=Kind.EVENT_CHANGED).exists()


def test_only_organizers_edit_or_cancel(member, stranger, event, client_of):
    for user in (member, stranger):
        with pytest.raises(ValidationError):
            services.event_update(organizer=user, event=event, title="Pirate")
        with pytest.raises(ValidationError):
            services.event_cancel(organizer=user, event=event)
        client = client_of(user)
        assert client.post(reverse("events:event_edit", args=[event.pk]), {"title": "Pirate"}).status_code == 404
        assert client.post(reverse("events:event_cancel", args=[event.pk])).status_code == 404
    event.refresh_from_db()
    assert event.title != "Pirate" and event.state == "scheduled"


def test_a_former_organizer_no_longer_manages(owner, event, circle):
    circle.memberships.filter(member=owner).update(role=Role.MEMBER)
    with pytest.raises(ValidationError):
        services.event_cancel(organizer=owner, event=event)


def test_cancelling_tells_those_going_or_waiting(client_of, owner, member, circle, make_event, members_of):
    event = make_event(circle, owner, capacity=1)
    (waiting,) = members_of(circle, 1)
    services.rsvp_submit(member=member, event=event, going=True)
    services.rsvp_submit(member=waiting, event=event, going=True)
    client = client_of(owner)
    assert client.get(reverse("events:event_cancel", args=[event.pk])).status_code == 200
    response = client.post(reverse("events:event_cancel", args=[event.pk]))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.state == Event.State.CANCELLED
    for person in (member, waiting):
        note = Notification.objects.get(recipient=person, kind=Kind.EVENT_CHANGED)
        assert note.message == services.MSG_EVENT_CANCELLED
    with pytest.raises(ValidationError) as error:
        services.event_cancel(organizer=owner, event=event)
    assert error.value.messages == [str(services.ALREADY_CANCELLED)]
    page = client.get(reverse("events:event_detail", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "This event is cancelled." in page.content.decode()


def test_a_cancelled_event_cannot_be_edited(owner, event, client_of):
    services.event_cancel(organizer=owner, event=event)
    assert client_of(owner).get(reverse("events:event_edit", args=[event.pk])).status_code == 404
    with pytest.raises(ValidationError):
        services.event_update(organizer=owner, event=event, title="Renamed")


# --- The event page ----------------------------------------------------------------------------


def test_the_description_is_markdown_and_sanitized(owner, circle, make_event, client):
    event = make_event(
        circle, owner,
        description="**Bienvenue** <script>alert('x')</script> [lien](javascript:alert(1)) "
        '<img src=x onerror="alert(2)"> <a href="https://example.org" onclick="steal()">site</a>',
    )  # fmt: skip
    page = client.get(reverse("events:event_detail", args=[event.pk])).content.decode()
    assert "<strong>Bienvenue</strong>" in page
    assert "<script>alert" not in page and "alert('x')" not in page
    assert "javascript:" not in page and "onerror" not in page and "onclick" not in page
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow ugc">site</a>' in page


@pytest.mark.parametrize("fmt", EventFormat.values)
def test_the_page_shows_the_pros_and_cons_of_the_format_and_the_family(owner, circle, make_event, client, fmt):
    event = make_event(circle, owner, format=fmt, family=Family.TECH)
    page = client.get(reverse("events:event_detail", args=[event.pk])).content.decode()
    pro, con = FORMAT_PROS_CONS[fmt]
    family_pro, family_con = FAMILY_PROS_CONS[Family.TECH]
    for text in (pro, con, family_pro, family_con):
        assert str(text).replace("'", "&#x27;") in page


def test_the_pros_and_cons_are_translated(owner, circle, make_event, client):
    from django.utils import translation

    event = make_event(circle, owner, format="breakfast")
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("events:event_detail", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    with translation.override("fr"):
        expected = str(FORMAT_PROS_CONS[EventFormat.BREAKFAST][0])
    assert expected.replace("'", "&#x27;") in page


def test_the_page_shows_the_seats_left_and_my_waitlist_position(client_of, owner, member, circle, make_event):
    event = make_event(circle, owner, capacity=1)
    client = client_of(member)
    page = client.get(reverse("events:event_detail", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 seat left of 1" in page
    services.rsvp_submit(member=owner, event=event, going=True)
    response = client.post(reverse("events:event_rsvp", args=[event.pk]), {"going": "yes"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    page = client.get(reverse("events:event_detail", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Full" in page and "You are number 1 on the waitlist." in page


def test_rsvp_buttons_answer_with_a_guest(client_of, member, owner, circle, make_event):
    event = make_event(circle, owner, capacity=5, allow_guest=True)
    client = client_of(member)
    page = client.get(reverse("events:event_detail", args=[event.pk])).content.decode()
    assert 'name="with_guest"' in page
    client.post(
        reverse("events:event_rsvp", args=[event.pk]), {"going": "yes", "with_guest": "on", "guest_name": "Léa"}
    )
    rsvp = event.rsvps.get(member=member)
    assert (rsvp.status, rsvp.seats, rsvp.guest_name) == ("going", 2, "Léa")
    client.post(reverse("events:event_rsvp", args=[event.pk]), {"going": "no"})
    rsvp.refresh_from_db()
    assert (rsvp.status, rsvp.seats) == ("not_going", 0)


def test_a_refused_guest_is_explained(client_of, member, event):
    response = client_of(member).post(
        reverse("events:event_rsvp", args=[event.pk]), {"going": "yes", "with_guest": "on"}, follow=True
    )
    assert str(services.GUEST_NOT_ALLOWED).replace("'", "&#x27;") in response.content.decode()
    assert not event.rsvps.exists()


def test_dates_are_localized(owner, circle, make_event, client):
    start = dt.datetime(2030, 3, 14, 12, 15, tzinfo=PARIS)
    event = make_event(circle, owner)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=2))
    french = client.get(reverse("events:event_detail", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    english = client.get(reverse("events:event_detail", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Jeudi 14 mars 2030, 12:15" in french
    assert "Thursday March 14, 2030, 12:15 p.m." in english
