"""Every route of the agenda, enumerated: who may reach it, as anonymous, stranger and member.

A new route makes `test_every_agenda_route_is_classified` fail until it is added to ROUTES, so
that its access rules are decided, and then tested, on purpose.

Personas: the owner organizes one circle of each visibility, the member belongs to all three, the
stranger to none.
"""

from urllib.parse import urlparse

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from circles.models import Visibility
from events.ical import calendar_token_renew
from events.models import CalendarToken, Event, IcalFeed
from events.tests.test_agenda import agenda_event, make_agenda_circle

pytestmark = pytest.mark.django_db

PUBLIC = "public"  # anyone, listing only what the viewer may see
MEMBER_PAGE = "member page"  # signed-in members, their own page
MEMBER_ACTION = "member action"  # signed-in members, POST only, on their own data
ORGANIZER_PAGE = "organizer page"  # organizers of a circle (and staff); 404 for others
ORGANIZER_ACTION = "organizer action"  # the same, POST only
OWN_FEED = "own feed"  # POST only, on a feed the organizer manages; 404 for others
EVENT = "event"  # an event as its visibility allows, 404 otherwise
CIRCLE_FEED = "circle feed"  # a public circle's calendar; 404 for other circles, whoever asks
TOKEN = "token"  # the holder of a private calendar token; 404 for a wrong or revoked one

ROUTES = {
    "agenda": PUBLIC,
    "calendars": MEMBER_PAGE,
    "calendar_renew": MEMBER_ACTION,
    "feed_list": ORGANIZER_PAGE,
    "feed_add": ORGANIZER_ACTION,
    "feed_remove": OWN_FEED,
    "feed_refresh": OWN_FEED,
    "event_ics": EVENT,
    "circle_ics": CIRCLE_FEED,
    "my_ics": TOKEN,
}
ARGUMENTS = {
    PUBLIC: set(),
    MEMBER_PAGE: set(),
    MEMBER_ACTION: set(),
    ORGANIZER_PAGE: set(),
    ORGANIZER_ACTION: set(),
    OWN_FEED: {"feed_id"},
    EVENT: {"event_id"},
    CIRCLE_FEED: {"slug"},
    TOKEN: {"token"},
}
POST_ONLY = {MEMBER_ACTION, ORGANIZER_ACTION, OWN_FEED}
SIGNED_IN_ONLY = {MEMBER_PAGE, MEMBER_ACTION, ORGANIZER_PAGE, ORGANIZER_ACTION, OWN_FEED}


def _agenda_routes() -> dict[str, set[str]]:
    routes: dict[str, set[str]] = {}

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                routes[pattern.name] = set(pattern.pattern.converters)

    _prefix, resolver = get_resolver().namespace_dict["agenda"]
    walk(resolver.url_patterns)
    return routes


def _names(*kinds) -> list[str]:
    return [name for name, kind in ROUTES.items() if kind in kinds]


def test_every_agenda_route_is_classified():
    routes = _agenda_routes()
    unclassified = sorted(set(routes) - set(ROUTES))
    gone = sorted(set(ROUTES) - set(routes))
    assert not unclassified, f"new routes: decide who may reach them and add them to ROUTES: {unclassified}"
    assert not gone, f"routes no longer exist, remove them from ROUTES: {gone}"
    wrong = {name: args for name, args in routes.items() if args != ARGUMENTS[ROUTES[name]]}
    assert not wrong, f"these routes take other arguments than their class expects: {wrong}"


@pytest.fixture
def world(owner, member, cities):
    """A circle and an event of each visibility, the owner's feed, the member's calendar token."""
    circles = {
        visibility: make_agenda_circle(
            slug=f"routes-{visibility}",
            visibility=visibility,
            city=cities["Marseille"],
            organizer=owner,
            members=[member],
        )
        for visibility in Visibility.values
    }
    events = {
        visibility: agenda_event(title=f"Event {visibility}", city=cities["Marseille"], circle=circle)
        for visibility, circle in circles.items()
    }
    feed = IcalFeed.objects.create(url="https://agenda.example.org/a.ics", city=cities["Marseille"], created_by=owner)
    return {
        "circles": circles,
        "events": events,
        "feed": feed,
        "token": calendar_token_renew(owner=member).token,
        "feed_id": feed.pk,
        "event_id": events[Visibility.PUBLIC].pk,
        "slug": circles[Visibility.PUBLIC].slug,
    }


def _url(name: str, world: dict, **override) -> str:
    kwargs = {arg: override.get(arg, world.get(arg)) for arg in ARGUMENTS[ROUTES[name]]}
    return reverse(f"agenda:{name}", kwargs=kwargs)


def _login(request, client, viewer: str):
    if viewer != "anonymous":
        client.force_login(request.getfixturevalue(viewer))
    return client


def _assert_sent_to_login(response, url):
    assert response.status_code == 302, f"{url}: {response.status_code}"
    assert urlparse(response["Location"]).path == reverse("account_login"), f"{url} -> {response['Location']}"


# --- Signed-in routes -------------------------------------------------------------------------


@pytest.mark.parametrize("name", _names(*SIGNED_IN_ONLY))
def test_an_anonymous_visitor_is_sent_to_log_in(name, world, client):
    url = _url(name, world)
    _assert_sent_to_login(client.get(url), url)
    _assert_sent_to_login(client.post(url), url)
    _assert_sent_to_login(client.post(url, HTTP_HX_REQUEST="true"), url)
    assert IcalFeed.objects.filter(pk=world["feed_id"]).exists()
    assert CalendarToken.objects.get().token == world["token"]


