"""Members' cards in lists (search results): each rendered once per version, audience and language.

A card shows only what its profile row and the viewer's audience decide, so the key names
exactly that: the member, the profile's `updated_at`, the audience, and the language. The audience
comes from both members' relations, kept under their relations versions (`privacy.relations`). Any edit
or change of relation is a new key; only the cards missing from the cache read their profile.
"""

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from cercle.versioned_cache import TIMEOUT_S, note_lookup
from people.models import Profile
from privacy.relations import audience_between, relations_many, relations_now, relations_of
from privacy.selectors import Audience, profile_as_seen


def _key(row: dict, audience: Audience, language: str) -> str:
    version = str(row["updated_at"]).replace(" ", "T")  # a datetime, or its text from SQLite
    return f"card:{row['user_id']}:{version}:{int(audience)}:{language}"


def member_cards(viewer, rows: list[dict], *, viewer_version: int | None) -> list[SafeString]:
    """The cards of search results: rows from `people.search_page.search_page` for this viewer
    (the search leaves out blocks either way); `viewer_version`: the viewer's relations version."""
    cache = caches["pages"]
    language = get_language()
    versions = {row["user_id"]: row["relations_version"] for row in rows}
    relations = relations_many(versions) if rows else {}
    mine = relations_now(viewer.pk) if viewer_version is None else relations_of(viewer.pk, viewer_version)
    audiences = {user_id: audience_between(viewer, mine, user_id, relations[user_id]) for user_id in versions}
    keys = {row["user_id"]: _key(row, audiences[row["user_id"]], language) for row in rows}
    found = cache.get_many(keys.values())
    missing = [user_id for user_id, key in keys.items() if key not in found]
    for user_id in keys:
        note_lookup("card", hit=user_id not in missing)
    profiles = Profile.objects.select_related("user", "city").in_bulk(missing) if missing else {}
    rendered = {}
    for user_id in missing:
        seen = profile_as_seen(profiles[user_id], audiences[user_id], objectives=False)
        rendered[keys[user_id]] = render_to_string(
            "people/_member_card.html",
            {"member_id": user_id, "seen": seen, "connected": seen.audience == Audience.CONNECTION},
        )
    if rendered:
        cache.set_many(rendered, TIMEOUT_S)
    found.update(rendered)
    # Our own template's output, escaped when it was rendered.
    return [mark_safe(found[keys[row["user_id"]]]) for row in rows]  # noqa: S308
