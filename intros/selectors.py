"""Reads about requests, connections and blocks. Other members are shown through the privacy
selector (`privacy.selectors.seen_by`), never from their profile's raw fields."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from cercle.versioned_cache import get_or_build
from intros.models import Block, Connection, ConnectionRequest, RequestStatus
from people.models import Profile, User
from privacy.selectors import Audience

# What the sender sees as "pending": a decline or an ignore is never told.
LOOKS_PENDING = [RequestStatus.PENDING, RequestStatus.DECLINED, RequestStatus.IGNORED]


def ordered_pair(a_id: int, b_id: int) -> tuple[int, int]:
    return (a_id, b_id) if a_id < b_id else (b_id, a_id)


def are_connected(a: User, b: User) -> bool:
    low, high = ordered_pair(a.pk, b.pk)
    return Connection.objects.filter(user_low_id=low, user_high_id=high).exists()


def is_blocked_between(a: User, b: User) -> bool:
    """A block either way."""
    return Block.objects.filter(Q(blocker_id=a.pk, blocked_id=b.pk) | Q(blocker_id=b.pk, blocked_id=a.pk)).exists()


def connected_ids(member: User) -> set[int]:
    rows = Connection.objects.filter(Q(user_low=member) | Q(user_high=member)).values_list(
        "user_low_id", "user_high_id"
    )
    return {high if low == member.pk else low for low, high in rows}


def connections_of(member: User) -> list[tuple[Connection, Profile]]:
    """My connections, newest first, each with the other member's profile (select_related)."""
    connections = list(Connection.objects.filter(Q(user_low=member) | Q(user_high=member)))
    other_ids = [c.other_id(member.pk) for c in connections]
    profiles = (
        Profile.objects.select_related("user", "city")
        .prefetch_related("objectives")
        .filter(user_id__in=other_ids, user__is_active=True)
    )
    by_id = {}
    for profile in profiles:
        # Known for privacy.selectors.seen_by: connected, and a block would have ended it.
        profile.viewer_connected = True
        by_id[profile.user_id] = profile
    return [(c, by_id[c.other_id(member.pk)]) for c in connections if c.other_id(member.pk) in by_id]


def _known_unconnected(requests, side: str) -> list[ConnectionRequest]:
    """An open request means the two are not connected (an accept settles every open request
    between them) and not blocked (a block deletes them): seen_by needs no query for that."""
    requests = list(requests)
    for request in requests:
        getattr(request, side).profile.viewer_connected = False
    return requests


def incoming_requests(member: User) -> list[ConnectionRequest]:
    """Requests waiting for my answer, newest first."""
    requests = (
        ConnectionRequest.objects.filter(recipient=member, status=RequestStatus.PENDING, sender__is_active=True)
        .select_related("sender__profile__city", "sender__profile__user")
        .prefetch_related("sender__profile__objectives")
    )
    return _known_unconnected(requests, "sender")


def outgoing_requests(member: User) -> list[ConnectionRequest]:
    """My requests still unanswered — as far as I can tell (declined and ignored look pending)."""
    requests = (
        ConnectionRequest.objects.filter(sender=member, status__in=LOOKS_PENDING, recipient__is_active=True)
        .select_related("recipient__profile__city", "recipient__profile__user")
        .prefetch_related("recipient__profile__objectives")
    )
    return _known_unconnected(requests, "recipient")


def outgoing_pending_count(member: User) -> int:
    return ConnectionRequest.objects.filter(sender=member, status__in=LOOKS_PENDING).count()


def has_asked(*, sender: User, recipient: User) -> bool:
    """Any request from sender to recipient, answered or not."""
    return ConnectionRequest.objects.filter(sender=sender, recipient=recipient).exists()


def blocks_of(member: User) -> QuerySet[Block]:
    return (
        Block.objects.filter(blocker=member)
        .select_related("blocked__profile__city", "blocked__profile__user")
        .prefetch_related("blocked__profile__objectives")
    )


def incoming_request_or_404(*, member: User, request_id: int) -> ConnectionRequest:
    """A request sent to this member and still waiting; anything else is the same 404."""
    found = ConnectionRequest.objects.filter(pk=request_id, recipient=member, status=RequestStatus.PENDING).first()
    if found is None:
        raise Http404
    return found


