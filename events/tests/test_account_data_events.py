"""Events in the account export, and the demo data of events."""

import random

import pytest
from django.db.models import Sum
from django.utils import timezone

from circles.models import Role
from events import services
from events.account_data import demo_events_load
from events.models import Event, Rsvp, RsvpStatus
from events.vocab import EventFormat
from people.demo import DEMO_DOMAIN
from people.selectors import account_export

pytestmark = pytest.mark.django_db


def test_the_export_holds_my_answers_and_the_events_i_created(owner, member, event):
    services.rsvp_submit(member=member, event=event, going=True)
    theirs = account_export(user=member)["events"]
    assert [(r["event_title"], r["status"], r["seats"]) for r in theirs["rsvps"]] == [(event.title, "going", 1)]
    assert theirs["events_created"] == []
    mine = account_export(user=owner)["events"]
    assert mine["rsvps"] == [] and [e["title"] for e in mine["events_created"]] == [event.title]


@pytest.fixture
def demo_world(make_member, make_circle, join):
    camille = make_member(f"camille@{DEMO_DOMAIN}", display_name="Camille Martin")
    others = [make_member(f"m{i}@{DEMO_DOMAIN}", display_name=f"Membre {i}") for i in range(24)]
    circles = [make_circle(name=f"Cercle {i}", family=family) for i, family in enumerate(["business", "tech"])]
    for circle in circles:
        join(others[0], circle, role=Role.ORGANIZER)
        for person in [camille, *others[1:]]:
            join(person, circle)
    return camille, [camille, *others], circles


def test_the_demo_has_past_and_upcoming_events_of_every_format_with_answers(demo_world):
    camille, members, circles = demo_world
    summary = demo_events_load(rng=random.Random(2026), members=members)
    assert summary["events"] == 13 and summary["rsvps"] > 50
    now = timezone.now()
    for fmt in EventFormat.values:
        assert Event.objects.filter(format=fmt, ends_at__lt=now).exists(), fmt
        assert Event.objects.filter(format=fmt, starts_at__gt=now).exists(), fmt
    for event in Event.objects.all():
        held = event.rsvps.filter(status=RsvpStatus.GOING).aggregate(n=Sum("seats"))["n"] or 0
        assert event.seats_taken == held and (event.capacity is None or held <= event.capacity)
    assert Rsvp.objects.filter(event__ends_at__lt=now, checked_in_at__isnull=False).exists()


def test_camille_sees_a_full_event_with_a_waitlist_in_her_circle(demo_world):
    camille, members, circles = demo_world
    demo_events_load(rng=random.Random(2026), members=members)
    full = [
        e
        for e in Event.objects.filter(starts_at__gt=timezone.now(), circle__memberships__member=camille)
        if e.capacity and e.seats_taken == e.capacity and e.rsvps.filter(status=RsvpStatus.WAITLIST).exists()
    ]
    assert full, "no full event with a waitlist in Camille's circles"
    assert not full[0].rsvps.filter(member=camille).exists()  # she can try, and join the line
    rsvp = services.rsvp_submit(member=camille, event=full[0], going=True)
    assert rsvp.status == RsvpStatus.WAITLIST


def test_reloading_the_demo_replaces_its_events(demo_world):
    camille, members, circles = demo_world
    demo_events_load(rng=random.Random(1), members=members)
    first = Event.objects.count()
    demo_events_load(rng=random.Random(1), members=members)
    assert Event.objects.count() == first


def test_the_demo_organizers_have_summaries_waiting(demo_world):
    from circles.models import Membership, Status
    from events.account_data import demo_organizer_alerts
    from notifications.models import Kind

    camille, members, circles = demo_world
    organizer = members[1]
    Membership.objects.filter(circle=circles[0], member=members[5]).update(status=Status.REQUESTED)
    demo_events_load(rng=random.Random(2026), members=members)

    demo_organizer_alerts(random.Random(2026), members)

    kinds = set(organizer.notifications.values_list("kind", flat=True))
    assert {Kind.JOIN_REQUESTS, Kind.RSVP_ACTIVITY} <= kinds
    assert not camille.notifications.filter(kind__in=[Kind.JOIN_REQUESTS, Kind.RSVP_ACTIVITY]).exists()
