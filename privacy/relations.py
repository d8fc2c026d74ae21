"""Who a member is to others (their active circles, connections and blocks), kept under their
relations version.

`Profile.relations_version` moves whenever a connection, a block or a circle membership of the
member is written (`people.services.relations_changed`), so these sets are read once per version
and the audience between two members is a few set lookups: the privacy rules themselves stay in
`privacy.selectors.audience_at`.
"""

from dataclasses import dataclass

from django.core.cache import caches
from django.db.models import Q

from cercle.versioned_cache import TIMEOUT_S, note_lookup, versioned_key
from people.models import User
from privacy.selectors import Audience, audience_at


@dataclass(frozen=True)
class Relations:
    circles: frozenset[int]
    connections: frozenset[int]
    # Blocks either way: the blocker's choice hides both from each other.
    blocks: frozenset[int]


def relations_of(user_id: int, version: int) -> Relations:
    return relations_many({user_id: version})[user_id]


def relations_now(user_id: int) -> Relations:
    """Read, not kept: for a signed-in account without a profile (an administrator), whose
    relations have no version."""
    return _read([user_id])[user_id]


def relations_many(versions: dict[int, int]) -> dict[int, Relations]:
    """Several members' relations by user id, from `{user id: relations version}`: those not kept
    yet are read together, three queries whatever their number."""
    cache = caches["pages"]
    keys = {user_id: versioned_key("relations", user_id, version) for user_id, version in versions.items()}
    found = cache.get_many(keys.values())
    missing = [user_id for user_id, key in keys.items() if key not in found]
    for user_id in keys:
        note_lookup("relations", hit=user_id not in missing)
    read = _read(missing) if missing else {}
    cache.set_many({keys[user_id]: relations for user_id, relations in read.items()}, TIMEOUT_S)
    return {user_id: found[key] if key in found else read[user_id] for user_id, key in keys.items()}


def _read(user_ids: list[int]) -> dict[int, Relations]:
    from circles.models import Membership, Status
    from intros.models import Block, Connection

    circles, connections, blocks = ({user_id: set() for user_id in user_ids} for _ in range(3))
    active = Membership.objects.filter(member_id__in=user_ids, status=Status.ACTIVE)
    for member_id, circle_id in active.values_list("member_id", "circle_id"):
        circles[member_id].add(circle_id)
    pairs = Connection.objects.filter(Q(user_low_id__in=user_ids) | Q(user_high_id__in=user_ids))
    _both_ways(pairs.values_list("user_low_id", "user_high_id"), connections)
    either = Block.objects.filter(Q(blocker_id__in=user_ids) | Q(blocked_id__in=user_ids))
    _both_ways(either.values_list("blocker_id", "blocked_id"), blocks)
    return {
        user_id: Relations(frozenset(circles[user_id]), frozenset(connections[user_id]), frozenset(blocks[user_id]))
        for user_id in user_ids
    }


def _both_ways(pairs, into: dict[int, set]) -> None:
    for a, b in pairs:
        if a in into:
            into[a].add(b)
        if b in into:
            into[b].add(a)


def audience_between(viewer: User, mine: Relations, member_id: int, theirs: Relations) -> Audience:
    """The signed-in viewer's audience for the member, from both members' relations."""
    return audience_at(
        viewer,
        member_id,
        blocked=member_id in mine.blocks,
        connected=member_id in mine.connections,
        shares_circle=not mine.circles.isdisjoint(theirs.circles),
    )
