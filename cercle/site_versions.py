"""Site-wide versions: one value per kind of content, moved after the commit of any write to it.

Kept in the default cache, never culled with the rendered entries: a version that went missing
anyway gets a new random value, which only costs a miss. Moved after the commit (the callers use
`transaction.on_commit`), so that a page read meanwhile is never kept under the new version with
the old content.
"""

import secrets

from django.core.cache import caches

# What anonymous visitors see of events, circles and members (cercle/public_pages.py).
PUBLIC_PAGES = "public-pages"
# Who may be found, and by which words: every profile and account (people.search_page).
MEMBER_DIRECTORY = "member-directory"


def current(name: str) -> str:
    cache = caches["default"]
    key = f"site-version:{name}"
    version = cache.get(key)
    if version is None:
        cache.add(key, secrets.token_hex(8), None)
        version = cache.get(key)
    return version


def move(name: str) -> None:
    """Call it after the commit (`transaction.on_commit`)."""
    caches["default"].set(f"site-version:{name}", secrets.token_hex(8), None)