def outgoing_request_or_404(*, member: User, request_id: int) -> ConnectionRequest:
    found = ConnectionRequest.objects.filter(pk=request_id, sender=member, status__in=LOOKS_PENDING).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class Relationship:
    """Where the viewer stands with a member, for the actions on the member's page."""

    connected: bool
    i_blocked: bool
    i_asked: bool
    they_asked_id: int | None

    @property
    def may_ask(self) -> bool:
        return not (self.connected or self.i_blocked or self.i_asked or self.they_asked_id)


def relationship(viewer: User, member: User) -> Relationship:
    they_asked = (
        ConnectionRequest.objects.filter(sender=member, recipient=viewer, status=RequestStatus.PENDING)
        .values_list("pk", flat=True)
        .first()
    )
    return Relationship(
        connected=are_connected(viewer, member),
        i_blocked=Block.objects.filter(blocker=viewer, blocked=member).exists(),
        i_asked=ConnectionRequest.objects.filter(sender=viewer, recipient=member, status__in=LOOKS_PENDING).exists(),
        they_asked_id=they_asked,
    )


def relationship_on_page(viewer: User, member: User, *, audience: Audience, viewer_version: int | None) -> Relationship:
    """`relationship` on the member's page: the page only opens without a block either way, the
    viewer's audience already says whether the two are connected, and the requests come from the
    viewer's own, kept under their relations version (None: read, not kept)."""
    rows = open_requests_kept(viewer.pk, viewer_version)
    they_asked = [
        pk for pk, sender_id, _to, status in rows if sender_id == member.pk and status == RequestStatus.PENDING
    ]
    return Relationship(
        connected=audience == Audience.CONNECTION,
        i_blocked=False,
        i_asked=any(sender_id == viewer.pk and to == member.pk for _pk, sender_id, to, _status in rows),
        they_asked_id=they_asked[0] if they_asked else None,
    )


def open_requests_kept(user_id: int, version: int | None) -> list[tuple[int, int, int, str]]:
    """(id, sender, recipient, status) of the requests to or from a member that look open to one of
    the two (pending; declined and ignored ones look pending to their sender), newest first."""

    def read() -> list[tuple[int, int, int, str]]:
        rows = ConnectionRequest.objects.filter(
            Q(sender_id=user_id) | Q(recipient_id=user_id), status__in=LOOKS_PENDING
        )
        return list(rows.order_by("-created_at", "-id").values_list("pk", "sender_id", "recipient_id", "status"))

    return read() if version is None else get_or_build("open-requests", (user_id, version), read)


# Introductions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Revealed:
    """What each of the two learns about the other once both accepted: a name and an e-mail."""

    user_id: int
    display_name: str
    email: str


@dataclass(frozen=True)
class IntroForMe:
    """One introduction as one of the two introduced sees it. `other` is None until both accept:
    before that, only the introducer's name and the reason are known."""

    introduction: object
    introducer_name: str
    state: str
    my_answer: str
    my_met: bool | None
    other: Revealed | None


def _revealed(user: User) -> Revealed:
    profile = user.profile
    return Revealed(user_id=user.pk, display_name=profile.display_name, email=profile.contact_email or user.email)


def _intro_related():
    from intros.models import Introduction

    return Introduction.objects.select_related(
        "introducer__profile__city", "first__profile", "second__profile"
    ).prefetch_related("introducer__profile__objectives")


def _name_in(seen: dict, user_id: int) -> str:
    """The name from `profiles_seen_by`, or the anonymous one (blocked either way, inactive)."""
    from privacy.selectors import Audience, VisibleProfile

    found = seen.get(user_id) or VisibleProfile(user_id=user_id, audience=Audience.NONE)
    return found.display_name


def blocked_ids(member: User) -> set[int]:
    """Members blocked by or blocking this member."""
    rows = Block.objects.filter(Q(blocker=member) | Q(blocked=member)).values_list("blocker_id", "blocked_id")
    return {blocked if blocker == member.pk else blocker for blocker, blocked in rows}


