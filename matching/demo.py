"""Demo data: past coffee-pairing rounds in the demo circles that have pairing on.

Each such circle gets a few past rounds at its rhythm among its opted-in members, no pair repeated
when a shuffle avoids it, the odd member in a trio, the format and openers the real rounds compute
(matching.pairing). Answers to "did you meet?" are mostly given for older rounds and mostly not for
the last one; the demo login's last round in her circle waits for her answer and its notification
is unread. Deterministic for the rng it is given, bulk-created.
"""

import datetime as dt
import itertools
import random

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from matching.models import PairingGroup, PairingMember, PairingRound

ROUNDS = 3
SHUFFLES = 12  # tries for a pairing with no pair of the previous rounds


def _groups(rng: random.Random, ids: list[int], seen: set[frozenset]) -> list[list[int]]:
    """Pairs (a trio when odd) with the fewest pairs already met, best of a few shuffles."""
    best, best_repeats = None, None
    for _ in range(SHUFFLES):
        order = ids[:]
        rng.shuffle(order)
        groups = [order[i : i + 2] for i in range(0, len(order) - 1, 2)]
        if len(order) % 2:
            groups[-1].append(order[-1])
        repeats = sum(frozenset(p) in seen for g in groups for p in itertools.combinations(g, 2))
        if best is None or repeats < best_repeats:
            best, best_repeats = groups, repeats
        if repeats == 0:
            break
    return best or []


def _answer(rng: random.Random, last: bool) -> tuple[bool | None, bool]:
    """(met, answered) for one member: older rounds are mostly answered, the last one mostly not."""
    roll = rng.random()
    if last:
        return (True, True) if roll < 0.25 else (None, False)
    if roll < 0.7:
        return True, True
    if roll < 0.82:
        return False, True
    return None, False


def demo_pairing_rounds(rng, members) -> None:
    from circles.models import Circle
    from matching.pairing import RHYTHM_DAYS, openers_for, pairing_candidates, suggested_format
    from people.models import Profile

    rng = random.Random(rng.getrandbits(64))
    camille = members[0]
    demo_ids = {u.pk for u in members}
    circles = list(Circle.objects.filter(pairing_enabled=True).order_by("pk"))
    candidates = {c.pk: [m for m in pairing_candidates(c) if m in demo_ids] for c in circles}
    circles = [c for c in circles if len(candidates[c.pk]) >= 2]
    everyone = set().union(*candidates.values()) if candidates else set()
    profiles = {p.user_id: p for p in Profile.objects.filter(user_id__in=everyone)}
    now = timezone.now()

    plans = []  # (round, [(group, [member ids])])
    for circle in circles:
        ids = candidates[circle.pk]
        days = RHYTHM_DAYS.get(circle.pairing_rhythm, 30)
        last_at = now - dt.timedelta(days=rng.uniform(1, 6))  # the last round: a few days ago
        seen: set[frozenset] = set()
        for number in range(1, ROUNDS + 1):
            created_at = last_at - dt.timedelta(days=days * (ROUNDS - number))
            pairing_round = PairingRound(circle=circle, number=number, created_at=created_at)
            groups = []
            for members_ in _groups(rng, ids, seen):
                group_profiles = [profiles[m] for m in members_]
                group = PairingGroup(
                    round=pairing_round,
                    suggested_format=suggested_format(group_profiles),
                    openers=openers_for(group_profiles),
                )
                groups.append((group, members_))
                seen |= {frozenset(p) for p in itertools.combinations(members_, 2)}
            plans.append((pairing_round, groups))

    PairingRound.objects.bulk_create([r for r, _g in plans])
    for pairing_round, groups in plans:
        for group, _m in groups:
            group.round = pairing_round  # the round's id, now that it has one
    PairingGroup.objects.bulk_create([g for _r, groups in plans for g, _m in groups], batch_size=1000)
    rows = []
    camille_last = None
    for pairing_round, groups in plans:
        last = pairing_round.number == ROUNDS
        for group, ids in groups:
            for member_id in ids:
                met, answered = _answer(rng, last)
                if member_id == camille.pk:
                    met, answered = (None, False) if last else (True, True)
                answered_at = pairing_round.created_at + dt.timedelta(days=rng.uniform(1, 6)) if answered else None
                rows.append(PairingMember(group=group, member_id=member_id, met=met, answered_at=answered_at))
                if member_id == camille.pk and last:
                    camille_last = (pairing_round, group, ids)
    PairingMember.objects.bulk_create(rows, batch_size=2000)
    if camille_last is not None:
        _notify_camille(camille, *camille_last, profiles)
    transaction.on_commit(_arrays_stale)


def _notify_camille(camille, pairing_round: PairingRound, group: PairingGroup, ids: list[int], profiles) -> None:
    """Her unread notification for the last round, worded as a real round words it."""
    from django.urls import reverse

    from matching.pairing import NOTIFICATION_MESSAGE, NOTIFICATION_WITH_DETAILS, notice_details
    from notifications.emails import as_recipient
    from notifications.models import Kind
    from notifications.services import notification_record
    from privacy.selectors import seen_by

    partners = {m: seen_by(camille, profiles[m]) for m in ids if m != camille.pk}
    with as_recipient(camille):
        details = notice_details(group, camille, partners)
        names = [str(p.display_name) for p in partners.values()]
    params = {"circle": pairing_round.circle.name, "partners": names}
    if details:
        params["details"] = details
    notification = notification_record(
        recipient=camille,
        kind=Kind.PAIRING,
        message=NOTIFICATION_WITH_DETAILS if details else NOTIFICATION_MESSAGE,
        params=params,
        naming={"partners": [profiles[m].user for m in partners]},
        mentions={"details": [profiles[m].user for m in partners]} if details else {},
        url=reverse("matching:pairings"),
        key=f"pairing:{pairing_round.pk}",
    )
    if notification is not None:
        type(notification).objects.filter(pk=notification.pk).update(created_at=pairing_round.created_at)


def _arrays_stale() -> None:
    """Profiles were bulk-created (no signal): the engine's arrays are rebuilt on their next use."""
    from matching.arrays import VERSION_KEY

    cache.delete(VERSION_KEY)
