"""The one place that decides what a viewer may see of a member.

Every surface — profile page, member search, card, vCard, QR code, API — asks
these functions; none reads a profile's fields on its own. A field's level
("only me" … "anyone with my card's link") is compared with the viewer's
*audience*: how close the viewer stands to the member.

Circles are known here ("my circles": both are active members of one circle, and
organizers see a member's name and profession within their circle). Connections
(intros.models.Connection) give the "my connections" audience. A block, either way,
hides two members from each other: neither finds the other, opens the other's page
or sees any of the other's fields where a list shows them (e.g. an attendee list).
"""

from dataclasses import dataclass, field
from enum import IntEnum

from django.db.models import Exists, OuterRef, Q, QuerySet

from people import vocab
from people.models import DEFAULT_VISIBILITY, Discoverability, Level, Profile, User


class Audience(IntEnum):
    """How close a viewer stands to a member: a higher rank sees more."""

    NONE = -1  # an anonymous visitor without the card link
    LINK = 0  # anyone holding the card's link
    MEMBER = 1  # any signed-in member
    CIRCLE = 2  # shares a circle with the member
    CONNECTION = 3  # an accepted connection
    SELF = 4


# The smallest audience that may see a field set at each level.
REQUIRED_AUDIENCE = {
    Level.ONLY_ME: Audience.SELF,
    Level.CONNECTIONS: Audience.CONNECTION,
    Level.CIRCLES: Audience.CIRCLE,
    Level.MEMBERS: Audience.MEMBER,
    Level.LINK: Audience.LINK,
}


def _is_connected(viewer: User, member: User) -> bool:
    from intros.models import Connection

    low, high = sorted((viewer.pk, member.pk))
    return Connection.objects.filter(user_low_id=low, user_high_id=high).exists()


def _is_blocked(viewer: User, member: User) -> bool:
    """A block either way: the blocker's choice hides both from each other."""
    from intros.models import Block

    return Block.objects.filter(
        Q(blocker_id=viewer.pk, blocked_id=member.pk) | Q(blocker_id=member.pk, blocked_id=viewer.pk)
    ).exists()


def _connected_annotation(viewer: User) -> Exists:
    """On a Profile queryset: is the profile's member connected with the viewer?"""
    from intros.models import Connection

    return Exists(
        Connection.objects.filter(
            Q(user_low_id=viewer.pk, user_high_id=OuterRef("user_id"))
            | Q(user_high_id=viewer.pk, user_low_id=OuterRef("user_id"))
        )
    )


def _without_blocks(profiles: QuerySet, viewer: User) -> QuerySet:
    """Leave out members who blocked the viewer or whom the viewer blocked (two subqueries, no more)."""
    from intros.models import Block

    blocked = Block.objects.filter(blocker_id=viewer.pk).values("blocked_id")
    blockers = Block.objects.filter(blocked_id=viewer.pk).values("blocker_id")
    return profiles.exclude(user_id__in=blocked).exclude(user_id__in=blockers)


def _active_circle_ids(user: User) -> QuerySet:
    from circles.models import Membership, Status

    return Membership.objects.filter(member=user, status=Status.ACTIVE).values("circle_id")


def _shares_circle(viewer: User, member: User) -> bool:
    from circles.models import Membership, Status

    return Membership.objects.filter(
        member=member, status=Status.ACTIVE, circle_id__in=_active_circle_ids(viewer)
    ).exists()


def _shares_circle_annotation(viewer: User) -> Exists:
    """On a Profile queryset: does the profile's member share an active circle with the viewer?"""
    from circles.models import Membership, Status

    return Exists(
        Membership.objects.filter(
            member=OuterRef("user_id"), status=Status.ACTIVE, circle_id__in=_active_circle_ids(viewer)
        )
    )


def _blocked_annotation(viewer: User) -> Exists:
    """On a Profile queryset: is there a block, either way, between the member and the viewer?"""
    from intros.models import Block

    return Exists(
        Block.objects.filter(
            Q(blocker_id=viewer.pk, blocked_id=OuterRef("user_id"))
            | Q(blocked_id=viewer.pk, blocker_id=OuterRef("user_id"))
        )
    )


def audience_of(
    viewer,
    member: User,
    *,
    via_card: bool = False,
    shares_circle: bool | None = None,
    connected: bool | None = None,
    blocked: bool | None = None,
) -> Audience:
    """The viewer's audience for this member. `via_card`: the viewer came with the card link.

    `shares_circle`, `connected`, `blocked`: already known (a search result's annotations), so
    not asked again. A block either way gives Audience.NONE: nothing of the member is seen.
    """
    if viewer is not None and viewer.is_authenticated and viewer.pk != member.pk:
        if blocked is None:
            blocked = _is_blocked(viewer, member)
        if not blocked and connected is None:
            connected = _is_connected(viewer, member)
        if not blocked and not connected and shares_circle is None:
            shares_circle = _shares_circle(viewer, member)
    return audience_at(
        viewer, member.pk, via_card=via_card, shares_circle=shares_circle, connected=connected, blocked=blocked
    )


