"""Matching in the account export: the member's own dismissals and weights."""

from cercle.engine.scoring import COMPONENTS
from matching.models import Dismissal, MatchWeights
from people.selectors import register_export_section


def export_matching(user) -> dict:
    weights = MatchWeights.objects.filter(member=user).first()
    return {
        "dismissed": [
            {"member_id": d.dismissed_id, "created_at": d.created_at.isoformat()}
            for d in Dismissal.objects.filter(member=user).order_by("created_at", "id")
        ],
        "weights": {name: getattr(weights, name) for name in COMPONENTS} if weights else None,
    }


register_export_section("matching", export_matching)
