"""Circles, memberships and events for the events tests, made like the pages make them."""

import datetime as dt
import socket

import pytest
from django.utils import timezone

from circles.models import Circle, Membership, Participation, Role, Status, Visibility
from events import services

# What names under example.org resolve to in these tests: a public address (example.com's).
PUBLIC_TEST_ADDRESS = "93.184.215.14"


@pytest.fixture(autouse=True)
def example_hosts_resolve_to_a_public_address(monkeypatch):
    """Feed addresses are resolved when they are registered: names under example.org/.com resolve
    to a public address without the network; any other name as it really does."""
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if isinstance(host, str) and host.rstrip(".").endswith(("example.org", "example.com")):
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (PUBLIC_TEST_ADDRESS, port or 80))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def make_circle(db):
    counter = iter(range(1, 10_000))

    def make(name: str = "Petit-déj des indépendant·es", visibility: str = Visibility.PUBLIC, family: str = "business"):
        number = next(counter)
        return Circle.objects.create(name=name, slug=f"circle-{number}", family=family, visibility=visibility)

    return make


@pytest.fixture
def join():
    """An active membership (the circles services are another app's: the row is written directly)."""

    def make(user, circle, role: str = Role.MEMBER, participation: str = Participation.ACTIVE, status=Status.ACTIVE):
        return Membership.objects.create(
            circle=circle, member=user, role=role, status=status, participation=participation
        )

    return make


@pytest.fixture
def circle(make_circle, join, owner, member):
    """A public circle: the owner organizes it, the member belongs to it; the stranger does not."""
    circle = make_circle()
    join(owner, circle, role=Role.ORGANIZER)
    join(member, circle)
    return circle


@pytest.fixture
def make_event():
    def make(circle, organizer, *, in_days: float = 7, hours: float = 2, recurrence: str = "", **fields):
        starts_at = timezone.now().replace(microsecond=0) + dt.timedelta(days=in_days)
        defaults = {
            "title": "Petit-déjeuner du Vieux-Port",
            "format": "breakfast",
            "starts_at": starts_at,
            "ends_at": starts_at + dt.timedelta(hours=hours),
            "capacity": 10,
        }
        return services.event_create(
            organizer=organizer, circle=circle, recurrence=recurrence, **{**defaults, **fields}
        )

    return make


@pytest.fixture
def event(circle, owner, make_event):
    return make_event(circle, owner)


@pytest.fixture
def members_of(make_member, join):
    """`n` fresh active members of a circle."""

    def make(circle, n: int, prefix: str = "m"):
        users = []
        for index in range(n):
            user = make_member(f"{prefix}{index}@example.org", display_name=f"Membre {prefix}{index}")
            join(user, circle)
            users.append(user)
        return users

    return make


def past(event, *, days_ago: float = 1):
    """Move an event into the past (answers are given before; the tests then look back)."""
    from events.models import Event

    starts_at = timezone.now() - dt.timedelta(days=days_ago)
    Event.objects.filter(pk=event.pk).update(starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2))
    event.refresh_from_db()
    return event
