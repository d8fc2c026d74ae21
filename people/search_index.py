"""Substring search over `Profile.search_text` through an index (migration 0002_search_index).

On SQLite the FTS5 trigram table answers words of three letters or more; shorter words (and
other databases, where pg_trgm's index serves LIKE directly) use a plain `contains`. Both give
the same answer: the trigram tokenizer matches any substring, case-insensitively, and the
text and the query are folded (accents, case) by the same `places.text.fold`.
"""

from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from places.text import fold

_FTS_MATCH = "SELECT rowid FROM people_profile_search WHERE people_profile_search MATCH %s"


def matching(profiles: QuerySet, query: str) -> QuerySet:
    """Profiles whose search text contains every word of the query."""
    words = fold(query).split()
    if connections[profiles.db].vendor == "sqlite":
        indexed = [word for word in words if len(word) >= 3]
        if indexed:
            # Each word as an FTS5 string ("" escapes a quote): no operator can be injected.
            match = " AND ".join('"' + word.replace('"', '""') + '"' for word in indexed)
            profiles = profiles.filter(user_id__in=RawSQL(_FTS_MATCH, (match,)))
        words = [word for word in words if len(word) < 3]
    for word in words:
        profiles = profiles.filter(search_text__contains=word)
    return profiles
