"""The vouches section of a profile page (templates/vouches/_profile_vouches_body.html)."""

from people.models import User
from people.profile_sections import ShownMember
from vouches import selectors


def vouches_section(viewer: User, shown: ShownMember) -> dict:
    """Approved vouches about `member` as the viewer may see them, and what the viewer may do: the
    member's own page links to their vouches, another member's page to writing one when allowed
    (the page is open to the viewer, so they may see the member)."""
    member = shown.user
    own = viewer.pk == member.pk
    earlier = None if own else selectors.written_by_kept(viewer.pk, shown.viewer_relations_version).get(member.pk)
    about = selectors.approved_about_kept(member.pk, shown.relations_version)
    return {
        "show": True,
        "own": own,
        "member": member,
        "vouches": selectors.approved_vouches_seen_by(viewer, member, member_name=shown.name, rows=about),
        "pending_count": selectors.pending_count(viewer) if own else 0,
        "may_write": not own and selectors.may_write_again(earlier),
        "wrote": earlier is not None and earlier.withdrawn_at is None,
        "withdrawn": earlier if earlier is not None and earlier.withdrawn_at is not None else None,
    }
