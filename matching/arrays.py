"""The engine's input, built from the database as privacy allows, and kept in the cache.

Which fields count: each member's fields visible to *all members* (levels "all members" and
"anyone with my card's link"). A suggestion is always shown to a signed-in member, so a reason
never rests on a field its owner keeps for their circles, connections or themselves. The price:
fields shared only with circles (objectives, by default) do not count, even between circle-mates,
and a member's own narrower fields do not steer their own suggestions either.

Building reads every active profile: a page view uses the arrays built last (cached as one .npz
blob, no pickle, plus a copy in the process); `matching.tasks.arrays_refresh` rebuilds them after a
change (queued by `matching.signals`, at most one queued at a time). The blob is one entry replaced
by each rebuild: a blob per version, in a cache that culls when full, grew the database by 0.7 MB
per profile save and pushed the log-in locks out.
"""

import io
import time
import uuid
from collections import defaultdict

from django.core.cache import cache
from django.db.models import Prefetch

from cercle.engine.profiles import ProfileArrays, build_profile_arrays
from cercle.engine.terms import SYNONYMS, fold, normalize_term, normalize_terms
from people import vocab
from people.models import Discoverability, Objective, Profile
from privacy.selectors import Audience, may_see_field

VERSION_KEY = "matching:arrays:version"
BLOB_KEY = "matching:arrays:blob"
REFRESH_QUEUED_KEY = "matching:arrays:refresh-queued"
TIMEOUT = 2 * 24 * 3600  # a stale copy is rebuilt on the next view after two days at most
MAX_NGRAM = 3
STALE_AFTER_SECONDS = 600  # a queued rebuild not done by then is done by the scheduler's check

_memo: tuple[str, ProfileArrays] | None = None


def objective_keywords(texts: list[str], known: set[str]) -> list[str]:
    """The terms an objective's sentence mentions ("rencontrer des growth hackers" → growth marketing).

    Known terms: the engine's synonym table, plus `known` (the skills and wishes members show).
    """
    found: list[str] = []
    for text in texts:
        words = fold(text).split()
        for size in range(MAX_NGRAM, 0, -1):
            for start in range(len(words) - size + 1):
                term = normalize_term(" ".join(words[start : start + size]))
                if (term in known or term in SYNONYMS) and term not in found:
                    found.append(term)
    return found


def member_dicts() -> list[dict]:
    """One plain dict per active member with a profile: what all members may see of them."""
    from circles.models import Membership, Status

    circles: dict[int, list[int]] = defaultdict(list)
    for member_id, circle_id in Membership.objects.filter(status=Status.ACTIVE, member__is_active=True).values_list(
        "member_id", "circle_id"
    ):
        circles[member_id].append(circle_id)
    profiles = list(
        Profile.objects.filter(user__is_active=True)
        .select_related("city")
        .prefetch_related(Prefetch("objectives", queryset=Objective.objects.filter(done=False)))
        .order_by("user_id")
    )

    def ok(profile: Profile, field_name: str) -> bool:
        return may_see_field(profile, field_name, Audience.MEMBER)

    known: set[str] = set()
    for profile in profiles:
        if ok(profile, "skills"):
            known.update(normalize_terms(profile.skills))
        if ok(profile, "learning"):
            known.update(normalize_terms(profile.learning))

    rows = []
    for profile in profiles:
        keywords = (
            objective_keywords([o.text for o in profile.objectives.all()], known) if ok(profile, "objectives") else []
        )
        located = ok(profile, "city") and profile.city is not None
        rows.append(
            {
                "id": profile.user_id,
                "values": list(profile.values) if ok(profile, "values") else [],
                "skills": list(profile.skills) if ok(profile, "skills") else [],
                "learning": list(profile.learning) if ok(profile, "learning") else [],
                "interests": keywords,
                "objectives": keywords,
                "profession": profile.profession_key if ok(profile, "profession") else "",
                "sector": profile.sector if ok(profile, "sector") else "",
                "circles": circles.get(profile.user_id, []),
                "formats": list(profile.formats) if ok(profile, "formats") else [],
                "lat": profile.city.latitude if located else None,
                "lon": profile.city.longitude if located else None,
                # Hidden members are never candidates; who else may find whom is asked live of
                # privacy.selectors.discoverable_profiles(viewer) (matching.selectors.excluded_ids).
                "discoverable": profile.discoverability != Discoverability.HIDDEN,
            }
        )
    return rows


def build_arrays() -> ProfileArrays:
    return build_profile_arrays(member_dicts(), format_names=list(vocab.Format.values))


def arrays_rebuild() -> ProfileArrays:
    """Build the arrays now and publish them to every process (through the cache)."""
    global _memo
    arrays = build_arrays()
    buffer = io.BytesIO()
    arrays.save(buffer)
    version = uuid.uuid4().hex
    cache.set(BLOB_KEY, buffer.getvalue(), TIMEOUT)
    cache.set(VERSION_KEY, version, TIMEOUT)
    _memo = (version, arrays)
    return arrays


def current_arrays() -> ProfileArrays:
    """The arrays built last; built here only when none exist (first use, or expired)."""
    global _memo
    version = cache.get(VERSION_KEY)
    if version is not None:
        if _memo is not None and _memo[0] == version:
            return _memo[1]
        # Two rebuilds at once may leave the other one's blob under this version: either is a whole
        # build from the same minutes, and the next rebuild sets both again.
        blob = cache.get(BLOB_KEY)
        if blob is not None:
            arrays = ProfileArrays.load(io.BytesIO(blob))
            _memo = (version, arrays)
            return arrays
    return arrays_rebuild()


def arrays_are_stale() -> bool:
    """No arrays published (expired, or never built), or a rebuild queued over ten minutes ago has
    not run yet (the worker is late or down; the rebuild removes the marker)."""
    if cache.get(VERSION_KEY) is None:
        return True
    queued_at = cache.get(REFRESH_QUEUED_KEY)
    return isinstance(queued_at, float) and time.time() - queued_at > STALE_AFTER_SECONDS


def arrays_refresh_soon() -> None:
    """Queue one rebuild (not one per saved profile: a demo load saves hundreds)."""
    if cache.add(REFRESH_QUEUED_KEY, time.time(), 3600):
        from matching.tasks import arrays_refresh

        arrays_refresh.enqueue()
