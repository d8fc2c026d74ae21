"""Reads of matching: the people a member should meet, and why."""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Prefetch, Q
from django.utils import timezone

from cercle.engine.scoring import Suggestion, Weights, suggest
from matching.arrays import arrays_rebuild, current_arrays
from matching.models import Dismissal, MatchWeights
from people.models import Objective, Profile, User
from privacy.selectors import VisibleProfile, discoverable_profiles, seen_by

RECENTLY_MET_DAYS = 30


@dataclass(frozen=True)
class Card:
    """One suggestion as its viewer may see it."""

    profile: Profile
    seen: VisibleProfile
    suggestion: Suggestion


def weights_row(member: User) -> MatchWeights:
    """The member's weights (unsaved defaults when never tuned)."""
    return MatchWeights.objects.filter(member=member).first() or MatchWeights(member=member)


def weights_of(member: User) -> Weights:
    return weights_row(member).as_weights()


def recently_met_ids(member: User) -> set[int]:
    """Members linked to my contacts with an interaction in the last 30 days."""
    from network.models import Contact

    since = timezone.localdate() - datetime.timedelta(days=RECENTLY_MET_DAYS)
    return set(
        Contact.objects.filter(owner=member, member__isnull=False, interactions__occurred_on__gte=since).values_list(
            "member_id", flat=True
        )
    )


def connected_or_blocked_ids(member: User) -> set[int]:
    """Members connected to `member`, or blocked by or blocking them (when the intros app is installed)."""
    if not apps.is_installed("intros"):
        return set()
    from intros.models import Block, Connection

    connections = Connection.objects.filter(Q(user_low=member) | Q(user_high=member))
    blocks = Block.objects.filter(Q(blocker=member) | Q(blocked=member))
    pairs = [
        *connections.values_list("user_low_id", "user_high_id"),
        *blocks.values_list("blocker_id", "blocked_id"),
    ]
    return {b if a == member.pk else a for a, b in pairs}


def excluded_ids(member: User, candidate_ids) -> set[int]:
    """Never suggested: dismissed, recently met, not discoverable to me, connected or blocked either way."""
    excluded = set(Dismissal.objects.filter(member=member).values_list("dismissed_id", flat=True))
    excluded |= recently_met_ids(member)
    discoverable = set(discoverable_profiles(member).values_list("user_id", flat=True))
    excluded |= set(candidate_ids) - discoverable
    excluded |= connected_or_blocked_ids(member)
    return excluded


def _week_seed() -> int:
    year, week, _ = timezone.localdate().isocalendar()
    return year * 100 + week  # ties rotate from one week to the next, stable within a week


def suggestions_for(member: User, k: int = 10, weights: Weights | None = None) -> list[Card]:
    """This week's people to meet, best first, each as the member may see them.

    `weights`: the member's, when the caller already has them (read here otherwise).
    """
    arrays = current_arrays()
    try:
        row = arrays.row_of(member.pk)
    except KeyError:  # a profile created since the last build
        if not Profile.objects.filter(user=member).exists():
            return []
        arrays = arrays_rebuild()
        row = arrays.row_of(member.pk)
    found = suggest(
        arrays,
        row,
        k=k,
        weights=weights or weights_of(member),
        exclude=excluded_ids(member, arrays.member_ids.tolist()),
        seed=_week_seed(),
    )
    profiles = {
        p.user_id: p
        for p in discoverable_profiles(member)
        .filter(user_id__in=[s.member_id for s in found])
        .prefetch_related(Prefetch("objectives", queryset=Objective.objects.all()))
    }
    return [
        Card(profile=profiles[s.member_id], seen=seen_by(member, profiles[s.member_id]), suggestion=s)
        for s in found
        if s.member_id in profiles
    ]
