"""Requests, connections, blocks and introductions in my account's data. The export names the other member only
by id: their name is theirs to show. Deleting the account deletes all of it (CASCADE)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from intros.models import Block, Connection, ConnectionRequest, Introduction, IntroductionAsk, IntroState
from intros.selectors import asked_introduction_ids
from people.demo import register_demo_step
from people.selectors import register_export_section


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_intros(user) -> dict:
    now = timezone.now()
    asked = asked_introduction_ids(user)
    sent = ConnectionRequest.objects.filter(sender=user).order_by("id")
    received = ConnectionRequest.objects.filter(recipient=user).order_by("id")
    connections = Connection.objects.filter(Q(user_low=user) | Q(user_high=user)).order_by("id")
    return {
        "requests_sent": [
            {
                "id": r.pk,
                "to_member_id": r.recipient_id,
                "reason": r.reason,
                # As the sender sees it: a decline or an ignore is not theirs to know.
                "status": "accepted" if r.status == "accepted" else "pending",
                "created_at": _iso(r.created_at),
            }
            for r in sent
        ],
        "requests_received": [
            {
                "id": r.pk,
                "from_member_id": r.sender_id,
                "reason": r.reason,
                "status": r.status,
                "created_at": _iso(r.created_at),
                "answered_at": _iso(r.answered_at),
            }
            for r in received
        ],
        "connections": [{"member_id": c.other_id(user.pk), "created_at": _iso(c.created_at)} for c in connections],
        "blocks": [
            {"member_id": b.blocked_id, "created_at": _iso(b.created_at)}
            for b in Block.objects.filter(blocker=user).order_by("id")
        ],
        "introductions_made": [
            {
                "id": i.pk,
                "member_ids": [i.first_id, i.second_id],
                "reason": i.reason,
                "state": i.state,
                "created_at": _iso(i.created_at),
            }
            for i in Introduction.objects.filter(introducer=user).order_by("id")
        ],
        "introductions_received": [_introduction_received(i, user, asked) for i in _received(user)],
        "introduction_asks_made": [
            {
                "id": a.pk,
                "mutual_id": a.mutual_id,
                "target_id": a.target_id,
                "reason": a.reason,
                # As the requester sees it: a decline is not theirs to know.
                "status": a.as_requester_sees_it(now),
                "created_at": _iso(a.created_at),
                "expires_at": _iso(a.expires_at),
            }
            for a in IntroductionAsk.objects.filter(requester=user).order_by("id")
        ],
        "introduction_asks_received": [
            {
                "id": a.pk,
                "requester_id": a.requester_id,
                "target_id": a.target_id,
                "reason": a.reason,
                "status": a.status,
                "created_at": _iso(a.created_at),
                "answered_at": _iso(a.answered_at),
            }
            for a in IntroductionAsk.objects.filter(mutual=user).order_by("id")
        ],
    }


def _received(user):
    return Introduction.objects.filter(Q(first=user) | Q(second=user)).order_by("id")


def _introduction_received(intro, user, asked: set[int]) -> dict:
    """The other member's id only once both accepted (double opt-in), as on the page; the state as
    on the page too (the one who asked for it is not told of the other's decline)."""
    side = intro.side(user.pk)
    now = timezone.now()
    state = intro.state_seen_by_requester(now) if intro.pk in asked else intro.state_at(now)
    return {
        "id": intro.pk,
        "introducer_id": intro.introducer_id,
        "reason": intro.reason,
        "my_answer": getattr(intro, f"{side}_answer"),
        "state": state,
        "other_member_id": intro.other_id(user.pk) if state == IntroState.COMPLETED else None,
        "we_met": getattr(intro, f"{side}_met"),
        "created_at": _iso(intro.created_at),
        "expires_at": _iso(intro.expires_at),
    }


register_export_section("intros", export_intros)


REQUEST_REASONS = [
    "Nous nous sommes croisés au petit-déjeuner du club : j'aimerais continuer la conversation sur le SEO local.",
    "Vous cherchez à apprendre la levée de fonds et c'est mon métier : prenons un café.",
    "We share the same values and both work with local brands; I'd love to compare notes over lunch.",
]


def demo_intros(rng, members) -> None:
    """The demo login has a few dozen connections and two requests waiting for an answer."""
    camille, others = members[0], members[1:]
    chosen = rng.sample(others[:400], k=min(30, len(others[:400])))
    Connection.objects.bulk_create(
        [
            Connection(user_low=min(camille, o, key=lambda u: u.pk), user_high=max(camille, o, key=lambda u: u.pk))
            for o in chosen[:26]
        ]
    )
    ConnectionRequest.objects.bulk_create(
        [
            ConnectionRequest(sender=sender, recipient=camille, reason=rng.choice(REQUEST_REASONS), status="pending")
            for sender in chosen[26:28]
        ]
    )


register_demo_step("intros", demo_intros)


def demo_graph(rng, members) -> None:
    """After the demo login's own connections: the social graph and introductions (intros.demo_graph)."""
    from intros.demo_graph import demo_connections, demo_introductions

    demo_connections(rng, members)
    demo_introductions(rng, members)


register_demo_step("intros-graph", demo_graph)


ASK_REASONS = [
    "Bonjour ! Pourrais-tu me présenter ? Je prépare une offre pour les commerces de quartier, j'aimerais son avis.",
    "Could you introduce me? I am looking for someone who has run a breakfast club, and I hear they have.",
    "J'aimerais rencontrer cette personne pour parler financement participatif : tu la connais bien, je crois.",
]


def demo_asks(rng, members) -> None:
    """Introduction asks around the demo login, drawn from the connections the steps above made: two
    asked of her (two of her connections who do not know each other), and three of hers (through
    a connection, to one of theirs she may find): two waiting, one already answered. And mutual
    connections with some of her suggestions."""
    import datetime as dt
    import random

    from intros.graph import graph_changed
    from intros.models import AskStatus
    from privacy.selectors import discoverable_profiles

    rng = random.Random(rng.getrandbits(64))  # its own numbers: later steps keep theirs
    camille = members[0]
    pairs = list(
        Connection.objects.filter(Q(user_low__email__endswith="@demo.cercle.local")).values_list(
            "user_low_id", "user_high_id"
        )
    )
    neighbours: dict[int, set[int]] = {}
    for a, b in pairs:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    mine = sorted(neighbours.get(camille.pk, set()))
    findable = set(discoverable_profiles(camille).values_list("user_id", flat=True))
    now = timezone.now()
    asks = []
    strangers = [(a, b) for a in mine for b in mine if a < b and b not in neighbours.get(a, set())]
    rng.shuffle(strangers)
    for days, (requester, target) in zip([1, 4], strangers, strict=False):
        asks.append((requester, camille.pk, target, AskStatus.PENDING, days))
    bridges = [
        (x, y)
        for x in mine
        for y in sorted(neighbours.get(x, set()))
        if y != camille.pk and y not in neighbours[camille.pk] and y in findable
    ]
    rng.shuffle(bridges)
    targets: set[int] = set()
    plans = [(AskStatus.PENDING, 2), (AskStatus.PENDING, 6), (AskStatus.DECLINED, 30)]
    for status, days in plans:
        bridge = next(((x, y) for x, y in bridges if y not in targets), None)
        if bridge is None:
            break
        targets.add(bridge[1])
        asks.append((camille.pk, bridge[0], bridge[1], status, days))
    rows = []
    for requester, mutual, target, status, days in asks:
        created_at = now - dt.timedelta(days=days, hours=rng.randint(0, 20))
        rows.append(
            IntroductionAsk(
                requester_id=requester,
                mutual_id=mutual,
                target_id=target,
                reason=rng.choice(ASK_REASONS),
                status=status,
                created_at=created_at,
                expires_at=created_at + dt.timedelta(days=14),
                answered_at=created_at + dt.timedelta(days=3) if status == AskStatus.DECLINED else None,
            )
        )
    IntroductionAsk.objects.bulk_create(rows)
    _demo_mutuals_for_suggestions(rng, camille, mine)
    transaction.on_commit(graph_changed)


def _demo_mutuals_for_suggestions(rng, camille, mine: list[int]) -> None:
    """A few of the demo login's connections know her top suggestions of the week, so their cards
    offer "ask a mutual for an introduction" (demo only: matching is asked who they are)."""
    from django.apps import apps

    if not mine or not apps.is_installed("matching"):
        return
    from matching.selectors import suggestions_for

    bridges = []
    for card in suggestions_for(camille)[:3]:
        low, high = sorted((rng.choice(mine), card.profile.user_id))
        if not Connection.objects.filter(user_low_id=low, user_high_id=high).exists():
            bridges.append(Connection(user_low_id=low, user_high_id=high))
    Connection.objects.bulk_create(bridges)


register_demo_step("intros-asks", demo_asks)