def asked_introduction_ids(member: User) -> set[int]:
    """Introductions made from this member's asks: they know whom they asked for."""
    from intros.models import IntroductionAsk

    return set(
        IntroductionAsk.objects.filter(requester=member, introduction__isnull=False).values_list(
            "introduction_id", flat=True
        )
    )


def introductions_for(member: User) -> list[IntroForMe]:
    """Introductions where I am one of the two, newest first. A block (either way) with the
    introducer or the other person hides the introduction from me altogether."""
    from django.utils import timezone

    from intros.models import IntroState
    from privacy.selectors import profiles_seen_by

    now = timezone.now()
    rows = list(_intro_related().filter(Q(first=member) | Q(second=member), introducer__is_active=True))
    hidden = blocked_ids(member)
    asked = asked_introduction_ids(member)
    introducers = profiles_seen_by(member, {intro.introducer_id for intro in rows})
    out = []
    for intro in rows:
        if intro.introducer_id in hidden or intro.other_id(member.pk) in hidden:
            continue
        side = intro.side(member.pk)
        state = intro.state_seen_by_requester(now) if intro.pk in asked else intro.state_at(now)
        other = None
        if state == IntroState.COMPLETED:
            other_user = intro.second if side == "first" else intro.first
            other = _revealed(other_user)
        out.append(
            IntroForMe(
                introduction=intro,
                introducer_name=_name_in(introducers, intro.introducer_id),
                state=state,
                my_answer=getattr(intro, f"{side}_answer"),
                my_met=getattr(intro, f"{side}_met"),
                other=other,
            )
        )
    return out


def pending_introductions_count(member: User) -> int:
    return sum(1 for i in introductions_for(member) if i.state == "pending" and i.my_answer == "pending")


@dataclass(frozen=True)
class IntroByMe:
    introduction: object
    first_name: str
    second_name: str
    state: str


def introductions_by(member: User) -> list[IntroByMe]:
    """The introducer's own list, with the state of each (a decline and an expiry read alike to
    the two introduced, but the introducer sees which state it is, not who declined)."""
    from django.utils import timezone

    from privacy.selectors import profiles_seen_by

    now = timezone.now()
    rows = list(_intro_related().filter(introducer=member))
    seen = profiles_seen_by(member, {i.first_id for i in rows} | {i.second_id for i in rows})
    return [
        IntroByMe(
            introduction=intro,
            first_name=_name_in(seen, intro.first_id),
            second_name=_name_in(seen, intro.second_id),
            state=intro.state_at(now),
        )
        for intro in rows
    ]


def introduction_for_me_or_404(*, member: User, introduction_id: int):
    """An introduction where this member is one of the two introduced; anything else is a 404."""
    from intros.models import Introduction

    found = Introduction.objects.filter(Q(first=member) | Q(second=member), pk=introduction_id).first()
    if found is None:
        raise Http404
    return found


# Introduction paths and asks --------------------------------------------------------------------


@dataclass(frozen=True)
class IntroPathShown:
    """One chain from the viewer to a member, as the viewer may see it.

    `intermediaries`: the members in between as VisibleProfiles, first hop first (one or two). The
    first hop is a connection of the viewer and of `ask_target`, whom they can introduce the viewer
    to: the target itself, or on a three-hop chain the next hop (a chain is walked one introduction
    at a time)."""

    intermediaries: tuple
    ask_target: object

    @property
    def hops(self) -> int:
        return len(self.intermediaries) + 1

    @property
    def first_hop(self):
        return self.intermediaries[0]


PATH_CANDIDATES = 4  # chains read from the graph per chain shown, before the live checks


def _live_pairs(member_ids: set[int]) -> set[tuple[int, int]]:
    """Connections among these members as they stand now, as (smaller id, larger id)."""
    ids = list(member_ids)
    return set(
        Connection.objects.filter(user_low_id__in=ids, user_high_id__in=ids).values_list("user_low_id", "user_high_id")
    )


