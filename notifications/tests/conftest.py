"""Circles, events and RSVPs for the notifications tests, written straight to the models.

The circles and events apps own the services that create these; the notifications tests only
need the rows (a membership, an event, an answer) to read from.
"""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# A Monday morning in Paris: "tomorrow" is Tuesday 24 November 2026.
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def set_language():
    def set_it(user, language: str):
        user.profile.language = language
        user.profile.save(update_fields=["language"])
        return user

    return set_it


@pytest.fixture
def make_circle(db, cities):
    from circles.models import Circle

    def make(name="Tech Marseille", city="Marseille", **fields):
        fields.setdefault("family", "tech")
        slug = fields.pop("slug", name.lower().replace(" ", "-"))
        return Circle.objects.create(name=name, slug=slug, city=cities[city] if city else None, **fields)

    return make


@pytest.fixture
def join():
    """An active membership (participation "active" unless told "remote")."""
    from circles.models import Membership, Status

    def make(member, circle, participation="active", created_at=None, status=Status.ACTIVE):
        return Membership.objects.create(
            member=member,
            circle=circle,
            status=status,
            participation=participation,
            created_at=created_at or timezone.now(),
        )

    return make


@pytest.fixture
def make_event(db, cities):
    from events.models import Event

    def make(title="Petit-déjeuner", starts_at=NOW + dt.timedelta(days=1), circle=None, city="Marseille", **fields):
        fields.setdefault("format", "breakfast")
        return Event.objects.create(
            title=title,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
            circle=circle,
            city=cities[city] if city else None,
            **fields,
        )

    return make


@pytest.fixture
def rsvp():
    from events.models import Rsvp

    def make(member, event, status="going"):
        return Rsvp.objects.create(member=member, event=event, status=status, seats=1 if status == "going" else 0)

    return make


@pytest.fixture
def emails_sent(django_capture_on_commit_callbacks):
    """Run the block, then the e-mails it queued on commit (the tests' task backend runs them at once)."""

    def run(block):
        with django_capture_on_commit_callbacks(execute=True):
            return block()

    return run
