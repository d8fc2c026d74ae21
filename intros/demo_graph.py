"""Demo data: a realistic social graph of connections and a few introductions around the demo login.

The graph is power-law-ish and clustered: each member gets a sociability drawn from a Pareto law
(most know a handful of members, a few connectors know dozens), and each connection they start goes
to someone of one of their circles, of their city, or anywhere, picked in proportion to sociability
(the well-connected attract more). Deterministic for the rng it is given, bulk-created, fast.

The demo login keeps the connections `intros.account_data.demo_intros` gave her and takes no part
in the random graph; her introductions are made here from the graph: proposed to her (one waiting
for her answer), accepted by her and waiting for the other side, completed (one with "did you
meet?" still open), and some she made herself between two of her connections.
"""

import bisect
import datetime as dt
import itertools
import random
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from intros.models import Answer, Connection, Introduction

MAX_SOCIABILITY = 40.0
PARETO_ALPHA = 1.6  # mean sociability α/(α-1) ≈ 2.7: a median member has 4 connections, a few dozens
STARTED_PER_SOCIABILITY = 1.4  # connections a member starts per unit of sociability (others come to them)
IN_CIRCLE, IN_CITY = 0.45, 0.8  # below: one of my circles; then my city; above: anywhere
HISTORY_DAYS = 900
OTHER_INTRODUCTIONS = 30

INTRO_REASONS = [
    "Vous travaillez toutes et tous les deux avec des commerces de quartier : vous avez beaucoup à vous dire.",
    "L'une cherche à apprendre ce que l'autre fait depuis dix ans. Un café suffira pour démarrer.",
    "Both of you are launching something local this year and value plain talk: I think you'll get on.",
    "Vous partagez les mêmes valeurs et vous cherchez tous deux des partenaires sur Marseille.",
    "You both asked me about fundraising last month; compare notes before your next meeting with investors.",
]


class _WeightedPool:
    """Members to draw from in proportion to their sociability (a bisect per draw)."""

    def __init__(self, ids: list[int], weight: dict[int, float]) -> None:
        self.ids = ids
        self.cumulative = list(itertools.accumulate(weight[i] for i in ids))

    def draw(self, rng: random.Random) -> int | None:
        if not self.ids:
            return None
        at = bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])
        return self.ids[min(at, len(self.ids) - 1)]


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _ago(rng: random.Random, now, low_days: float, high_days: float):
    return now - dt.timedelta(days=rng.uniform(low_days, high_days))


def graph_edges(rng: random.Random, member_ids: list[int], city_of: dict, circles_of: dict) -> set[tuple[int, int]]:
    """The pairs (low id first) of a clustered, power-law-ish graph over these members."""
    weight = {m: min(rng.paretovariate(PARETO_ALPHA), MAX_SOCIABILITY) for m in member_ids}
    by_city: dict[int, list[int]] = defaultdict(list)
    by_circle: dict[str, list[int]] = defaultdict(list)
    for m in member_ids:
        if city_of.get(m) is not None:
            by_city[city_of[m]].append(m)
        for circle in circles_of.get(m, ()):
            by_circle[circle].append(m)
    city_pools = {city: _WeightedPool(ids, weight) for city, ids in by_city.items()}
    circle_pools = {circle: _WeightedPool(ids, weight) for circle, ids in by_circle.items()}
    everyone = _WeightedPool(member_ids, weight)
    edges: set[tuple[int, int]] = set()
    for m in member_ids:
        started = max(1, round(weight[m] * STARTED_PER_SOCIABILITY))
        my_circles = sorted(circles_of.get(m, ()))
        for _ in range(started):
            roll = rng.random()
            if roll < IN_CIRCLE and my_circles:
                pool = circle_pools[rng.choice(my_circles)]
            elif roll < IN_CITY and city_of.get(m) in city_pools:
                pool = city_pools[city_of[m]]
            else:
                pool = everyone
            other = pool.draw(rng)
            if other is not None and other != m:
                edges.add(_pair(m, other))
    return edges


def demo_connections(rng, members) -> None:
    """The social graph among the demo members (the demo login's own connections are already there)."""
    from circles.models import Membership, Status
    from people.models import Profile

    rng = random.Random(rng.getrandbits(64))  # the graph draws its own numbers: later steps keep theirs
    ids = [u.pk for u in members[1:]]  # not the demo login (members[0])
    wanted = set(ids)
    city_of = dict(Profile.objects.filter(user_id__in=wanted).values_list("user_id", "city_id"))
    circles_of: dict[int, set[str]] = defaultdict(set)  # by slug: stable from one load to the next
    for member_id, slug in Membership.objects.filter(status=Status.ACTIVE, member_id__in=wanted).values_list(
        "member_id", "circle__slug"
    ):
        circles_of[member_id].add(slug)
    existing = set(
        Connection.objects.filter(Q(user_low__in=ids) | Q(user_high__in=ids)).values_list("user_low_id", "user_high_id")
    )
    now = timezone.now()
    edges = sorted(graph_edges(rng, ids, city_of, circles_of) - existing)
    Connection.objects.bulk_create(
        [Connection(user_low_id=a, user_high_id=b, created_at=_ago(rng, now, 1, HISTORY_DAYS)) for a, b in edges],
        batch_size=2000,
    )
    _graph_changed()


