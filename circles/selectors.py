"""Reads of circles: browsing, the one place deciding who reaches a circle, members as allowed.

Who reaches a circle (`circle_for_viewer_or_404`; a missing and a forbidden circle are the same 404):

- public: anyone, even logged out;
- listed to members: any signed-in member; 404 for anonymous visitors;
- unlisted: any signed-in member holding its link (its address carries a random part), never
  an anonymous visitor. It appears in no listing, search or API list — only in its own
  members' "my circles".

What a viewer sees of the members (`members_of`) goes through the privacy selector's levels:
fellow active members see each other at the "my circles" audience, other signed-in members
see only those who let all members find them, anonymous visitors see nobody; organizers
additionally see every member's name and profession (`seen_by_organizer`), as joining allows.
"""

from dataclasses import dataclass, replace

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from circles.models import (
    Circle,
    Invitation,
    Membership,
    MembershipMode,
    MentoringPair,
    Report,
    Role,
    Status,
    Visibility,
)
from circles.services import profession_label
from people.models import Discoverability, User
from places.text import fold
from privacy.selectors import (
    REQUIRED_AUDIENCE,
    Audience,
    SeenByOrganizer,
    VisibleProfile,
    profile_as_seen,
    seen_by_organizer,
    visible_profile,
)

BROWSE_PAGE_SIZE = 24
MEMBERS_PAGE_SIZE = 48


