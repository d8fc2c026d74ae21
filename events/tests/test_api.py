"""Events and RSVPs over the API: the same visibility rules and seat rules as the pages."""

import json

import pytest
from django.test import Client

from circles.models import Role, Visibility
from events import services
from events.models import Rsvp
from people.services import api_token_create

pytestmark = pytest.mark.django_db

BASE = "/api/events"


@pytest.fixture
def api():
    return Client()


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='script').key}"}


def _post(api, url, payload, auth):
    return api.post(url, data=json.dumps(payload), content_type="application/json", **auth)


@pytest.fixture
def events(make_circle, join, owner, member, make_event):
    """One event per circle visibility; the owner organizes all three, the member belongs to all."""
    made = {}
    for visibility in Visibility:
        circle = make_circle(name=f"Cercle {visibility}", visibility=visibility)
        join(owner, circle, role=Role.ORGANIZER)
        join(member, circle)
        made[visibility] = make_event(circle, owner, title=f"Événement {visibility}", capacity=1)
    return made


def _titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {e["title"] for e in response.json()["items"]}


def test_without_a_token_nothing_is_served(api, events):
    assert api.get(BASE).status_code == 401
    assert api.get(f"{BASE}/{events['public'].pk}").status_code == 401
    assert _post(api, f"{BASE}/{events['public'].pk}/rsvp", {"going": True}, {}).status_code == 401
    assert not Rsvp.objects.exists()


def test_the_list_leaves_out_unlisted_circles_for_non_members(api, events, member, stranger):
    assert _titles(api.get(BASE, **_auth(member))) == {"Événement public", "Événement members", "Événement unlisted"}
    assert _titles(api.get(BASE, **_auth(stranger))) == {"Événement public", "Événement members"}


@pytest.mark.parametrize("page", [{"offset": -1}, {"offset": 10**20}, {"limit": 0}, {"limit": 101}])
def test_a_page_out_of_bounds_is_refused_not_a_server_error(api, member, page):
    assert api.get(BASE, page, **_auth(member)).status_code == 422


def test_a_page_tells_the_total(api, events, member):
    data = api.get(BASE, {"limit": 1}, **_auth(member)).json()
    assert len(data["items"]) == 1 and data["count"] == 3


def test_an_unlisted_circles_event_is_404_for_a_stranger(api, events, stranger, member):
    unlisted = events[Visibility.UNLISTED]
    assert api.get(f"{BASE}/{unlisted.pk}", **_auth(stranger)).status_code == 404
    assert api.get(f"{BASE}/999999", **_auth(stranger)).status_code == 404
    detail = api.get(f"{BASE}/{unlisted.pk}", **_auth(member)).json()
    assert detail["title"] == "Événement unlisted" and detail["seats_left"] == 1 and detail["my_rsvp"] is None


def test_rsvp_going_then_waitlist_then_cancel_promotes(api, events, member, owner):
    event = events[Visibility.PUBLIC]
    mine, theirs = _auth(member), _auth(owner)
    first = _post(api, f"{BASE}/{event.pk}/rsvp", {"going": True}, mine)
    assert first.status_code == 200 and first.json()["status"] == "going"
    second = _post(api, f"{BASE}/{event.pk}/rsvp", {"going": True}, theirs).json()
    assert (second["status"], second["waitlist_position"]) == ("waitlist", 1)

    cancelled = api.delete(f"{BASE}/{event.pk}/rsvp", **mine)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "not_going"
    assert Rsvp.objects.get(event=event, member=owner).status == "going"
    assert api.get(f"{BASE}/{event.pk}", **theirs).json()["my_rsvp"] == "going"


def test_my_rsvps(api, events, member):
    services.rsvp_submit(member=member, event=events[Visibility.MEMBERS], going=True)
    rows = api.get(f"{BASE}/rsvps", **_auth(member)).json()["items"]
    assert [(r["event_title"], r["status"], r["seats"]) for r in rows] == [("Événement members", "going", 1)]


def test_a_stranger_cannot_answer_even_a_public_event(api, events, stranger):
    for event in events.values():
        assert _post(api, f"{BASE}/{event.pk}/rsvp", {"going": True}, _auth(stranger)).status_code == 404
    assert not Rsvp.objects.exists()


def test_a_refused_guest_is_a_422_with_the_reason(api, events, member):
    event = events[Visibility.PUBLIC]
    response = _post(api, f"{BASE}/{event.pk}/rsvp", {"going": True, "with_guest": True}, _auth(member))
    assert response.status_code == 422
    assert response.json()["detail"] == str(services.GUEST_NOT_ALLOWED)


def test_cancelling_without_an_answer_is_404(api, events, member):
    assert api.delete(f"{BASE}/{events['public'].pk}/rsvp", **_auth(member)).status_code == 404