def audience_at(
    viewer, member_id: int, *, via_card: bool = False, shares_circle: bool, connected: bool, blocked: bool
) -> Audience:
    """`audience_of` once the three relations between the two are known."""
    if viewer is not None and viewer.is_authenticated:
        if viewer.pk == member_id:
            return Audience.SELF
        if blocked:
            return Audience.NONE
        if connected:
            return Audience.CONNECTION
        if shares_circle:
            return Audience.CIRCLE
        return Audience.MEMBER
    return Audience.LINK if via_card else Audience.NONE


def may_see_field(profile: Profile, field_name: str, audience: Audience) -> bool:
    return audience >= REQUIRED_AUDIENCE[Level(profile.level_of(field_name))]


def is_discoverable_by(viewer, member: User) -> bool:
    """May the viewer find this member in a search or open their profile page?"""
    return discoverable_with(member, audience_of(viewer, member))


def discoverable_with(member: User, audience: Audience) -> bool:
    return discoverable_at(member.profile.discoverability, audience)


def discoverable_at(discoverability: str, audience: Audience) -> bool:
    """May a viewer of this audience open the page of a member with this discoverability?"""
    if audience == Audience.SELF:
        return True
    if audience < Audience.MEMBER:
        return False
    if discoverability == Discoverability.MEMBERS:
        return True
    if discoverability == Discoverability.CIRCLES:
        return audience >= Audience.CIRCLE
    return audience >= Audience.CONNECTION


@dataclass(frozen=True)
class VisibleProfile:
    """What one viewer may see of one member: a field absent here is not shown anywhere."""

    user_id: int
    audience: Audience
    name: str | None = None
    has_photo: bool = False
    headline: str = ""
    profession: str = ""
    sector: str = ""
    city: str = ""
    city_id: int | None = None
    languages: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    learning: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    objectives: list[dict] = field(default_factory=list)
    contact_email: str = ""
    phone: str = ""
    website: str = ""
    visible_fields: frozenset[str] = frozenset()

    @property
    def display_name(self) -> str:
        from django.utils.translation import gettext

        return self.name or gettext("A Cercle member")


def profile_as_seen(profile: Profile, audience: Audience, *, objectives: bool = True) -> VisibleProfile:
    """Apply the member's per-field levels for this audience (labels in the active language).

    `objectives=False` leaves them out (a card does not show them: no query for them)."""

    def ok(name: str) -> bool:
        return may_see_field(profile, name, audience)

    shown = frozenset(name for name in DEFAULT_VISIBILITY if ok(name))
    profession = ""
    if ok("profession"):
        profession = profile.profession_other or (
            vocab.label_of(vocab.Profession, profile.profession) if profile.profession else ""
        )
    return VisibleProfile(
        user_id=profile.user_id,
        audience=audience,
        name=profile.display_name if ok("name") else None,
        has_photo=bool(profile.photo) and ok("photo"),
        headline=profile.headline if ok("headline") else "",
        profession=profession,
        sector=vocab.label_of(vocab.Sector, profile.sector) if ok("sector") and profile.sector else "",
        city=profile.city.name if ok("city") and profile.city_id else "",
        city_id=profile.city_id if ok("city") else None,
        languages=[vocab.label_of(vocab.Language, c) for c in profile.languages] if ok("languages") else [],
        skills=list(profile.skills) if ok("skills") else [],
        learning=list(profile.learning) if ok("learning") else [],
        values=[vocab.value_label(c) for c in profile.values] if ok("values") else [],
        formats=[vocab.label_of(vocab.Format, c) for c in profile.formats] if ok("formats") else [],
        objectives=(
            [{"text": o.text, "target_date": o.target_date, "done": o.done} for o in profile.objectives.all()]
            if objectives and ok("objectives")
            else []
        ),
        contact_email=(profile.contact_email or profile.user.email) if ok("contact_email") else "",
        phone=profile.phone if ok("phone") else "",
        website=profile.website if ok("website") else "",
        visible_fields=shown,
    )


def seen_by(viewer, profile: Profile) -> VisibleProfile:
    """A profile already known to be discoverable (a search result), as this viewer sees it.

    A profile from `member_search(viewer=…)` for this same viewer carries `viewer_shares_circle`
    and `viewer_connected`, and blocked members were left out: no query per result.
    """
    shares_circle = getattr(profile, "viewer_shares_circle", None)
    connected = getattr(profile, "viewer_connected", None)
    blocked = False if connected is not None else None
    audience = audience_of(viewer, profile.user, shares_circle=shares_circle, connected=connected, blocked=blocked)
    return profile_as_seen(profile, audience)


