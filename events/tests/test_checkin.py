"""Check-in by organizers: from the list, or from the page the URL in an attendee's ticket QR code
opens (who, for which event; the "Check in" button checks them in). Checking in is open from 24 h
before the event starts to 24 h after it ends."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from events import selectors, services
from events.models import Event, Rsvp

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(circle, owner, make_event):
    """This evening's event: check-in is open."""
    return make_event(circle, owner, in_days=0.25, allow_guest=True)


@pytest.fixture
def going(member, event):
    return services.rsvp_submit(member=member, event=event, going=True)


def _checkin_url(rsvp) -> str:
    return reverse("events:ticket_checkin", kwargs={"ticket_token": rsvp.ticket_token})


def test_the_list_shows_name_and_profession_of_those_going(client_of, owner, going, event, make_member, join, circle):
    lawyer = make_member("avocate@example.org", display_name="Maître Iris", profession="lawyer")
    join(lawyer, circle)
    services.rsvp_submit(member=lawyer, event=event, going=True)
    page = client_of(owner).get(reverse("events:event_checkin", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Marc Leroy" in text and "Maître Iris" in text and "Lawyer" in text
    assert "0 of 2 checked in" in text


def test_an_organizer_checks_in_from_the_list_and_can_undo(client_of, owner, going, event):
    client = client_of(owner)
    url = reverse("events:event_checkin", args=[event.pk])
    assert client.post(url, {"rsvp": going.pk}).status_code == 302
    going.refresh_from_db()
    first = going.checked_in_at
    assert first is not None
    client.post(url, {"rsvp": going.pk})
    going.refresh_from_db()
    assert going.checked_in_at == first  # checking in twice changes nothing
    client.post(url, {"rsvp": going.pk, "undo": "on"})
    going.refresh_from_db()
    assert going.checked_in_at is None


def test_the_ticket_shows_a_qr_code_of_the_check_in_url(client_of, member, going, event):
    page = client_of(member).get(reverse("events:event_ticket", args=[event.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in text


def test_the_qr_code_encodes_the_check_in_url(client_of, member, going, event, monkeypatch):
    import segno

    encoded = []
    real_make = segno.make
    monkeypatch.setattr(segno, "make", lambda content, **kw: encoded.append(content) or real_make(content, **kw))
    client_of(member).get(reverse("events:event_ticket", args=[event.pk]))
    assert encoded == ["http://testserver" + _checkin_url(going)]


def test_opening_the_ticket_url_shows_who_and_which_event_and_checks_nobody_in(client_of, owner, member, event):
    rsvp = services.rsvp_submit(member=member, event=event, going=True, with_guest=True, guest_name="Inès Martin")
    page = client_of(owner).get(_checkin_url(rsvp), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Marc Leroy" in text and event.title in text and "Inès Martin" in text
    with override("en"):
        day = date_format(event.starts_at.astimezone(ZoneInfo(event.time_zone)), "DATE_FORMAT")
    assert day in text and f"({event.time_zone})" in text and "Not checked in yet" in text
    assert '<form method="post">' in text and 'name="csrfmiddlewaretoken"' in text
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is None


def test_the_check_in_button_checks_the_attendee_in(client_of, owner, going):
    client = client_of(owner)
    response = client.post(_checkin_url(going))
    assert response.status_code == 302 and response["Location"] == _checkin_url(going)
    going.refresh_from_db()
    first = going.checked_in_at
    assert first is not None
    page = client.get(_checkin_url(going), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Checked in" in page and "Not checked in" not in page
    client.post(_checkin_url(going))
    going.refresh_from_db()
    assert going.checked_in_at == first  # checking in twice changes nothing


def test_the_check_in_button_needs_the_csrf_token(owner, going):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(_checkin_url(going)).status_code == 403
    going.refresh_from_db()
    assert going.checked_in_at is None


def _move(event, *, starts_in: dt.timedelta, hours: float = 2) -> None:
    starts_at = timezone.now().replace(microsecond=0) + starts_in
    Event.objects.filter(pk=event.pk).update(starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=hours))
    event.refresh_from_db()


def test_before_the_window_the_page_says_when_check_in_opens_and_refuses_it(client_of, owner, going, event):
    Event.objects.filter(pk=event.pk).update(time_zone="America/New_York")
    _move(event, starts_in=dt.timedelta(days=3))
    client = client_of(owner)
    opens = (event.starts_at - dt.timedelta(hours=24)).astimezone(ZoneInfo("America/New_York"))
    with override("en"):
        told = f"Check-in opens on {date_format(opens, 'DATETIME_FORMAT')} (America/New_York)"
    page = client.get(_checkin_url(going), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert told in page and '<form method="post">' not in page
    refused = client.post(_checkin_url(going), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and told in refused.content.decode()
    going.refresh_from_db()
    assert going.checked_in_at is None


def test_after_the_window_the_page_says_check_in_closed_and_refuses_it(client_of, owner, going, event):
    _move(event, starts_in=-dt.timedelta(hours=27))  # ended 25 hours ago
    client = client_of(owner)
    assert "Check-in closed on" in client.get(_checkin_url(going), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    refused = client.post(_checkin_url(going), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "Check-in closed on" in refused.content.decode()
    list_post = client.post(reverse("events:event_checkin", args=[event.pk]), {"rsvp": going.pk})
    assert list_post.status_code == 302  # the list refuses too, with the same message
    going.refresh_from_db()
    assert going.checked_in_at is None


def test_the_window_runs_from_24_hours_before_the_start_to_24_hours_after_the_end(event):
    window = selectors.checkin_window
    day = dt.timedelta(hours=24)
    second = dt.timedelta(seconds=1)
    assert not window(event, now=event.starts_at - day - second).is_open
    assert window(event, now=event.starts_at - day).is_open
    assert window(event, now=event.ends_at + day).is_open
    assert not window(event, now=event.ends_at + day + second).is_open


def test_an_anonymous_visitor_opening_the_ticket_url_is_sent_to_log_in(client, going):
    response = client.get(_checkin_url(going))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    going.refresh_from_db()
    assert going.checked_in_at is None


def test_nobody_but_organizers_checks_in(client_of, member, stranger, going, event, make_circle, join, make_member):
    other_circle = make_circle(name="Autre cercle")
    other_organizer = make_member("autre@example.org", display_name="Orga Ailleurs")
    join(other_organizer, other_circle, role="organizer")
    for user in (member, stranger, other_organizer):  # the attendee themself included
        client = client_of(user)
        assert client.get(_checkin_url(going)).status_code == 404
        assert client.post(_checkin_url(going)).status_code == 404
        assert client.get(reverse("events:event_checkin", args=[event.pk])).status_code == 404
        assert client.post(reverse("events:event_checkin", args=[event.pk]), {"rsvp": going.pk}).status_code == 404
        with pytest.raises(ValidationError):
            services.rsvp_check_in(organizer=user, rsvp=going)
    going.refresh_from_db()
    assert going.checked_in_at is None


def test_an_unknown_ticket_is_404(client_of, owner):
    assert client_of(owner).get(reverse("events:ticket_checkin", kwargs={"ticket_token": "nope"})).status_code == 404


def test_a_ticket_of_someone_no_longer_going_does_not_check_in(client_of, owner, member, going, event):
    services.rsvp_submit(member=member, event=event, going=False)
    client = client_of(owner)
    page = client.get(_checkin_url(going), HTTP_ACCEPT_LANGUAGE="en")
    assert "This ticket is not valid" in page.content.decode()
    assert client.post(_checkin_url(going)).status_code == 400
    assert Rsvp.objects.get(pk=going.pk).checked_in_at is None


def test_only_those_going_have_a_ticket(client_of, member, event, stranger):
    assert client_of(member).get(reverse("events:event_ticket", args=[event.pk])).status_code == 404
    assert client_of(stranger).get(reverse("events:event_ticket", args=[event.pk])).status_code == 404


def test_the_list_of_another_event_cannot_check_in_this_rsvp(client_of, owner, going, circle, make_event):
    other = make_event(circle, owner, title="Autre")
    response = client_of(owner).post(reverse("events:event_checkin", args=[other.pk]), {"rsvp": going.pk})
    assert response.status_code == 404


def test_the_list_costs_the_same_queries_for_3_or_12_attendees(
    client_of, owner, event, members_of, circle, django_assert_max_num_queries
):
    client = client_of(owner)
    url = reverse("events:event_checkin", args=[event.pk])
    for person in members_of(circle, 3, prefix="a"):
        services.rsvp_submit(member=person, event=event, going=True)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for person in members_of(circle, 9, prefix="b"):
        services.rsvp_submit(member=person, event=event, going=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