@pytest.mark.parametrize("name", _names(*POST_ONLY))
def test_actions_answer_only_to_post(name, world, client_of, owner):
    assert client_of(owner).get(_url(name, world)).status_code == 405


@pytest.mark.parametrize("viewer", ["stranger", "member", "owner"])
def test_member_pages_open_for_every_signed_in_member(request, world, client, viewer):
    assert _login(request, client, viewer).get(_url("calendars", world)).status_code == 200


@pytest.mark.parametrize("viewer", ["stranger", "member"])
def test_feed_pages_are_404_for_members_who_organize_nothing(request, world, client, viewer):
    client = _login(request, client, viewer)
    assert client.get(_url("feed_list", world)).status_code == 404
    assert client.post(_url("feed_add", world), {"url": "https://x.example.org/a.ics"}).status_code == 404
    for name in _names(OWN_FEED):
        assert client.post(_url(name, world)).status_code == 404
    assert IcalFeed.objects.filter(pk=world["feed_id"]).exists()


def test_an_organizer_reaches_the_feed_pages_and_their_own_feeds(world, client_of, owner):
    client = client_of(owner)
    assert client.get(_url("feed_list", world)).status_code == 200
    assert client.post(_url("feed_refresh", world)).status_code == 302
    assert client.post(_url("feed_remove", world)).status_code == 302
    assert not IcalFeed.objects.filter(pk=world["feed_id"]).exists()


def test_an_organizer_gets_404_for_another_organizers_feed(world, client_of, make_member, cities):
    other = make_member("autre.organisatrice@example.org", display_name="Autre")
    make_agenda_circle(slug="routes-other", visibility=Visibility.PUBLIC, organizer=other)
    client = client_of(other)
    assert client.get(_url("feed_list", world)).status_code == 200
    assert world["feed"].url not in client.get(_url("feed_list", world)).content.decode()
    for name in _names(OWN_FEED):
        assert client.post(_url(name, world)).status_code == 404
        assert client.post(_url(name, world, feed_id=999_999)).status_code == 404
    assert IcalFeed.objects.filter(pk=world["feed_id"]).exists()


def test_renewing_is_for_ones_own_token_only(world, client_of, stranger):
    client_of(stranger).post(_url("calendar_renew", world))
    assert CalendarToken.objects.get(owner__email="marc.leroy@example.org").token == world["token"]
    assert CalendarToken.objects.filter(owner=stranger).exists()


# --- Public routes ----------------------------------------------------------------------------

SEES = {
    # viewer -> the circle visibilities whose events they see
    "anonymous": {Visibility.PUBLIC},
    "stranger": {Visibility.PUBLIC, Visibility.MEMBERS},
    "member": {Visibility.PUBLIC, Visibility.MEMBERS, Visibility.UNLISTED},
}


@pytest.mark.parametrize("viewer", list(SEES))
def test_the_agenda_lists_what_each_viewer_may_see(request, world, client, viewer):
    response = _login(request, client, viewer).get(_url("agenda", world), {"city_query": "Marseille"})
    assert response.status_code == 200
    shown = {row.title for row in response.context["rows"]}
    assert shown == {f"Event {visibility}" for visibility in SEES[viewer]}


@pytest.mark.parametrize("viewer", list(SEES))
@pytest.mark.parametrize("visibility", Visibility.values)
def test_an_events_ics_follows_the_events_visibility(request, world, client, viewer, visibility):
    client = _login(request, client, viewer)
    url = _url("event_ics", world, event_id=world["events"][visibility].pk)
    assert client.get(url).status_code == (200 if visibility in SEES[viewer] else 404)
    assert client.get(_url("event_ics", world, event_id=999_999)).status_code == 404


@pytest.mark.parametrize("viewer", list(SEES))
@pytest.mark.parametrize("visibility", Visibility.values)
def test_only_public_circles_have_an_open_calendar(request, world, client, viewer, visibility):
    client = _login(request, client, viewer)
    response = client.get(_url("circle_ics", world, slug=world["circles"][visibility].slug))
    assert response.status_code == (200 if visibility == Visibility.PUBLIC else 404)
    assert client.get(_url("circle_ics", world, slug="no-such-circle")).status_code == 404


@pytest.mark.parametrize("viewer", list(SEES))
def test_a_private_calendar_answers_to_its_token_whoever_holds_it_and_to_nothing_else(request, world, client, viewer):
    client = _login(request, client, viewer)
    assert client.get(_url("my_ics", world)).status_code == 200
    assert client.get(_url("my_ics", world, token="x" + world["token"])).status_code == 404
    member = request.getfixturevalue("member")
    calendar_token_renew(owner=member)
    revoked = client.get(_url("my_ics", world))
    assert revoked.status_code == 404 and b"Event" not in revoked.content


def test_no_public_route_writes_anything(world, client):
    before = (Event.objects.count(), IcalFeed.objects.count(), CalendarToken.objects.count())
    for name in _names(PUBLIC, EVENT, CIRCLE_FEED, TOKEN):
        assert client.post(_url(name, world)).status_code == 405, name
    assert (Event.objects.count(), IcalFeed.objects.count(), CalendarToken.objects.count()) == before
