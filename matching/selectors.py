"""Reads of matching: the people a member should meet, and why."""

import datetime
from dataclasses import dataclass

import numpy as np
from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from cercle.engine.profiles import ProfileArrays
from cercle.engine.scoring import Suggestion, Weights, suggest
from matching.arrays import arrays_rebuild, current_arrays
from matching.models import Dismissal, MatchWeights, PairingMember
from people.models import Profile, User
from privacy.selectors import VisibleProfile, discoverable_profiles, profiles_seen_by, seen_by

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


def _arrays_with(member: User) -> tuple[ProfileArrays, int] | None:
    """The arrays built last and the member's row in them (rebuilt for a profile created since)."""
    arrays = current_arrays()
    try:
        return arrays, arrays.row_of(member.pk)
    except KeyError:  # a profile created since the last build
        if not Profile.objects.filter(user=member, user__is_active=True).exists():
            return None
        arrays = arrays_rebuild()
        try:
            return arrays, arrays.row_of(member.pk)
        except KeyError:
            return None


def suggestions_for(member: User, k: int = 10, weights: Weights | None = None) -> list[Card]:
    """This week's people to meet, best first, each as the member may see them.

    `weights`: the member's, when the caller already has them (read here otherwise). The arrays
    may be a few minutes old: whoever is shown is read live here (an account deleted or hidden
    since is left out at once).
    """
    found_arrays = _arrays_with(member)
    if found_arrays is None:
        return []
    arrays, row = found_arrays
    found = suggest(
        arrays,
        row,
        k=k,
        weights=weights or weights_of(member),
        exclude=excluded_ids(member, arrays.member_ids.tolist()),
        seed=_week_seed(),
    )
    # Who may be suggested is discoverable_profiles' rule; how each one is seen is read for all
    # the cards at once (circles shared, connection), not with queries per card.
    profiles = {p.user_id: p for p in discoverable_profiles(member).filter(user_id__in=[s.member_id for s in found])}
    seen = profiles_seen_by(member, profiles)
    return [
        Card(profile=profiles[s.member_id], seen=seen[s.member_id], suggestion=s)
        for s in found
        if s.member_id in profiles and s.member_id in seen
    ]


def ranked_among(member: User, candidate_ids, weights: Weights | None = None) -> list[Suggestion]:
    """These members (e.g. an event's attendees) ranked for `member` by the engine, best first,
    each with the engine's structured reasons.

    The caller has already kept only those the member may see (privacy.selectors); left out here
    too: the member, anyone they dismissed, members the engine never suggests (hidden ones) and
    profiles newer than the arrays (they count from the next build, minutes later).
    """
    found_arrays = _arrays_with(member)
    if found_arrays is None:
        return []
    arrays, row = found_arrays
    wanted = set(candidate_ids) - {member.pk}
    wanted -= set(
        Dismissal.objects.filter(member=member, dismissed_id__in=wanted).values_list("dismissed_id", flat=True)
    )
    if not wanted:
        return []
    others = arrays.member_ids[~np.isin(arrays.member_ids, np.fromiter(wanted, dtype=np.int64))]
    return suggest(
        arrays,
        row,
        k=len(wanted),
        weights=weights or weights_of(member),
        exclude=others,
        seed=_week_seed(),
    )


# --- Coffee pairing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PairingRow:
    """One of my pairings as I may see it: partners through the privacy selector, the format and
    openers in words, and only when what they rest on is still visible to me."""

    pairing: PairingMember
    partners: list[VisibleProfile]
    format: str
    openers: list[str]


def pairings_of(member: User, limit: int = 12, pairing_id: int | None = None) -> list[PairingRow]:
    """My latest pairings, newest first (two queries whatever their number, plus the privacy checks).

    `pairing_id`: only that one of mine.
    """
    from matching.reasons import format_in_words, openers_in_words

    mine = PairingMember.objects.filter(member=member).select_related("group__round__circle")
    if pairing_id is not None:
        mine = mine.filter(pk=pairing_id)
    mine = list(mine.order_by("-group__round__created_at", "-pk")[:limit])
    others = (
        PairingMember.objects.filter(group__in=[m.group_id for m in mine], member__is_active=True)
        .exclude(member=member)
        .select_related("member__profile__city")
        .prefetch_related("member__profile__objectives")
        .order_by("pk")
    )
    partners: dict[int, list[VisibleProfile]] = {}
    for other in others:
        partners.setdefault(other.group_id, []).append(seen_by(member, other.member.profile))
    rows = []
    for pairing in mine:
        seen = partners.get(pairing.group_id, [])
        by_id = {p.user_id: p for p in seen}
        rows.append(
            PairingRow(
                pairing=pairing,
                partners=seen,
                format=format_in_words(pairing.group.suggested_format, member.pk, by_id),
                openers=openers_in_words(pairing.group.openers, member.pk, by_id),
            )
        )
    return rows


def pairing_of_or_404(member: User, pairing_id: int) -> PairingMember:
    """One of my own pairings; someone else's and a missing one are the same 404."""
    from django.http import Http404

    pairing = PairingMember.objects.filter(pk=pairing_id, member=member).first()
    if pairing is None:
        raise Http404
    return pairing
