"""Every route of events, for an anonymous visitor, a stranger, a member and an organizer, on events
of a public, a members-only and an unlisted circle. Missing and forbidden are the same 404.

The test enumerates the URL patterns, so a new route cannot slip in unclassified.
"""

import pytest
from django.urls import get_resolver, reverse

from circles.models import Role, Visibility
from events import services
from events.models import Event

pytestmark = pytest.mark.django_db

LOGIN = "login"
# What each persona gets, per route: a status code, or LOGIN (sent to the log-in page).
# "read" depends on the circle's visibility (below).
ROUTES = {
    "event_detail": ("GET", "read"),
    "event_create": ("GET", {"anonymous": LOGIN, "stranger": 404, "member": 404, "organizer": 200}),
    "event_edit": ("GET", {"anonymous": LOGIN, "stranger": 404, "member": 404, "organizer": 200}),
    "event_cancel": ("GET", {"anonymous": LOGIN, "stranger": 404, "member": 404, "organizer": 200}),
    "event_checkin": ("GET", {"anonymous": LOGIN, "stranger": 404, "member": 404, "organizer": 200}),
    "ticket_checkin": ("GET", {"anonymous": LOGIN, "stranger": 404, "member": 404, "organizer": 200}),
    # The member is going (fixture); the organizer has not answered.
    "event_ticket": ("GET", {"anonymous": LOGIN, "stranger": 404, "member": 200, "organizer": 404}),
    "event_met": ("POST", {"anonymous": LOGIN, "stranger": 404, "member": 302, "organizer": 404}),
    "event_rsvp": ("POST", {"anonymous": LOGIN, "stranger": 404, "member": 302, "organizer": 302}),
}
READ = {
    Visibility.PUBLIC: {"anonymous": 200, "stranger": 200, "member": 200, "organizer": 200},
    Visibility.MEMBERS: {"anonymous": 404, "stranger": 200, "member": 200, "organizer": 200},
    Visibility.UNLISTED: {"anonymous": 404, "stranger": 404, "member": 200, "organizer": 200},
}
PERSONAS = ["anonymous", "stranger", "member", "organizer"]


def _events_routes():
    namespace = get_resolver().namespace_dict["events"][1]
    for pattern in namespace.url_patterns:
        yield pattern.name, set(pattern.pattern.converters)


@pytest.fixture
def setting(request, make_circle, join, owner, member, stranger, make_event):
    circle = make_circle(visibility=request.param)
    join(owner, circle, role=Role.ORGANIZER)
    join(member, circle)
    event = make_event(circle, owner, capacity=5)
    rsvp = services.rsvp_submit(member=member, event=event, going=True)
    return {"event": event, "rsvp": rsvp, "users": {"stranger": stranger, "member": member, "organizer": owner}}


def _kwargs(args: set, setting) -> dict:
    values = {"event_id": setting["event"].pk, "ticket_token": setting["rsvp"].ticket_token}
    return {name: values[name] for name in args}


def test_every_route_is_classified():
    for name, args in _events_routes():
        assert name in ROUTES, f"classify the new route {name}"
        assert args <= {"event_id", "ticket_token"}, f"{name} takes unknown arguments {args}"


@pytest.mark.parametrize("setting", list(Visibility), indirect=True, ids=str)
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_access_matrix(client, setting, persona):
    if persona != "anonymous":
        client.force_login(setting["users"][persona])
    visibility = setting["event"].circle.visibility
    for name, args in _events_routes():
        method, expected = ROUTES[name]
        expected = READ[visibility][persona] if expected == "read" else expected[persona]
        # Beyond what the circle lets one see, nothing: the stranger's 404 on an unlisted circle
        # holds for every route (and the anonymous visitor is asked to log in first).
        url = reverse(f"events:{name}", kwargs=_kwargs(args, setting))
        response = client.post(url) if method == "POST" else client.get(url)
        if expected == LOGIN:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], f"{name} {persona}"
        else:
            assert response.status_code == expected, f"{method} {name} as {persona}: {response.status_code}"


def test_missing_objects_are_404_like_forbidden_ones(client_of, owner):
    client = client_of(owner)
    for name, args in _events_routes():
        if not args:
            continue
        method, _expected = ROUTES[name]
        url = reverse(f"events:{name}", kwargs={a: 999_999 if a == "event_id" else "missing" for a in args})
        response = client.post(url) if method == "POST" else client.get(url)
        assert response.status_code == 404, name


def test_events_without_a_circle_are_public_and_managed_by_nobody(client_of, client, owner, member):
    from django.utils import timezone

    start = timezone.now()
    event = Event.objects.create(title="Meetup Python", format="evening", starts_at=start, ends_at=start)
    assert client.get(reverse("events:event_detail", args=[event.pk])).status_code == 200
    organizer = client_of(owner)
    for name in ("event_edit", "event_cancel", "event_checkin"):
        assert organizer.get(reverse(f"events:{name}", args=[event.pk])).status_code == 404
    assert organizer.post(reverse("events:event_rsvp", args=[event.pk]), {"going": "yes"}).status_code == 404
