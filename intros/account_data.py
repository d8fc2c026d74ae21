"""Requests, connections, blocks and introductions in my account's data. The export names the other member only
by id: their name is theirs to show. Deleting the account deletes all of it (CASCADE)."""

from django.db.models import Q

from intros.models import Block, Connection, ConnectionRequest, Introduction, IntroState
from people.demo import register_demo_step
from people.selectors import register_export_section


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_intros(user) -> dict:
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
        "introductions_received": [_introduction_received(i, user) for i in _received(user)],
    }


def _received(user):
    return Introduction.objects.filter(Q(first=user) | Q(second=user)).order_by("id")


def _introduction_received(intro, user) -> dict:
    """The other member's id only once both accepted (double opt-in), as on the page."""
    side = intro.side(user.pk)
    state = intro.state
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
