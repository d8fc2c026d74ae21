"""The member search page's results: `privacy.selectors.member_search` as the rows the cards need.

The text index narrows the candidates inside the same query (`people.search_index.matching`), and
Django's Paginator counts and slices it; the privacy rules stay written once, in the selector. The
viewer's relation to each result comes from the relations kept per member (`people.cards`).
"""

from django.db.models import QuerySet

from people.models import User
from privacy.selectors import member_search

# What `member_cards` reads: the card's version, and the member's relations version.
COLUMNS = ("user_id", "updated_at", "relations_version")


def search_results(viewer: User, query: str) -> QuerySet:
    found = member_search(viewer=viewer, query=query, audience_columns=False)
    return found.prefetch_related(None).values(*COLUMNS)
