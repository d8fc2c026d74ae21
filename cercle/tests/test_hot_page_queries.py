"""Queries of the hot pages (issue 13) on a warm cache, pinned.

Each page is loaded twice by the same viewer: the first load warms the caches, the second is
pinned to an exact number of queries. Then the network around the viewer grows from 3 to 10 of
everything (members, connections, circle members, events and their RSVPs, contacts, people to
meet, vouches) and the page is pinned again to the same number: a page whose count grows with
its rows has an N+1.

The data, made through the services like the pages do: Hélène (the viewer, the root conftest's
owner) organizes a public circle in Marseille and its events; members of Marseille whom all
members may find are connected to her, belong to her circle, go to its events, are in her address
book and vouch for the first of them; she belongs to a second circle organized by that first
member; each member is connected to someone Hélène does not know yet (her people to meet, with a
mutual to ask for an introduction).

The numbers are today's, on SQLite (where the default and "derived" caches are tables: a cache
read is a query). Change one only with the reason in the commit.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from circles import services as circles
from events import services as events
from intros import services as intros
from intros.graph import graph_rebuild
from matching.arrays import arrays_rebuild
from network import services as network
from network.models import InteractionKind
from people.models import Discoverability
from vouches import services as vouches

pytestmark = pytest.mark.django_db

FEW, MANY = 3, 10
REASON = "Nous travaillons tous deux avec des indépendants à Marseille."
VOUCH = "Marie a mené notre refonte avec rigueur et bonne humeur, je la recommande sans réserve."


@pytest.fixture(autouse=True)
def _graph_dir(settings, tmp_path):
    """The connection graph in this test's own folder (and no process memo across tests)."""
    from intros import graph

    settings.INTRO_GRAPH_DIR = str(tmp_path / "intro-graph")
    graph._memo = None


class Network:
    """Hélène's network, grown a member (with their event, contact, candidate…) at a time."""

    def __init__(self, viewer, make_member, cities):
        self.viewer, self.make_member, self.city = viewer, make_member, cities["Marseille"]
        self.members, self.candidates, self.events = [], [], []
        self.circle = circles.circle_create(
            creator=viewer, name="Déjeuners du Panier", family="business", city=self.city, charter="Bienveillance."
        )
        self.other_circle = None

    def grow(self, to: int) -> "Network":
        while len(self.members) < to:
            self._add(len(self.members) + 1)
        # What the workers do once the writes are committed (on_commit never fires in a test):
        # the engine's arrays and the connection graph are rebuilt.
        arrays_rebuild()
        graph_rebuild()
        return self

    def _member(self, email: str, name: str, **fields):
        return self.make_member(
            email,
            display_name=name,
            city=self.city,
            values=["openness", "direct_talk"],
            formats=["breakfast"],
            discoverability=Discoverability.MEMBERS,
            **fields,
        )

    def _connect(self, sender, recipient) -> None:
        request = intros.connection_request_send(sender=sender, recipient=recipient, reason=REASON)
        intros.connection_request_accept(request=request, recipient=recipient)

    def _add(self, n: int) -> None:
        member = self._member(
            f"membre{n}@example.org",
            f"Membre {n}",
            headline="Consultante en growth marketing",
            profession="consultant",
            skills=["growth marketing", "SEO"],
        )
        self.members.append(member)
        self._connect(member, self.viewer)
        circles.membership_join(circle=self.circle, member=member)
        if self.other_circle is None:
            self.other_circle = circles.circle_create(creator=member, name="Tech Vieux-Port", family="tech")
            circles.membership_join(circle=self.other_circle, member=self.viewer)
        else:
            circles.membership_join(circle=self.other_circle, member=member)
            vouch = vouches.vouch_write(
                author=member,
                subject=self.members[0],
                worked_with=True,
                relation="client",
                started_on=dt.date(2021, 3, 1),
                text=VOUCH,
            )
            vouches.vouch_approve(vouch=vouch, subject=self.members[0])
        # Someone for Hélène to meet: not connected to her, connected to this member.
        candidate = self._member(
            f"candidate{n}@example.org",
            f"Candidate {n}",
            headline="Experte SEO",
            profession="growth_marketer",
            skills=["growth marketing", "SEO"],
            learning=["droit des contrats"],
        )
        self.candidates.append(candidate)
        self._connect(candidate, member)
        circles.membership_join(circle=self.other_circle, member=candidate)
        starts_at = timezone.now().replace(microsecond=0) + dt.timedelta(days=n)
        event = events.event_create(
            organizer=self.viewer,
            circle=self.circle,
            title=f"Petit-déjeuner {n}",
            format="breakfast",
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
            capacity=50,
            city=self.city,
            venue="Café du Port",
        )
        self.events.append(event)
        for earlier in self.events:
            events.rsvp_submit(member=member, event=earlier, going=True)
        for attendee in [self.viewer, *self.members[:-1]]:
            events.rsvp_submit(member=attendee, event=event, going=True)
        contact = network.contact_create(
            owner=self.viewer, full_name=f"Contact {n}", labels=["client"], city="Marseille", cadence_days=30
        )
        network.interaction_log(
            owner=self.viewer, contacts=[contact], kind=InteractionKind.COFFEE, occurred_on=timezone.localdate()
        )


