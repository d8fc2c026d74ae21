"""Reads about requests, connections and blocks. Other members are shown through the privacy
selector (`privacy.selectors.seen_by`), never from their profile's raw fields."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from intros.models import Block, Connection, ConnectionRequest, RequestStatus
from people.models import Profile, User

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


def blocked_ids(member: User) -> set[int]:
    """Members blocked by or blocking this member."""
    rows = Block.objects.filter(Q(blocker=member) | Q(blocked=member)).values_list("blocker_id", "blocked_id")
    return {blocked if blocker == member.pk else blocker for blocker, blocked in rows}


def introductions_for(member: User) -> list[IntroForMe]:
    """Introductions where I am one of the two, newest first. A block (either way) with the
    introducer or the other person hides the introduction from me altogether."""
    from django.utils import timezone

    from intros.models import IntroState
    from privacy.selectors import seen_by

    now = timezone.now()
    rows = _intro_related().filter(Q(first=member) | Q(second=member), introducer__is_active=True)
    hidden = blocked_ids(member)
    out = []
    for intro in rows:
        if intro.introducer_id in hidden or intro.other_id(member.pk) in hidden:
            continue
        side = intro.side(member.pk)
        state = intro.state_at(now)
        other = None
        if state == IntroState.COMPLETED:
            other_user = intro.second if side == "first" else intro.first
            other = _revealed(other_user)
        out.append(
            IntroForMe(
                introduction=intro,
                introducer_name=seen_by(member, intro.introducer.profile).display_name,
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

    from privacy.selectors import seen_by

    now = timezone.now()
    rows = _intro_related().filter(introducer=member)
    return [
        IntroByMe(
            introduction=intro,
            first_name=seen_by(member, intro.first.profile).display_name,
            second_name=seen_by(member, intro.second.profile).display_name,
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