def visible_profile(viewer, member: User) -> VisibleProfile | None:
    """The profile page's view of a member, or None when the viewer may not see it at all."""
    audience = audience_of(viewer, member)
    if not discoverable_with(member, audience):
        return None
    return profile_as_seen(member.profile, audience)


def card_profile(token: str) -> tuple[Profile, VisibleProfile] | None:
    """The digital business card: what the member allows to anyone holding the link."""
    profile = Profile.objects.select_related("user", "city").filter(card_token=token, user__is_active=True).first()
    if profile is None:
        return None
    return profile, profile_as_seen(profile, Audience.LINK)


@dataclass(frozen=True)
class SeenByOrganizer:
    """Joining a circle lets its organizers see one's name and profession within it."""

    user_id: int
    name: str
    profession: str
    profession_key: str


def seen_by_organizer(profile: Profile) -> SeenByOrganizer:
    """For a circle's check-in list, seat map and requests — and only there."""
    profession = profile.profession_other or (
        vocab.label_of(vocab.Profession, profile.profession) if profile.profession else ""
    )
    return SeenByOrganizer(
        user_id=profile.user_id, name=profile.display_name, profession=profession, profession_key=profile.profession_key
    )


def _names_visible_to(audience: Audience) -> list[str]:
    return [str(level) for level, needed in REQUIRED_AUDIENCE.items() if audience >= needed]


def _visible_to_members() -> Q:
    return Q(discoverability=Discoverability.MEMBERS) & Q(visibility__name__in=_names_visible_to(Audience.MEMBER))


def discoverable_profiles(viewer: User) -> QuerySet[Profile]:
    """Profiles this signed-in viewer may find: discoverability allows it, the name is visible and
    no block stands between them."""
    profiles = Profile.objects.filter(_visible_to_members() | Q(user=viewer), user__is_active=True)
    return _without_blocks(profiles, viewer).select_related("user", "city")


def member_search(
    *, viewer: User, query: str = "", city_id: int | None = None, audience_columns: bool = True
) -> QuerySet[Profile]:
    """Find members by name, city, skill or value, accents and case ignored.

    Only text that all members may see is searched (see people.services._search_text),
    so a search never reveals a field its owner keeps narrower. `audience_columns=False` leaves
    out the viewer's relation to each result (a caller that reads it from `privacy.relations`).
    """
    from people.search_index import matching

    profiles = Profile.objects.filter(_visible_to_members(), user__is_active=True).exclude(user=viewer)
    profiles = _without_blocks(profiles, viewer).select_related("user", "city")
    if audience_columns:
        profiles = profiles.annotate(  # for seen_by: no query per result
            viewer_shares_circle=_shares_circle_annotation(viewer), viewer_connected=_connected_annotation(viewer)
        )
    profiles = matching(profiles, query)
    if city_id:
        profiles = profiles.filter(city_id=city_id, visibility__city__in=_names_visible_to(Audience.MEMBER))
    # Objectives are shown to circles and connections: fetched in one query, not one per result.
    return profiles.prefetch_related("objectives").order_by("display_name", "user_id")


def profiles_seen_by(
    viewer: User, user_ids, *, discoverable_only: bool = False, objectives: bool = True
) -> dict[int, VisibleProfile]:
    """Several members as this signed-in viewer sees them, by user id, in a few queries whatever
    their number (the authors of a list of vouches, say). Members blocked either way and inactive
    ones are left out; with `discoverable_only`, so are those the viewer may not find or open (the
    profile page's rule, as `visible_profile`). `objectives=False`: without them (one query less).

    The audiences come from each member's relations, kept under their relations version
    (`privacy.relations`)."""
    from privacy.relations import audience_between, relations_many, relations_now

    if viewer is None or not viewer.is_authenticated:
        return {}
    wanted = set(user_ids)
    profiles = Profile.objects.filter(user_id__in=[*wanted, viewer.pk], user__is_active=True)
    profiles = profiles.select_related("user", "city")
    rows = list(profiles.prefetch_related("objectives") if objectives else profiles)
    relations = relations_many({profile.user_id: profile.relations_version for profile in rows})
    mine = relations[viewer.pk] if viewer.pk in relations else relations_now(viewer.pk)
    seen = {}
    for profile in rows:
        if profile.user_id not in wanted:
            continue
        if profile.user_id == viewer.pk:
            audience = Audience.SELF
        else:
            audience = audience_between(viewer, mine, profile.user_id, relations[profile.user_id])
        if audience == Audience.NONE or (discoverable_only and not discoverable_with(profile.user, audience)):
            continue
        seen[profile.user_id] = profile_as_seen(profile, audience, objectives=objectives)
    return seen
