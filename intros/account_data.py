"""Requests, connections and blocks in my account's data. The export names the other member only
by id: their name is theirs to show. Deleting the account deletes all of it (CASCADE)."""

from django.db.models import Q

from intros.models import Block, Connection, ConnectionRequest
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
    }


register_export_section("intros", export_intros)
