"""Writes of matching: dismiss a suggestion, tune the weights."""

from cercle.engine.scoring import Weights
from matching.models import Dismissal, MatchWeights
from people.models import User


def suggestion_dismiss(*, member: User, dismissed: User) -> Dismissal:
    """Never suggest `dismissed` to `member` again (idempotent)."""
    dismissal, _ = Dismissal.objects.get_or_create(member=member, dismissed=dismissed)
    return dismissal


def weights_update(*, member: User, **weights: float) -> MatchWeights:
    """Save some of the member's component weights; ValueError for unknown names or negative values."""
    Weights.from_mapping(weights)  # the engine's own check: known names, finite, >= 0
    row, _ = MatchWeights.objects.get_or_create(member=member)
    for name, value in weights.items():
        setattr(row, name, float(value))
    row.save(update_fields=[*weights, "updated_at"] if weights else None)
    return row
