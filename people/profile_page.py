"""Another member's profile page: everything it depends on in one query, its HTML cached by that.

The page shows the member as the viewer's audience allows, the actions between the two
(connect, block, a pending request), the viewer's unread count, and sections other apps add.
Each app that adds something to the page registers the annotations its part depends on, so
the state read here names the whole page: `cercle.page_cache` keeps the HTML under that state,
and any change (a profile edit, a consent level, a connection, a block, a notification…) makes
a new key on the very next view.
"""

from collections.abc import Callable

from django.db.models import Expression, Subquery

from people.models import Profile, User
from privacy.selectors import (
    Audience,
    VisibleProfile,
    audience_at,
    discoverable_at,
    profile_as_seen,
    viewer_annotations,
)

StateAnnotations = Callable[[User], dict[str, Expression | Subquery]]
_registered: list[StateAnnotations] = []


def register_page_state(annotations: StateAnnotations) -> StateAnnotations:
    """Add `{name: expression}` annotations (on Profile, for this viewer) that a page part depends on."""
    _registered.append(annotations)
    return annotations


def member_page_state(viewer: User, user_id: int) -> dict | None:
    """The page's state for this viewer, in one query: the member's version and every registered
    annotation."""
    annotations = viewer_annotations(viewer)
    for part in _registered:
        annotations.update(part(viewer))
    # The e-mail is shown when no contact e-mail is set; it lives on the user row.
    columns = ["user_id", "updated_at", "discoverability", "user__email", *sorted(annotations)]
    state = Profile.objects.filter(user_id=user_id, user__is_active=True).annotate(**annotations).values(*columns)
    return next(iter(state), None)


def page_audience(viewer: User, state: dict) -> Audience | None:
    """The viewer's audience for the member, or None when the page is not theirs to open."""
    audience = audience_at(
        viewer,
        state["user_id"],
        shares_circle=bool(state["viewer_shares_circle"]),
        connected=bool(state["viewer_connected"]),
        blocked=bool(state["viewer_blocked"]),
    )
    return audience if discoverable_at(state["discoverability"], audience) else None


def page_key(viewer: User, audience: Audience, state: dict) -> tuple:
    return (viewer.pk, int(audience), tuple(sorted(state.items())))


def member_seen_on_page(user_id: int, audience: Audience) -> tuple[User, VisibleProfile]:
    """The member and what that audience sees of them, for rendering the page (a cache miss only)."""
    profile = Profile.objects.select_related("user", "city").get(user_id=user_id)
    return profile.user, profile_as_seen(profile, audience)