def _blocks_of(member_ids: set[int]) -> dict[int, set[int]]:
    """For each of these members, who blocked them or whom they blocked (one query)."""
    ids = list(member_ids)
    out: dict[int, set[int]] = {m: set() for m in member_ids}
    for blocker, blocked in Block.objects.filter(Q(blocker_id__in=ids) | Q(blocked_id__in=ids)).values_list(
        "blocker_id", "blocked_id"
    ):
        if blocker in out:
            out[blocker].add(blocked)
        if blocked in out:
            out[blocked].add(blocker)
    return out


def _checked_chains(viewer: User, raw: dict[int, list], blocks: dict[int, set[int]], limit: int) -> dict[int, list]:
    """The graph's chains (`raw`: engine IntroPaths per target) kept only when they hold in the
    live database and the viewer may see every intermediary by name.

    Dropped: a chain with a connection removed since the graph was built (a deleted account's went
    with it); with an intermediary who blocked or is blocked by either end, who is inactive, whom
    the viewer may not find, or whose name the viewer may not see (no anonymous "someone" stands in
    for them: their settings exclude the viewer, so they are not shown at all); a three-hop chain
    with a shortcut (its first hop knows the target, or the viewer knows its second hop)."""
    from privacy.selectors import profiles_seen_by

    involved = {viewer.pk, *raw}
    middles: set[int] = set()
    for chains in raw.values():
        for chain in chains:
            involved.update(chain.members)
            middles.update(chain.members[1:-1])
    if not middles:
        return {}
    live = _live_pairs(involved)
    seen = profiles_seen_by(viewer, middles | set(raw), discoverable_only=True)

    def holds(a: int, b: int) -> bool:
        return ordered_pair(a, b) in live

    out: dict[int, list] = {}
    for target_id, chains in raw.items():
        hidden = blocks.get(viewer.pk, set()) | blocks.get(target_id, set())
        kept = []
        for chain in chains:
            members, middle = chain.members, chain.members[1:-1]
            if not middle or any(m in hidden for m in middle):
                continue
            if not all(holds(a, b) for a, b in zip(members, members[1:], strict=False)):
                continue
            if len(middle) == 2 and (holds(middle[0], target_id) or holds(viewer.pk, middle[1])):
                continue
            shown = [seen.get(m) for m in middle]
            ask_target = shown[1] if len(shown) == 2 else seen.get(target_id)
            if ask_target is None or any(s is None or s.name is None for s in shown):
                continue
            kept.append(IntroPathShown(intermediaries=tuple(shown), ask_target=ask_target))
            if len(kept) >= limit:
                break
        out[target_id] = kept
    return out


def intro_paths(viewer: User, target: User, limit: int = 5) -> list[IntroPathShown]:
    """Who can introduce me to `target`? Chains of two or three hops through accepted connections,
    the shortest first, then the strongest ties (recent interactions; never shown as such).

    A target the viewer may not see (hidden, blocked either way, inactive, the viewer) is a 404.
    The cached graph may be minutes old: every chain is checked against the live rows."""
    from cercle.engine.paths import shortest_paths
    from intros.graph import current_graph
    from privacy.selectors import visible_profile

    if target.pk == viewer.pk or not target.is_active or visible_profile(viewer, target) is None:
        raise Http404
    blocks = _blocks_of({viewer.pk, target.pk})
    hidden = blocks[viewer.pk] | blocks[target.pk]
    found = shortest_paths(
        current_graph(), viewer.pk, target.pk, max_hops=3, limit=limit * PATH_CANDIDATES + 1, blocked=hidden
    )
    raw = {target.pk: [chain for chain in found if chain.hops > 1]}
    return _checked_chains(viewer, raw, blocks, limit)[target.pk] if raw[target.pk] else []