def _signed_in(viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def listed_circles(viewer) -> QuerySet[Circle]:
    """Circles any listing may show this viewer: public ones, and those listed to members once signed in."""
    shown = [Visibility.PUBLIC, Visibility.MEMBERS] if _signed_in(viewer) else [Visibility.PUBLIC]
    return Circle.objects.filter(visibility__in=shown)


def circles_browse(
    *,
    viewer,
    city_id: int | None = None,
    topic: str = "",
    family: str = "",
    value: str = "",
    query: str = "",
) -> QuerySet[Circle]:
    """Browse and search circles, accents and case ignored. Unlisted circles never appear here."""
    circles = listed_circles(viewer)
    if city_id:
        circles = circles.filter(city_id=city_id)
    if family:
        circles = circles.filter(family=family)
    if topic.strip():
        circles = circles.filter(search_text__contains="{t:" + fold(topic))
    if value:
        circles = circles.filter(search_text__contains="{v:" + fold(value) + "}")
    for word in fold(query).split()[:10]:
        circles = circles.filter(search_text__contains=word)
    return (
        circles.select_related("city")
        .annotate(member_count=Count("memberships", filter=Q(memberships__status=Status.ACTIVE)))
        .order_by("name", "id")
    )


def browse_cities(viewer) -> QuerySet:
    """The towns that have circles this viewer may see listed (for the browse page's filter)."""
    from places.models import City

    return City.objects.filter(pk__in=listed_circles(viewer).values("city_id")).order_by("name")


def circle_for_viewer_or_404(viewer, slug: str) -> Circle:
    """The one place deciding whether this viewer reaches this circle at all."""
    circle = Circle.objects.select_related("city").filter(slug=slug).first()
    if circle is None:
        raise Http404
    if circle.visibility != Visibility.PUBLIC and not _signed_in(viewer):
        raise Http404
    return circle


def circle_for_organizer_or_404(viewer, slug: str) -> Circle:
    """Only the circle's active organizers manage it; everybody else gets the same 404."""
    circle = circle_for_viewer_or_404(viewer, slug)
    if not _signed_in(viewer) or membership_of(circle=circle, user=viewer, role=Role.ORGANIZER) is None:
        raise Http404
    return circle


def membership_of(*, circle: Circle, user, role: str | None = None, status: str | None = Status.ACTIVE):
    """This member's membership of the circle (active by default), or None."""
    if not _signed_in(user):
        return None
    memberships = Membership.objects.filter(circle=circle, member=user)
    if status is not None:
        memberships = memberships.filter(status=status)
    if role is not None:
        memberships = memberships.filter(role=role)
    return memberships.first()


def membership_in_circle_or_404(*, circle: Circle, membership_id: int) -> Membership:
    """A membership of this circle (the caller already checked the viewer may manage it)."""
    found = (
        Membership.objects.select_related("member__profile", "circle").filter(circle=circle, pk=membership_id).first()
    )
    if found is None:
        raise Http404
    return found


def report_in_circle_or_404(*, circle: Circle, report_id: int) -> Report:
    found = Report.objects.select_related("circle").filter(circle=circle, pk=report_id).first()
    if found is None:
        raise Http404
    return found


def my_memberships(*, user: User) -> QuerySet[Membership]:
    """My circles: active ones, and the invitations and requests that wait for an answer."""
    return (
        Membership.objects.filter(member=user, status__in=[Status.ACTIVE, Status.INVITED, Status.REQUESTED])
        .select_related("circle", "circle__city")
        .order_by("status", "circle__name")
    )


# --- Members, as each viewer may see them ----------------------------------------------------


@dataclass(frozen=True)
class MemberEntry:
    membership: Membership
    seen: VisibleProfile
    # Only for the circle's organizers: the name and profession joining lets them see.
    for_organizer: SeenByOrganizer | None = None
    # May the viewer open this member's profile page (their discoverability allows it)?
    linkable: bool = False

    @property
    def name(self) -> str:
        return self.for_organizer.name if self.for_organizer else self.seen.display_name

    @property
    def profession(self) -> str:
        return self.for_organizer.profession if self.for_organizer else self.seen.profession


@dataclass(frozen=True)
class MemberList:
    entries: list[MemberEntry]
    page: Page | None
    total: int  # active members, shown or not
    as_organizer: bool

    @property
    def not_shown(self) -> int:
        shown = self.page.paginator.count if self.page is not None else len(self.entries)
        return max(self.total - shown, 0)


def _levels_seen_by(audience: Audience) -> list[str]:
    return [str(level) for level, needed in REQUIRED_AUDIENCE.items() if audience >= needed]


# `membership=UNREAD`: the viewer's membership of the circle is read here.
UNREAD = object()


def viewer_audience(*, circle: Circle, viewer, membership=UNREAD) -> tuple[Audience, bool]:
    """(the audience the viewer has for this circle's members, whether they organize it).

    `membership`: the viewer's membership of the circle when the caller already read it (of any
    status; None when they have none)."""
    if not _signed_in(viewer):
        return Audience.NONE, False
    if membership is UNREAD:
        membership = membership_of(circle=circle, user=viewer)
    if membership is None or membership.status != Status.ACTIVE:
        return Audience.MEMBER, False
    return Audience.CIRCLE, membership.role == Role.ORGANIZER


def members_of(
    *,
    circle: Circle,
    viewer,
    page_number=1,
    per_page: int = MEMBERS_PAGE_SIZE,
    role: str | None = None,
    membership=UNREAD,
) -> MemberList:
    """The circle's active members as this viewer may see them, organizers first, a page at a time.

    Fellow members see each other at the "my circles" audience (a connection would see more:
    this list never shows more than that); a member hidden from search stays out of the list for
    everyone but the organizers; a member whose name the viewer may not see is counted, not listed.
    A constant number of queries, whatever the size of the page. `membership`: as `viewer_audience`.
    """
    audience, as_organizer = viewer_audience(circle=circle, viewer=viewer, membership=membership)
    active = Membership.objects.filter(circle=circle, status=Status.ACTIVE)
    if role is not None:
        active = active.filter(role=role)
    total = active.count()
    if audience == Audience.NONE or (audience == Audience.MEMBER and circle.visibility == Visibility.UNLISTED):
        # Belonging to an unlisted circle is known to its members only.
        return MemberList(entries=[], page=None, total=total, as_organizer=False)
    shown = active
    if not as_organizer:
        allowed = [Discoverability.MEMBERS]
        if audience >= Audience.CIRCLE:
            allowed.append(Discoverability.CIRCLES)
        shown = shown.filter(
            Q(member=viewer)
            | Q(
                member__profile__discoverability__in=allowed,
                member__profile__visibility__name__in=_levels_seen_by(audience),
            )
        )
    shown = (
        shown.select_related("member", "member__profile", "member__profile__city")
        .prefetch_related("member__profile__objectives")
        .order_by("-role", "member__profile__display_name", "id")
    )
    paginator = Paginator(shown, per_page)
    if as_organizer:  # nothing left out: the paginator would count again what `total` counted
        paginator.count = total
    page = paginator.get_page(page_number)
    entries = []
    for membership in page.object_list:
        profile = membership.member.profile
        own = membership.member_id == viewer.pk
        seen = profile_as_seen(profile, Audience.SELF if own else audience)
        discoverable = profile.discoverability == Discoverability.MEMBERS or (
            profile.discoverability == Discoverability.CIRCLES and audience >= Audience.CIRCLE
        )
        entries.append(
            MemberEntry(
                membership=membership,
                seen=seen,
                for_organizer=seen_by_organizer(profile) if as_organizer else None,
                linkable=own or (discoverable and seen.name is not None),
            )
        )
    return MemberList(entries=entries, page=page, total=total, as_organizer=as_organizer)


def organizers_of(*, circle: Circle, viewer, membership=UNREAD) -> MemberList:
    """The organizers, shown to a viewer as their own settings allow (all on one page)."""
    return members_of(circle=circle, viewer=viewer, role=Role.ORGANIZER, per_page=50, membership=membership)


# --- For organizers --------------------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    key: str
    profession: str
    holder: SeenByOrganizer
    membership_id: int


@dataclass(frozen=True)
class SeatMap:
    seats: list[Seat]
    without_seat: list[SeenByOrganizer]  # active members who joined before the circle gave seats


def seat_map(*, circle: Circle) -> SeatMap | None:
    """Which professions are seated in a cooptation circle, and who holds each (organizers only)."""
    if circle.membership_mode != MembershipMode.COOPTATION:
        return None
    active = Membership.objects.filter(circle=circle, status=Status.ACTIVE).select_related("member__profile")
    seats, without = [], []
    for membership in active:
        profile = membership.member.profile
        if membership.seat_key:
            seats.append(
                Seat(
                    key=membership.seat_key,
                    profession=profession_label(membership.seat_key, profile),
                    holder=seen_by_organizer(profile),
                    membership_id=membership.pk,
                )
            )
        else:
            without.append(seen_by_organizer(profile))
    seats.sort(key=lambda seat: fold(seat.profession))
    return SeatMap(seats=seats, without_seat=without)


@dataclass(frozen=True)
class PendingRequest:
    membership: Membership
    who: SeenByOrganizer


def pending_requests(*, circle: Circle) -> list[PendingRequest]:
    requests = (
        Membership.objects.filter(circle=circle, status=Status.REQUESTED)
        .select_related("member__profile")
        .order_by("created_at", "id")
    )
    return [PendingRequest(membership=m, who=seen_by_organizer(m.member.profile)) for m in requests]


def pending_invitations(*, circle: Circle, viewer: User) -> dict:
    """Invitations not answered yet: members of Cercle invited, and e-mails not used yet. A member
    the viewing organizer may not see is shown as the address invited, like someone not on Cercle
    (None in place of who they are)."""
    invited = (
        Membership.objects.filter(circle=circle, status=Status.INVITED)
        .select_related("member__profile", "sponsor__profile")
        .order_by("-updated_at")
    )
    emails = (
        Invitation.objects.filter(circle=circle, used_at__isnull=True)
        .select_related("inviter__profile")
        .order_by("-created_at")
    )
    return {
        "members": [(m, _invitee_seen(viewer, m)) for m in invited],
        "emails": list(emails),
    }


def _invitee_seen(viewer: User, membership: Membership) -> SeenByOrganizer | None:
    """An invited member as this organizer may see them: their name, and their profession when
    it is visible to them too (an invitee, unlike a candidate, asked for nothing)."""
    seen = visible_profile(viewer, membership.member)
    if seen is None or not seen.name:
        return None
    who = seen_by_organizer(membership.member.profile)
    return who if "profession" in seen.visible_fields else replace(who, profession="", profession_key="")


def reports_of(*, circle: Circle) -> QuerySet[Report]:
    return (
        Report.objects.filter(circle=circle)
        .select_related("reporter__profile", "reported__profile")
        .order_by("state", "-created_at")
    )


def mentoring_pairs_of(*, circle: Circle) -> QuerySet[MentoringPair]:
    return (
        MentoringPair.objects.filter(circle=circle)
        .select_related("mentor__profile", "mentee__profile")
        .prefetch_related("checkins")
        .order_by("-active", "-started_on", "id")
    )


def my_mentoring(*, circle: Circle, user) -> QuerySet[MentoringPair]:
    """The mentoring pairs this member is part of in the circle."""
    if not _signed_in(user):
        return MentoringPair.objects.none()
    return (
        MentoringPair.objects.filter(circle=circle, active=True)
        .filter(Q(mentor=user) | Q(mentee=user))
        .select_related("mentor__profile", "mentee__profile")
        .prefetch_related("checkins")
    )


def mentoring_pair_for_viewer_or_404(*, circle: Circle, pair_id: int, viewer) -> MentoringPair:
    """A pair of the circle, for its mentor, its mentee or an organizer."""
    pair = MentoringPair.objects.select_related("circle").filter(circle=circle, pk=pair_id).first()
    if pair is None or not _signed_in(viewer):
        raise Http404
    if (
        viewer.pk not in (pair.mentor_id, pair.mentee_id)
        and membership_of(circle=circle, user=viewer, role=Role.ORGANIZER) is None
    ):
        raise Http404
    return pair


# --- Events of a circle (the events app owns them; this only reads) --------------------------


def upcoming_events(*, circle: Circle, limit: int = 5) -> list:
    return list(
        circle.events.filter(starts_at__gte=timezone.now(), state="scheduled")
        .select_related("city")
        .order_by("starts_at")[:limit]
    )
