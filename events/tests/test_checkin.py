"""Check-in by organizers: from the list, or by opening the URL in an attendee's ticket QR code."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import services
from events.models import Rsvp

pytestmark = pytest.mark.django_db


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


def test_an_organizer_opening_the_ticket_url_checks_the_attendee_in(client_of, owner, going):
    page = client_of(owner).get(_checkin_url(going), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "Checked in" in page.content.decode() and "Marc Leroy" in page.content.decode()
    going.refresh_from_db()
    assert going.checked_in_at is not None


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
    page = client_of(owner).get(_checkin_url(going), HTTP_ACCEPT_LANGUAGE="en")
    assert "This ticket is not valid" in page.content.decode()
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