def strongest_mutuals(viewer: User, target_ids) -> dict:
    """For each of these members (suggestion cards), the viewer's strongest mutual connection whom
    the viewer may see by name, as a VisibleProfile; members with none are left out."""
    from cercle.engine.paths import shortest_paths
    from intros.graph import current_graph

    target_ids = [t for t in dict.fromkeys(target_ids) if t != viewer.pk]
    if not target_ids or not connected_ids(viewer):
        return {}
    graph = current_graph()
    if graph.row_of(viewer.pk) is None:
        return {}
    blocks = _blocks_of({viewer.pk, *target_ids})
    raw = {}
    for target_id in target_ids:
        hidden = blocks[viewer.pk] | blocks[target_id]
        found = shortest_paths(graph, viewer.pk, target_id, max_hops=2, limit=PATH_CANDIDATES, blocked=hidden)
        if chains := [chain for chain in found if chain.hops == 2]:
            raw[target_id] = chains
    if not raw:
        return {}
    checked = _checked_chains(viewer, raw, blocks, limit=1)
    return {t: chains[0].first_hop for t, chains in checked.items() if chains}


OPEN_TO_REQUESTER = ["pending", "declined"]  # a decline reads pending to the requester


def pending_ask_target_ids(requester: User) -> set[int]:
    """Whom I asked to be introduced to, still open as far as I can tell."""
    from django.utils import timezone

    from intros.models import IntroductionAsk

    return set(
        IntroductionAsk.objects.filter(
            requester=requester, status__in=OPEN_TO_REQUESTER, expires_at__gt=timezone.now()
        ).values_list("target_id", flat=True)
    )


@dataclass(frozen=True)
class AskShown:
    """An introduction ask as one side sees it, the others through the privacy selector."""

    ask: object
    other: object  # VisibleProfile: the requester (for the mutual), the mutual (for the requester)
    target: object  # VisibleProfile
    state: str  # for the requester: pending, accepted or expired; for the mutual: pending


def asks_received(mutual: User) -> list[AskShown]:
    """Asks waiting for my answer (as the mutual), newest first. One whose requester or target has
    since blocked me (or I them), or left, or where a block now stands between the two, is not
    listed: it could not go ahead."""
    from django.utils import timezone

    from intros.models import AskStatus, IntroductionAsk
    from privacy.selectors import profiles_seen_by

    rows = list(IntroductionAsk.objects.filter(mutual=mutual, status=AskStatus.PENDING, expires_at__gt=timezone.now()))
    seen = profiles_seen_by(mutual, {a.requester_id for a in rows} | {a.target_id for a in rows})
    blocks = _blocks_of({a.requester_id for a in rows}) if rows else {}
    return [
        AskShown(ask=a, other=seen[a.requester_id], target=seen[a.target_id], state=AskStatus.PENDING)
        for a in rows
        if a.requester_id in seen and a.target_id in seen and a.target_id not in blocks[a.requester_id]
    ]


def asks_made(requester: User) -> list[AskShown]:
    """My asks, newest first, as far as I may know (a decline reads pending, then expired). One
    about a member I may no longer see (hidden since, blocked, gone) is not listed."""
    from django.utils import timezone

    from intros.models import IntroductionAsk
    from privacy.selectors import profiles_seen_by

    now = timezone.now()
    rows = list(IntroductionAsk.objects.filter(requester=requester))
    mutuals = profiles_seen_by(requester, {a.mutual_id for a in rows})
    targets = profiles_seen_by(requester, {a.target_id for a in rows}, discoverable_only=True)
    return [
        AskShown(ask=a, other=mutuals[a.mutual_id], target=targets[a.target_id], state=a.as_requester_sees_it(now))
        for a in rows
        if a.mutual_id in mutuals and a.target_id in targets
    ]


def ask_received_or_404(*, mutual: User, ask_id: int):
    """An ask waiting for this member's answer; anything else is the same 404."""
    from django.utils import timezone

    from intros.models import AskStatus, IntroductionAsk

    found = IntroductionAsk.objects.filter(
        pk=ask_id, mutual=mutual, status=AskStatus.PENDING, expires_at__gt=timezone.now()
    ).first()
    if found is None:
        raise Http404
    return found


def ask_made_or_404(*, requester: User, ask_id: int):
    """One of my asks that still reads pending to me (withdrawing it frees a place under the cap)."""
    from django.utils import timezone

    from intros.models import IntroductionAsk

    found = IntroductionAsk.objects.filter(
        pk=ask_id, requester=requester, status__in=OPEN_TO_REQUESTER, expires_at__gt=timezone.now()
    ).first()
    if found is None:
        raise Http404
    return found
