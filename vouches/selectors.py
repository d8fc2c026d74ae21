"""Reads about vouches. Members are shown through the privacy selector (`profiles_seen_by`,
`visible_profile`), never from their profile's raw fields. A block between the author and the subject
(either way) hides their vouch from everyone, the two of them included, until it is lifted."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from cercle.versioned_cache import get_or_build
from people.models import User
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


def approved_about_kept(member_id: int, version: int | None) -> list[Vouch]:
    """The approved vouches about a member, newest approval first, kept under their relations
    version (writing, approving, removing or withdrawing a vouch, or a block, moves it)."""

    def read() -> list[Vouch]:
        rows = _live().filter(subject_id=member_id, status=Status.APPROVED).order_by("-approved_at", "-id")
        return list(rows[:PROFILE_LIMIT])

    return read() if version is None else get_or_build("vouches-about", (member_id, version), read)


def written_by_kept(author_id: int, version: int | None) -> dict[int, Vouch]:
    """Every vouch a member wrote (withdrawn ones too), by subject id, kept under their relations version."""

    def read() -> dict[int, Vouch]:
        return {vouch.subject_id: vouch for vouch in Vouch.objects.filter(author_id=author_id)}

    return read() if version is None else get_or_build("vouches-written", (author_id, version), read)


def approved_vouches_seen_by(
    viewer, member: User, *, member_name: str | None = None, rows: list[Vouch] | None = None
) -> list[ShownVouch]:
    """The approved vouches about a member that this viewer may see on the member's profile.

    The caller has checked that the viewer may see the member. A vouch whose author the viewer
    may not find or open (discoverability, a block either way) or whose name is hidden from the
    viewer is left out: nobody's vouch appears without their own settings allowing it. The member
    themselves sees every vouch they approved (they saw who wrote it when approving), each
    author's name as its level allows. `member_name`: the member's name as the viewer sees it, when
    the caller knows it (their profile page), as `rows`, the approved vouches (`approved_about_kept`).
    """
    if viewer is None or not viewer.is_authenticated:
        return []
    own = viewer.pk == member.pk
    if rows is None:
        rows = approved_about_kept(member.pk, version=None)
    if not rows:
        return []
    authors = profiles_seen_by(viewer, {v.author_id for v in rows}, discoverable_only=not own, objectives=False)
    subject_name = member_name if member_name is not None else _name_of(viewer, member)
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


def may_write_again(earlier: Vouch | None) -> bool:
    """Whether a member may write about someone they may see, given their earlier vouch about them
    (`vouch_between`): none yet, or one withdrawn long enough ago to be written again."""
    if earlier is None:
        return True
    return earlier.withdrawn_at is not None and earlier.withdrawn_at <= timezone.now() - REWRITE_AFTER


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
