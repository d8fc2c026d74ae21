"""The member search page's results: `privacy.selectors.member_search` as the rows the cards need.

The text index narrows the candidates inside the same query (`people.search_index.matching`), and
Django's Paginator counts and slices it; the privacy rules stay written once, in the selector.
"""

from django.db.models import QuerySet

from people.models import User
from privacy.selectors import member_search

# The card's version (updated_at) and the viewer's audience: what `member_cards` reads.
COLUMNS = ("user_id", "updated_at", "viewer_shares_circle", "viewer_connected")


def search_results(viewer: User, query: str) -> QuerySet:
    return member_search(viewer=viewer, query=query).prefetch_related(None).values(*COLUMNS)
