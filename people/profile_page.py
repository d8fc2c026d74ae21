"""Another member's profile page: everything it depends on in one query, its HTML cached by that.

The page shows the member as the viewer's audience allows, the actions between the two
(connect, block, a pending request), the viewer's unread count, and sections other apps add.
Each app that adds something to the page registers the annotations its part depends on, so
the state read here names the whole page: `cercle.page_cache` keeps the HTML under that state,
and any change (a profile edit, a consent level, a connection, a block, a notification…) makes
a new key on the very next view.

The state query is the same for every viewer and member but for two ids: it is prepared once
(`cercle.prepared`), since compiling it costs ten times more than running it.
"""

from collections.abc import Callable

from django.db.models import Expression, Subquery

from cercle.prepared import Prepared
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
    _state_query.reset()
    return annotations


def _build_state_query(*, viewer_id: int, member_id: int, **_):
    annotations = viewer_annotations(User(pk=viewer_id))
    for part in _registered:
        annotations.update(part(User(pk=viewer_id)))
    # The e-mail is shown when no contact e-mail is set; it lives on the user row.
    columns = ["user_id", "updated_at", "discoverability", "user__email", *sorted(annotations)]
    return Profile.objects.filter(user_id=member_id, user__is_active=True).annotate(**annotations).values(*columns)


# Its values only name the page (and give the audience), so the driver's raw values do.
_state_query = Prepared(_build_state_query, "viewer_id", "member_id", convert=False)


def member_page_state(viewer: User, user_id: int) -> dict | None:
    """The page's state for this viewer: the member's version and every registered annotation."""
    found = _state_query.dicts(viewer_id=viewer.pk, member_id=user_id)
    return found[0] if found else None


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
