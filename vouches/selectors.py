"""Reads about vouches. Members are shown through the privacy selector (`profiles_seen_by`,
`visible_profile`), never from their profile's raw fields. A block between the author and the subject
(either way) hides their vouch from everyone, the two of them included, until it is lifted."""

from dataclasses import dataclass

from django.db.models import CharField, Exists, F, Func, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Now
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from people.models import Profile, User
from privacy.selectors import VisibleProfile, profiles_seen_by, visible_profile
from vouches.models import REWRITE_AFTER, Status, Vouch

# At most this many vouches on a profile page, newest approval first.
PROFILE_LIMIT = 30


def _blocked_pair() -> Exists:
    from intros.models import Block

    return Exists(
        Block.objects.filter(
            Q(blocker_id=OuterRef("author_id"), blocked_id=OuterRef("subject_id"))
            | Q(blocker_id=OuterRef("subject_id"), blocked_id=OuterRef("author_id"))
        )
    )


def _live() -> QuerySet[Vouch]:
    """Vouches not withdrawn, between two active members with no block between them."""
    return Vouch.objects.filter(withdrawn_at__isnull=True, author__is_active=True, subject__is_active=True).exclude(
        _blocked_pair()
    )


@dataclass(frozen=True)
class ShownVouch:
    """A vouch with the other member as the viewer sees them (`other`: the author, or for the
    author's own list the subject) and the relation in a sentence."""

    vouch: Vouch
    other: VisibleProfile
    relation: str


def approved_vouches_seen_by(viewer, member: User) -> list[ShownVouch]:
    """The approved vouches about a member that this viewer may see on the member's profile.

    The caller has checked that the viewer may see the member. A vouch whose author the viewer
    may not find or open (discoverability, a block either way) or whose name is hidden from the
    viewer is left out: nobody's vouch appears without their own settings allowing it. The member
    themselves sees every vouch they approved (they saw who wrote it when approving), each
    author's name as its level allows.
    """
    if viewer is None or not viewer.is_authenticated:
        return []
    own = viewer.pk == member.pk
    rows = list(_live().filter(subject=member, status=Status.APPROVED).order_by("-approved_at", "-id")[:PROFILE_LIMIT])
    if not rows:
        return []
    authors = profiles_seen_by(viewer, {v.author_id for v in rows}, discoverable_only=not own)
    subject_name = _name_of(viewer, member)
    shown = []
    for vouch in rows:
        author = authors.get(vouch.author_id)
        if author is None or (author.name is None and not own):
            continue
        relation = vouch.relation_sentence(author=author.display_name, subject=subject_name)
        shown.append(ShownVouch(vouch, author, relation))
    return shown


def _name_of(viewer, member: User) -> str:
    if viewer.pk == member.pk:
        return member.profile.display_name
    seen = visible_profile(viewer, member)
    return seen.display_name if seen is not None else gettext("A Cercle member")


def _shown(viewer: User, rows, *, other_side: str) -> list[ShownVouch]:
    """Each vouch with the member on `other_side` ("author" or "subject") as the viewer sees them:
    per-field levels apply (a hidden name reads "A Cercle member")."""
    rows = list(rows)
    others = profiles_seen_by(viewer, {getattr(v, f"{other_side}_id") for v in rows})
    me = viewer.profile.display_name
    shown = []
    for vouch in rows:
        other = others.get(getattr(vouch, f"{other_side}_id"))
        if other is None:
            continue
        names = {"author": other.display_name, "subject": me}
        if other_side == "subject":
            names = {"author": me, "subject": other.display_name}
        shown.append(ShownVouch(vouch, other, vouch.relation_sentence(**names)))
    return shown


def pending_about(member: User) -> list[ShownVouch]:
    """Vouches about me waiting for my approval, oldest first."""
    rows = _live().filter(subject=member, status=Status.PENDING).order_by("created_at", "id")
    return _shown(member, rows, other_side="author")


def approved_about(member: User) -> list[ShownVouch]:
    rows = _live().filter(subject=member, status=Status.APPROVED).order_by("-approved_at", "-id")
    return _shown(member, rows, other_side="author")


def written_by(member: User) -> list[ShownVouch]:
    """The vouches I wrote, newest first, as I am told of them (`Vouch.status_for_author`)."""
    rows = _live().filter(author=member).order_by("-created_at", "-id")
    return _shown(member, rows, other_side="subject")


def pending_count(member: User) -> int:
    return _live().filter(subject=member, status=Status.PENDING).count()


def vouch_between(*, author: User, subject: User) -> Vouch | None:
    return Vouch.objects.filter(author=author, subject=subject).first()


def may_write_about(viewer, member: User) -> bool:
    """The "Write a vouch" link: another member the viewer may see, not yet vouched for (or a
    withdrawn vouch old enough to be written again)."""
    if viewer is None or not viewer.is_authenticated or viewer.pk == member.pk or not member.is_active:
        return False
    if visible_profile(viewer, member) is None:
        return False
    rewritable = Q(withdrawn_at__lte=timezone.now() - REWRITE_AFTER)
    return not Vouch.objects.filter(author=viewer, subject=member).exclude(rewritable).exists()


