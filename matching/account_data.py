"""Matching in the account export (dismissals, weights, coffee pairings) and in the demo data (past
pairing rounds). Deleting the account deletes all of it (CASCADE); a partner's own answers stay theirs."""

from cercle.engine.scoring import COMPONENTS
from matching.models import Dismissal, MatchWeights, PairingMember
from people.demo import register_demo_step
from people.selectors import register_export_section


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _pairings(user) -> list[dict]:
    """Every round I was in: the circle, my partners as I may see them now, the format, my answer."""
    from privacy.selectors import seen_by

    mine = list(
        PairingMember.objects.filter(member=user)
        .select_related("group__round__circle")
        .order_by("group__round__created_at", "pk")
    )
    partners: dict[int, list[dict]] = {}
    others = (
        PairingMember.objects.filter(group__in=[m.group_id for m in mine], member__is_active=True)
        .exclude(member=user)
        .select_related("member__profile__city")
        .order_by("pk")
    )
    for other in others:
        seen = seen_by(user, other.member.profile)
        partners.setdefault(other.group_id, []).append({"member_id": other.member_id, "name": seen.name})
    return [
        {
            "circle": m.group.round.circle.name,
            "circle_slug": m.group.round.circle.slug,
            "round": m.group.round.number,
            "created_at": _iso(m.group.round.created_at),
            "partners": partners.get(m.group_id, []),
            "suggested_format": m.group.suggested_format,
            "we_met": m.met,
            "answered_at": _iso(m.answered_at),
        }
        for m in mine
    ]


def _opt_ins(user) -> list[dict]:
    from circles.models import Membership

    return [
        {"circle": m.circle.name, "circle_slug": m.circle.slug, "pairing_opt_in": m.pairing_opt_in}
        for m in Membership.objects.filter(member=user).select_related("circle").order_by("created_at", "id")
    ]


def export_matching(user) -> dict:
    weights = MatchWeights.objects.filter(member=user).first()
    return {
        "dismissed": [
            {"member_id": d.dismissed_id, "created_at": d.created_at.isoformat()}
            for d in Dismissal.objects.filter(member=user).order_by("created_at", "id")
        ],
        "weights": {name: getattr(weights, name) for name in COMPONENTS} if weights else None,
        "pairing_opt_ins": _opt_ins(user),
        "pairings": _pairings(user),
    }


def demo_matching(rng, members) -> None:
    from matching.demo import demo_pairing_rounds

    demo_pairing_rounds(rng, members)


register_export_section("matching", export_matching)
register_demo_step("matching", demo_matching)