@pytest.fixture
def hot(owner, make_member, cities):
    return Network(owner, make_member, cities)


def _shown(body: str, prefix: str) -> set[str]:
    """The numbered names of a kind ("Membre", "Contact"…) that the page's body shows."""
    main = body.split('<main id="main"', 1)[1]
    return set(re.findall(rf"{prefix} \d+\b", main))


def _pinned(client, hot, django_assert_num_queries, url_of, queries: int, rows) -> None:
    """Load the page warm with FEW, then with MANY of everything: `queries` both times, and
    `rows(network, body)` checks that the page did show what it lists."""
    client.force_login(hot.viewer)
    for size in (FEW, MANY):
        hot.grow(size)
        url = url_of(hot)
        assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").status_code == 200  # warms the caches
        with django_assert_num_queries(queries):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        rows(hot, response.content.decode(), size)


def test_the_dashboard(client, hot, django_assert_num_queries):
    def rows(net, body, size):
        assert len(_shown(body, "Contact")) == size

    _pinned(client, hot, django_assert_num_queries, lambda net: reverse("network:dashboard"), 11, rows)


def test_the_agenda(client, hot, django_assert_num_queries):
    def rows(net, body, size):
        assert len(_shown(body, "Petit-déjeuner")) == size

    _pinned(client, hot, django_assert_num_queries, lambda net: reverse("agenda:agenda"), 9, rows)


def test_an_event_page(client, hot, django_assert_num_queries):
    def rows(net, body, size):
        assert _shown(body, "Membre") == {f"Membre {n}" for n in range(1, size + 1)}  # who is going

    def url(net):
        return reverse("events:event_detail", args=[net.events[0].pk])

    _pinned(client, hot, django_assert_num_queries, url, 10, rows)


def test_people_to_meet(client, hot, django_assert_num_queries):
    def rows(net, body, size):
        assert len(_shown(body, "Candidate")) == size  # each with a mutual to ask
        assert len(re.findall("Ask Membre \\d+ for an introduction", body)) == size

    _pinned(client, hot, django_assert_num_queries, lambda net: reverse("matching:suggestions"), 20, rows)


def test_a_circle_page(client, hot, django_assert_num_queries):
    def rows(net, body, size):
        assert _shown(body, "Membre") == {f"Membre {n}" for n in range(1, size + 1)}
        assert len(_shown(body, "Petit-déjeuner")) == min(size, 5)  # the next five events

    def url(net):
        return reverse("circles:detail", args=[net.circle.slug])

    _pinned(client, hot, django_assert_num_queries, url, 15, rows)


def test_the_member_search(client, hot, django_assert_num_queries):
    def rows(net, body, size):
        assert len(_shown(body, "Membre")) == len(_shown(body, "Candidate")) == size

    def url(net):
        return reverse("people:member_list") + "?q=marseille"

    # Session, user, the results' count and page, the viewer's relations version, the bell; the
    # cards and everyone's relations are kept under their versions.
    _pinned(client, hot, django_assert_num_queries, url, 6, rows)


def test_another_members_profile(client, hot, django_assert_num_queries):
    def rows(net, body, size):
        assert "Membre 1" in body and len(_shown(body, "Membre") - {"Membre 1"}) == size - 1  # who vouched

    def url(net):
        return reverse("people:member_detail", args=[net.members[0].pk])

    # Session, user, both members' versions, the vouch authors as the viewer sees them, the bell;
    # the relations, the body, the vouches, the requests are kept under their versions.
    _pinned(client, hot, django_assert_num_queries, url, 5, rows)