def vouch_about_me_or_404(*, member: User, vouch_id: int, statuses) -> Vouch:
    """A vouch about this member in one of these states; anything else is the same 404."""
    found = _live().filter(pk=vouch_id, subject=member, status__in=list(statuses)).first()
    if found is None:
        raise Http404
    return found


def vouch_by_me_or_404(*, member: User, vouch_id: int) -> Vouch:
    found = _live().filter(pk=vouch_id, author=member).first()
    if found is None:
        raise Http404
    return found


def shown_to(viewer: User, vouch: Vouch) -> ShownVouch | None:
    """One vouch for its author or its subject, with the other of the two as the viewer sees them."""
    found = _shown(viewer, [vouch], other_side="subject" if vouch.author_id == viewer.pk else "author")
    return found[0] if found else None


def _one_value(queryset, function: str, field: str = "pk") -> Subquery:
    """An aggregate over a subquery, as one value (no GROUP BY: a single row)."""
    return Subquery(queryset.order_by().annotate(value=Func(F(field), function=function)).values("value")[:1])


class _IdList(Func):
    """An integer column over a subquery's rows as one text value, ascending ids comma-separated."""

    output_field = CharField()
    template = "STRING_AGG(CAST(%(expressions)s AS TEXT), ',' ORDER BY %(expressions)s)"

    def as_sqlite(self, compiler, connection, **extra_context):
        # No ORDER BY inside an aggregate before SQLite 3.44: the ids come in the scan's order, the
        # same for the same rows (another order of the same ids would only cost a cache miss).
        return super().as_sql(compiler, connection, template="GROUP_CONCAT(%(expressions)s, ',')", **extra_context)


def _ids(queryset, field: str) -> Subquery:
    """Which rows, not how many: trading one for another changes the value (page_cache hashes it)."""
    return Subquery(queryset.order_by().annotate(value=_IdList(F(field))).values("value")[:1])


def page_state_annotations(viewer: User) -> dict:
    """What the vouches section of a member's profile page depends on, as annotations on a Profile
    queryset (people.profile_page caches the page under them): the vouches about the member (their
    number and latest change), whether the viewer wrote one, and, for the approved ones' authors,
    their profiles' latest change (consent levels) and which of them are blocked (by or from the
    viewer or the member), connected to the viewer, or share a circle with the viewer."""
    from circles.models import Membership
    from circles.models import Status as MembershipStatus
    from intros.models import Block, Connection

    # Withdrawn ones count here too: withdrawing moves `updated_at`, which the viewer's line reads.
    about = Vouch.objects.filter(subject_id=OuterRef("user_id"))
    shown = {"status": Status.APPROVED, "withdrawn_at__isnull": True}
    approved = about.filter(**shown)
    authors = Vouch.objects.filter(subject_id=OuterRef(OuterRef("user_id")), **shown).values("author_id")
    # Per approved vouch (a handful per member), index lookups rather than scans of every block.
    author, member = OuterRef("author_id"), OuterRef(OuterRef("user_id"))
    blocked = Exists(
        Block.objects.filter(
            Q(blocker_id=author, blocked_id=viewer.pk)
            | Q(blocker_id=author, blocked_id=member)
            | Q(blocked_id=author, blocker_id=viewer.pk)
            | Q(blocked_id=author, blocker_id=member)
        )
    )
    connected = Exists(
        Connection.objects.filter(
            Q(user_low_id=viewer.pk, user_high_id=OuterRef("author_id"))
            | Q(user_high_id=viewer.pk, user_low_id=OuterRef("author_id"))
        )
    )
    # Sharing a circle with an author (the "my circles" audience) may show or hide their vouch.
    shares_circle = Exists(
        Membership.objects.filter(
            member_id=OuterRef("author_id"),
            status=MembershipStatus.ACTIVE,
            circle_id__in=Membership.objects.filter(member_id=viewer.pk, status=MembershipStatus.ACTIVE).values(
                "circle_id"
            ),
        )
    )
    blocks = approved.filter(blocked)
    connections = approved.filter(connected)
    circles = approved.filter(shares_circle)
    return {
        "page_vouches_count": _one_value(about, "COUNT"),
        "page_vouches_changed": _one_value(about, "MAX", "updated_at"),
        "page_vouch_written": Exists(Vouch.objects.filter(author_id=viewer.pk, subject_id=OuterRef("user_id"))),
        # Read at query time (not a constant): the "write a vouch" link comes back once it may.
        "page_vouch_rewrite_waiting": Exists(
            Vouch.objects.filter(
                author_id=viewer.pk, subject_id=OuterRef("user_id"), withdrawn_at__gt=Now() - REWRITE_AFTER
            )
        ),
        "page_vouch_authors_changed": _one_value(Profile.objects.filter(user_id__in=authors), "MAX", "updated_at"),
        # The authors themselves, not their number: leaving the circle shared with one author and
        # joining one shared with another keeps a count at 1 but swaps the vouch shown.
        "page_vouch_blocks": _ids(blocks, "author_id"),
        "page_vouch_connections": _ids(connections, "author_id"),
        "page_vouch_circles": _ids(circles, "author_id"),
    }