def _graph_changed() -> None:
    """Bulk inserts send no signal: tell the introduction paths their graph changed (after the commit)."""
    try:
        from intros.graph import graph_changed
    except ImportError:  # pragma: no cover - the paths' graph is optional
        return
    transaction.on_commit(graph_changed)


def _adjacency(member_ids: set[int]) -> dict[int, set[int]]:
    neighbours: dict[int, set[int]] = defaultdict(set)
    rows = Connection.objects.filter(Q(user_low__in=member_ids) | Q(user_high__in=member_ids)).values_list(
        "user_low_id", "user_high_id"
    )
    for a, b in rows:
        neighbours[a].add(b)
        neighbours[b].add(a)
    return neighbours


def _intro(rng, now, *, introducer, first, second, days_ago, first_answer=Answer.PENDING, second_answer=Answer.PENDING,
           first_met=None, second_met=None) -> Introduction:  # fmt: skip
    created_at = now - dt.timedelta(days=days_ago, hours=rng.randint(0, 20))
    completed = first_answer == Answer.ACCEPTED and second_answer == Answer.ACCEPTED
    return Introduction(
        introducer_id=introducer,
        first_id=first,
        second_id=second,
        reason=rng.choice(INTRO_REASONS),
        first_answer=first_answer,
        second_answer=second_answer,
        first_met=first_met,
        second_met=second_met,
        created_at=created_at,
        expires_at=created_at + dt.timedelta(days=14),
        completed_at=created_at + dt.timedelta(days=2) if completed else None,
    )


def demo_introductions(rng, members) -> None:
    """Introductions involving the demo login in every state, and a few among other members."""
    rng = random.Random(rng.getrandbits(64))
    camille = members[0].pk
    everyone = {u.pk for u in members}
    neighbours = _adjacency(everyone)
    mine = sorted(neighbours.get(camille, set()))
    now = timezone.now()
    # (a connection of mine, one of theirs I do not know): someone who can introduce me
    bridges = [(x, y) for x in mine for y in sorted(neighbours[x]) if y != camille and y not in neighbours[camille]]
    rng.shuffle(bridges)
    chosen, used = [], set()
    for x, y in bridges:
        if x not in used and y not in used:
            chosen.append((x, y))
            used |= {x, y}
    intros = []
    plans = [
        {"days_ago": 1},  # proposed to me, nobody answered yet
        {"days_ago": 3, "second_answer": Answer.ACCEPTED},  # the other side said yes: my answer is awaited
        {"days_ago": 5, "first_answer": Answer.ACCEPTED},  # I said yes, waiting for the other side
        {"days_ago": 9, "first_answer": Answer.ACCEPTED, "second_answer": Answer.ACCEPTED},  # did we meet?
        {"days_ago": 40, "first_answer": Answer.ACCEPTED, "second_answer": Answer.ACCEPTED, "first_met": True,
         "second_met": True},
    ]  # fmt: skip
    for (introducer, other), plan in zip(chosen, plans, strict=False):
        intros.append(_intro(rng, now, introducer=introducer, first=camille, second=other, **plan))
    # Introductions I made, between two of my connections who do not know each other.
    strangers = [(a, b) for a, b in itertools.combinations(mine, 2) if b not in neighbours[a]]
    rng.shuffle(strangers)
    made_plans = [
        {"days_ago": 2, "first_answer": Answer.ACCEPTED},
        {"days_ago": 20, "first_answer": Answer.ACCEPTED, "second_answer": Answer.ACCEPTED, "first_met": True},
        {"days_ago": 30, "first_answer": Answer.ACCEPTED, "second_answer": Answer.DECLINED},
    ]
    for (first, second), plan in zip(strangers, made_plans, strict=False):
        intros.append(_intro(rng, now, introducer=camille, first=first, second=second, **plan))
    # A few among the other members, for the introducers' ledgers.
    connectors = sorted((m for m in everyone - {camille} if len(neighbours.get(m, ())) >= 4), key=lambda m: m)
    for introducer in rng.sample(connectors, k=min(OTHER_INTRODUCTIONS, len(connectors))):
        friends = sorted(neighbours[introducer] - {camille})
        pairs = [(a, b) for a, b in itertools.combinations(friends, 2) if b not in neighbours[a]]
        if not pairs:
            continue
        first, second = rng.choice(pairs)
        answers = rng.choice(
            [
                {"first_answer": Answer.ACCEPTED, "second_answer": Answer.ACCEPTED, "first_met": True},
                {"first_answer": Answer.ACCEPTED},
                {"first_answer": Answer.DECLINED},
                {},
            ]
        )
        intros.append(
            _intro(rng, now, introducer=introducer, first=first, second=second, days_ago=rng.randint(1, 60), **answers)
        )
    Introduction.objects.bulk_create(intros, batch_size=1000)
