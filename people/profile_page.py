"""Another member's profile page, read through versions that services bump.

- One query reads both members' rows: the member's profile version (`updated_at`, moved by every
  save of the profile, its photo, its consent levels and objectives), e-mail and discoverability,
  and both members' relations versions (moved by a connection, a block, a circle membership:
  `people.services.relations_changed`).
- The viewer's audience for the member comes from both members' relations (circles, connections,
  blocks), each kept under its own relations version (`privacy.relations`).
- The body of the page, what that audience sees of the member, is rendered once per (member,
  profile version, audience, language) and shared by every viewer with that audience.
- What is the viewer's own (the sections other apps add, the bell) is rendered on each view.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from cercle.versioned_cache import get_or_build
from people.models import Profile, User
from privacy.relations import audience_between, relations_now, relations_of
from privacy.selectors import Audience, discoverable_at, profile_as_seen


@dataclass(frozen=True)
class MemberPage:
    member: User
    audience: Audience
    title: str
    body: SafeString
    relations_version: int
    viewer_relations_version: int | None


def member_page(viewer: User, member_id: int) -> MemberPage | None:
    """The page as this viewer gets it, or None when it is not theirs to open (a 404)."""
    rows = {
        row[0]: row
        for row in Profile.objects.filter(user_id__in={viewer.pk, member_id}, user__is_active=True).values_list(
            "user_id", "updated_at", "relations_version", "discoverability", "user__email"
        )
    }
    if member_id not in rows:
        return None
    _id, version, member_relations, discoverability, email = rows[member_id]
    # A signed-in account without a profile (an administrator) has no version: read, not kept.
    viewer_relations = rows[viewer.pk][2] if viewer.pk in rows else None
    member = User(pk=member_id, email=email, is_active=True)
    if viewer.pk == member_id:
        audience = Audience.SELF
    else:
        mine = relations_now(viewer.pk) if viewer_relations is None else relations_of(viewer.pk, viewer_relations)
        audience = audience_between(viewer, mine, member_id, relations_of(member_id, member_relations))
    if not discoverable_at(discoverability, audience):
        return None
    title, body = get_or_build(
        "profile-body",
        (member_id, version, email, int(audience), get_language()),
        lambda: _render_body(member_id, audience),
    )
    # Our own template's output, escaped when it was rendered.
    return MemberPage(
        member=member,
        audience=audience,
        title=title,
        body=mark_safe(body),  # noqa: S308
        relations_version=member_relations,
        viewer_relations_version=viewer_relations,
    )


def _render_body(member_id: int, audience: Audience) -> tuple[str, str]:
    profile = Profile.objects.select_related("user", "city").get(user_id=member_id)
    seen = profile_as_seen(profile, audience)
    html = render_to_string("people/_member_body.html", {"member": profile.user, "seen": seen})
    return seen.display_name, html
