"""The member search page's results: `privacy.selectors.member_search`, prepared.

The search page is the busiest list of the site. Its queries are `member_search`'s own, built
once per database with stand-in values (`cercle.prepared`): the text part becomes a list of
candidate ids (found through the text index) passed as one JSON parameter, and the privacy
rules (discoverability, the name's level, blocks, the viewer's circles and connections) stay
written once, in the privacy selector.
"""

from django.db.models.expressions import RawSQL

from cercle.prepared import Prepared
from people.models import User
from people.search_index import matching_ids
from privacy.selectors import member_search

_IDS_FROM_JSON = {
    "sqlite": "SELECT value FROM json_each(%s)",
    "postgresql": "SELECT (jsonb_array_elements_text(%s::jsonb))::bigint",
}
_COLUMNS = ("user_id", "updated_at", "viewer_shares_circle", "viewer_connected")


def _results(*, vendor: str, viewer_id: int, candidates: int | None = None):
    profiles = member_search(viewer=User(pk=viewer_id)).prefetch_related(None)
    if candidates is not None:
        profiles = profiles.filter(user_id__in=RawSQL(_IDS_FROM_JSON[vendor], (candidates,)))
    return profiles.values(*_COLUMNS)


def _count(**standins):
    return _results(**standins).order_by().values("user_id")


_everyone = Prepared(_results, "viewer_id")
_everyone_count = Prepared(_count, "viewer_id")
_matching = Prepared(_results, "viewer_id", "candidates")
_matching_count = Prepared(_count, "viewer_id", "candidates")


class SearchResults:
    """A sequence for Django's Paginator: `count()` and slices run the prepared queries.

    Each row is a dict: user_id, updated_at (the card's version), viewer_shares_circle and
    viewer_connected (the viewer's audience)."""

    def __init__(self, viewer: User, query: str):
        self.viewer = viewer
        ids = matching_ids(query)
        self._values = {"viewer_id": viewer.pk}
        if ids is None:
            self._page, self._count = _everyone, _everyone_count
        else:
            self._page, self._count = _matching, _matching_count
            self._values["candidates"] = "[" + ",".join(map(str, ids)) + "]"

    def count(self) -> int:
        _columns, rows = self._count.rows(**self._values, suffix_sql=("SELECT COUNT(*) FROM (", ") counted"))
        return rows[0][0]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[dict]:
        return self._page.dicts(
            **self._values, suffix=" LIMIT %s OFFSET %s", suffix_params=(window.stop - window.start, window.start)
        )
