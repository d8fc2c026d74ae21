"""The vouches section of a profile page (templates/vouches/_profile_vouches_body.html)."""

from people.models import User
from vouches import selectors


def vouches_section(viewer: User, member: User) -> dict:
    """Approved vouches about `member` as the viewer may see them, and what the viewer may do: the
    member's own page links to their vouches, another member's page to writing one when allowed."""
    own = viewer.pk == member.pk
    earlier = None if own else selectors.vouch_between(author=viewer, subject=member)
    return {
        "show": True,
        "own": own,
        "member": member,
        "vouches": selectors.approved_vouches_seen_by(viewer, member),
        "pending_count": selectors.pending_count(viewer) if own else 0,
        "may_write": not own and selectors.may_write_about(viewer, member),
        "wrote": earlier is not None and earlier.withdrawn_at is None,
        "withdrawn": earlier if earlier is not None and earlier.withdrawn_at is not None else None,
    }
