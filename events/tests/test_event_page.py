"""The event page's view-model (selectors.event_page) reads each thing once and gives, for every
viewer, the answers the single-purpose selectors give: the viewer's answer and place on the
waitlist, the counts, their role in the circle, who is going, the brief and "who did you meet?"."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from circles.models import Membership, Status, Visibility
from events import selectors, services
from events.models import Event, RsvpStatus
from events.tests.conftest import past
from matching import arrays as matching_arrays
from people.models import Discoverability

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_arrays():
    matching_arrays._memo = None
    yield
    matching_arrays._memo = None


@pytest.fixture
def full(circle, owner, member, make_event, make_member, join, cities):
    """Two seats: the owner and Alice go, Bruno then Chloé wait, Marc (the member) does not go."""
    event = make_event(circle, owner, capacity=2)
    people = {}
    for key, name in (("alice", "Alice Abeille"), ("bruno", "Bruno Brun"), ("chloe", "Chloé Chêne")):
        user = make_member(
            f"{key}@example.org",
            display_name=name,
            discoverability=Discoverability.MEMBERS,
            city=cities["Marseille"],
            values=["openness", "direct_talk"],
            formats=["breakfast"],
        )
        join(user, circle)
        people[key] = user
    for user in (owner, people["alice"], people["bruno"], people["chloe"]):
        services.rsvp_submit(member=user, event=event, going=True)
    services.rsvp_submit(member=member, event=event, going=False)
    return Event.objects.get(pk=event.pk), people


def _as_the_selectors_say(page, viewer, event):
    rsvp = selectors.rsvp_of(viewer, event)
    answered = rsvp is not None and rsvp.status != RsvpStatus.NOT_GOING
    going = rsvp is not None and rsvp.status == RsvpStatus.GOING
    ended = selectors.has_ended(event)
    assert page.rsvp == rsvp
    assert page.waitlist_position == selectors.waitlist_position(rsvp)
    assert page.counts == selectors.rsvp_counts(event)
    assert page.seats_left == selectors.seats_left(event)
    assert page.is_member == selectors.is_active_member(viewer, event.circle_id)
    assert page.is_organizer == selectors.is_organizer(viewer, event.circle_id)
    assert page.may_rsvp == (
        event.state == Event.State.SCHEDULED and not selectors.has_started(event) and selectors.may_rsvp(viewer, event)
    )
    assert page.started == selectors.has_started(event) and page.ended == ended
    assert page.attendees == selectors.attendees_for(viewer, event)
    assert page.brief == (selectors.event_brief(viewer, event) if answered and not ended else [])
    assert page.met_candidates == (selectors.met_candidates(viewer, event) if ended and going else None)


def test_every_viewer_gets_what_the_single_selectors_give(full, owner, member, stranger):
    event, people = full
    for viewer in (owner, member, stranger, AnonymousUser(), *people.values()):
        page = selectors.event_page(viewer, event.pk)
        _as_the_selectors_say(page, viewer, event)
    assert selectors.event_page(people["chloe"], event.pk).waitlist_position == 2
    owners = selectors.event_page(owner, event.pk)
    assert owners.is_organizer and [p.name for p in owners.attendees] == ["Hélène Dupré", "Alice Abeille"]
    assert [entry.person.name for entry in owners.brief] == ["Alice Abeille"]
    assert selectors.event_page(stranger, event.pk).attendees is None


def test_after_the_event_those_who_went_pick_whom_they_met_even_out_of_the_circle(full, owner, member):
    event, people = full
    past(event)
    Membership.objects.filter(member=people["alice"], circle=event.circle).update(status=Status.LEFT)
    for viewer in (owner, member, AnonymousUser(), *people.values()):
        _as_the_selectors_say(selectors.event_page(viewer, event.pk), viewer, event)
    alices = selectors.event_page(people["alice"], event.pk)
    assert not alices.is_member and alices.attendees is None
    assert [p.name for p in alices.met_candidates] == ["Hélène Dupré"]


def test_an_unlisted_circles_event_is_a_404_for_anyone_but_its_members(full, owner, member, stranger):
    event, _people = full
    event.circle.visibility = Visibility.UNLISTED
    event.circle.save(update_fields=["visibility"])
    for viewer in (stranger, AnonymousUser()):
        with pytest.raises(Http404):
            selectors.event_page(viewer, event.pk)
    assert selectors.event_page(member, event.pk).is_member
    with pytest.raises(Http404):
        selectors.event_page(owner, event.pk + 1000)
