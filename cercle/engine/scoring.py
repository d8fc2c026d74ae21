"""Who should I meet? Every candidate scored at once, the best few explained.

Six components, each in [0, 1], summed with the member's weights:

- spirit: shared values (Jaccard);
- location: halves every LOCAL_HALF_LIFE_KM of great-circle distance, 1 in the same city,
  a low neutral score when either city is unknown;
- gap: they can teach what I want to learn, and they differ from me (profession, sector, circles);
- synchronicity: common interests, counted as much as we do not share circles (unexpected
  common ground, not the people I already see every week);
- objectives: their skills and interests cover the keywords of my objectives;
- availability: a format we both like.

Two paths share these definitions: `_totals_for_all` ranks all N members with work over N only
for the dense parts (one lookup per place and per profession-sector code), term overlaps touching
only members who share a term; `_explain` recomputes the components of the k chosen through
`_components`, with the terms behind them. Tests check both agree.

Reasons are structured data (term lists, flags, a distance): the Django side words them in the
viewer's language.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import scipy.sparse as sp

from .profiles import NO_ID, ProfileArrays, format_names_of, haversine_km

COMPONENTS = ("spirit", "location", "gap", "synchronicity", "objectives", "availability")

LOCAL_HALF_LIFE_KM = 15.0  # 15 km away scores half of next door, 45 km an eighth
SAME_CITY_KM = 1.0  # one GeoNames place: members of the same city share its coordinates
UNKNOWN_LOCATION = 0.1  # unknown is neither near nor far, but must not outrank a real neighbour
TEACH_SHARE = 0.7  # in gap: what they can teach me matters more than merely being different


@dataclass(frozen=True)
class Weights:
    """A member's tuning of the components; any non-negative numbers (zero switches one off)."""

    spirit: float = 1.0
    location: float = 0.8
    gap: float = 1.0
    synchronicity: float = 0.5
    objectives: float = 0.8
    availability: float = 0.4

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise ValueError(f"weight {item.name} must be a finite number >= 0, not {value!r}")

    @classmethod
    def from_mapping(cls, settings: Mapping[str, float]) -> "Weights":
        """From a member's saved settings: missing keys keep their default, unknown keys are refused."""
        unknown = set(settings) - set(COMPONENTS)
        if unknown:
            raise ValueError(f"unknown weights: {sorted(unknown)}")
        return cls(**{name: float(value) for name, value in settings.items()})

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class Suggestion:
    member_id: int
    score: float
    components: dict[str, float]
    reasons: dict[str, Any]


@dataclass(frozen=True)
class _PairInputs:
    """Overlap counts between "me" (scalars, or a column of m members) and candidates (a row)."""

    shared_values: np.ndarray
    my_values: np.ndarray
    their_values: np.ndarray
    can_teach: np.ndarray
    my_learning: np.ndarray
    shared_interests: np.ndarray
    my_interests: np.ndarray
    their_interests: np.ndarray
    objectives_met: np.ndarray
    my_objectives: np.ndarray
    shared_circles: np.ndarray
    my_circles: np.ndarray
    their_circles: np.ndarray
    my_profession: np.ndarray
    their_profession: np.ndarray
    my_sector: np.ndarray
    their_sector: np.ndarray
    my_formats: np.ndarray
    their_formats: np.ndarray
    distance_km: np.ndarray  # between the two cities; NaN when one is unknown


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, 0 where the denominator is 0."""
    numerator, denominator = np.broadcast_arrays(numerator, denominator)
    out = np.zeros(numerator.shape, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def location_score(distance_km: np.ndarray) -> np.ndarray:
    score = np.exp2(-distance_km / LOCAL_HALF_LIFE_KM)
    score = np.where(distance_km <= SAME_CITY_KM, 1.0, score)
    return np.where(np.isnan(distance_km), UNKNOWN_LOCATION, score)


def _components(p: _PairInputs) -> dict[str, np.ndarray]:
    circle_overlap = _ratio(p.shared_circles, p.my_circles + p.their_circles - p.shared_circles)
    known = (p.my_profession != NO_ID) & (p.their_profession != NO_ID)
    other_profession = known & (p.my_profession != p.their_profession)
    known = (p.my_sector != NO_ID) & (p.their_sector != NO_ID)
    other_sector = known & (p.my_sector != p.their_sector)
    difference = (other_profession + other_sector.astype(np.float64) + (1.0 - circle_overlap)) / 3.0
    interests = _ratio(p.shared_interests, np.sqrt(p.my_interests * p.their_interests))
    return {
        "spirit": _ratio(p.shared_values, p.my_values + p.their_values - p.shared_values),
        "location": location_score(p.distance_km),
        "gap": TEACH_SHARE * _ratio(p.can_teach, p.my_learning) + (1.0 - TEACH_SHARE) * difference,
        "synchronicity": interests * (1.0 - circle_overlap),
        "objectives": _ratio(p.objectives_met, p.my_objectives),
        "availability": ((p.my_formats & p.their_formats) != 0).astype(np.float64),
    }


def _row_terms(matrix: sp.csr_array, row: int) -> np.ndarray:
    return matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]


def _between(arrays: ProfileArrays, my_rows: np.ndarray, their_rows: np.ndarray) -> _PairInputs:
    """Members `my_rows` against members `their_rows`: (m, n) overlaps, row i = i's point of view."""

    def sub(name: str, rows: np.ndarray) -> sp.csr_array:
        return sp.csr_array(getattr(arrays, name)[rows], dtype=np.float32)

    def shared(mine: str, theirs: str) -> np.ndarray:
        return (sub(mine, my_rows) @ sub(theirs, their_rows).T).toarray()

    def my_lengths(name: str) -> np.ndarray:
        return arrays.lengths(name)[my_rows][:, None]

    def their_lengths(name: str) -> np.ndarray:
        return arrays.lengths(name)[their_rows]

    return _PairInputs(
        shared_values=shared("values", "values"),
        my_values=my_lengths("values"),
        their_values=their_lengths("values"),
        can_teach=shared("learning", "skills"),
        my_learning=my_lengths("learning"),
        shared_interests=shared("interests", "interests"),
        my_interests=my_lengths("interests"),
        their_interests=their_lengths("interests"),
        objectives_met=shared("objectives", "knows"),
        my_objectives=my_lengths("objectives"),
        shared_circles=shared("circles", "circles"),
        my_circles=my_lengths("circles"),
        their_circles=their_lengths("circles"),
        my_profession=arrays.profession[my_rows][:, None],
        their_profession=arrays.profession[their_rows],
        my_sector=arrays.sector[my_rows][:, None],
        their_sector=arrays.sector[their_rows],
        my_formats=arrays.formats[my_rows][:, None],
        their_formats=arrays.formats[their_rows],
        distance_km=haversine_km(
            arrays.lat[my_rows][:, None], arrays.lon[my_rows][:, None], arrays.lat[their_rows], arrays.lon[their_rows]
        ),
    )


# --- the fast path: one member against everyone ------------------------------------------------
# The same formulas as _components, arranged so that work over all N members is done only for the
# dense parts (location, formats, profession, sector); overlaps of terms touch only the members
# who share something, found column by column. test_scoring checks both paths agree.


def _column_counts(arrays: ProfileArrays, name: str, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows, counts): the members having some of these columns of matrix `name`, and how many."""
    if len(columns) == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0)
    by_column = arrays.by_column(name)
    rows = np.concatenate([by_column.indices[by_column.indptr[c] : by_column.indptr[c + 1]] for c in columns])
    if len(rows) == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0)
    if len(rows) * 16 < len(arrays):  # few members: sorting them beats a pass over everyone
        rows.sort()
        starts = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1])))
        return rows[starts], np.diff(np.append(starts, len(rows))).astype(np.float64)
    counts = np.bincount(rows, minlength=len(arrays))
    present = np.flatnonzero(counts)
    return present, counts[present].astype(np.float64)


def _difference_table(arrays: ProfileArrays, me: int, difference: float) -> np.ndarray:
    """difference * (other profession + other sector + 1) for every profession_sector code."""
    professions = int(arrays.profession.max(initial=NO_ID)) + 2

    def differs(size: int, mine: int) -> np.ndarray:
        table = np.ones(size)
        table[0] = 0.0  # unknown: not counted as different
        if mine == NO_ID:
            table[:] = 0.0
        else:
            table[mine + 1] = 0.0
        return table

    mine_profession, mine_sector = int(arrays.profession[me]), int(arrays.sector[me])
    table = differs(professions, mine_profession)[:, None] + differs(arrays.sector_stride, mine_sector)[None, :]
    return difference * (table + 1.0).ravel()


def _totals_for_all(arrays: ProfileArrays, me: int, weights: Weights) -> np.ndarray:
    """The weighted total of every member as a candidate for `me`."""

    def mine(name: str) -> np.ndarray:
        return _row_terms(getattr(arrays, name), me)

    difference = weights.gap * (1.0 - TEACH_SHARE) / 3.0  # each of profession, sector, circles
    total = np.zeros(len(arrays))
    if difference:
        total += _difference_table(arrays, me, difference)[arrays.profession_sector]
    if weights.location:
        place_scores = np.full(len(arrays.place_lat) + 1, UNKNOWN_LOCATION)  # the last: unknown
        if arrays.located[me]:
            distances = haversine_km(arrays.lat[me], arrays.lon[me], arrays.place_lat, arrays.place_lon)
            place_scores[:-1] = location_score(distances)
        total += weights.location * place_scores[arrays.place]
    if weights.availability and arrays.formats[me]:
        total += (weights.availability * ((arrays.format_masks & arrays.formats[me]) != 0))[arrays.format_code]

    my_circles = mine("circles")
    circle_rows, shared = _column_counts(arrays, "circles", my_circles)
    overlap = shared / (len(my_circles) + arrays.lengths("circles")[circle_rows] - shared)
    if difference:
        total[circle_rows] -= difference * overlap  # the circles' share is 1 - overlap, rarely not 1
    if weights.spirit and len(my_values := mine("values")):
        rows, shared = _column_counts(arrays, "values", my_values)
        total[rows] += weights.spirit * shared / (len(my_values) + arrays.lengths("values")[rows] - shared)
    if weights.gap and len(my_learning := mine("learning")):
        rows, count = _column_counts(arrays, "skills", my_learning)
        total[rows] += weights.gap * TEACH_SHARE * count / len(my_learning)
    if weights.synchronicity and len(my_interests := mine("interests")):
        rows, shared = _column_counts(arrays, "interests", my_interests)
        surprise = np.ones(len(rows))
        at = np.searchsorted(circle_rows, rows)
        in_circles = at < len(circle_rows)
        in_circles[in_circles] = circle_rows[at[in_circles]] == rows[in_circles]
        surprise[in_circles] -= overlap[at[in_circles]]
        cosine = shared / np.sqrt(len(my_interests) * arrays.lengths("interests")[rows])
        total[rows] += weights.synchronicity * cosine * surprise
    if weights.objectives and len(my_objectives := mine("objectives")):
        rows, met = _column_counts(arrays, "knows", my_objectives)
        total[rows] += weights.objectives * met / len(my_objectives)
    return total


def _weighted_total(components: dict[str, np.ndarray], weights: Weights) -> np.ndarray:
    total = np.zeros(np.shape(components["spirit"]), dtype=np.float64)
    for name in COMPONENTS:
        weight = getattr(weights, name)
        if weight:
            total += weight * components[name]
    return total


def tie_keys(member_ids: np.ndarray, seed: int) -> np.ndarray:
    """A seeded pseudo-random order of members (splitmix64 of id and seed): fair, reproducible ties."""
    offset = np.uint64(seed * 0x9E3779B97F4A7C15 % 2**64)  # Python ints: no overflow warning
    z = np.asarray(member_ids).astype(np.uint64) + offset
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _top_rows(total: np.ndarray, k: int, member_ids: np.ndarray, seed: int) -> np.ndarray:
    """The rows of the k best finite scores (-inf marks the excluded), best first; ties in seeded order."""
    k = min(k, len(total) - int(np.count_nonzero(total == -np.inf)))
    if k <= 0:
        return np.zeros(0, dtype=np.intp)
    # The k-th best of a sample is at most the k-th best of all: a cheap floor that leaves few rows.
    sample = total[:: max(1, len(total) // (64 * k))]
    floor = np.partition(sample, len(sample) - k)[len(sample) - k] if len(sample) >= k else -np.inf
    candidates = np.flatnonzero(total >= floor) if floor > -np.inf else np.flatnonzero(total > -np.inf)
    scores = total[candidates]
    kth_best = np.partition(scores, len(scores) - k)[len(scores) - k]
    contenders = candidates[scores >= kth_best]  # the k best, plus whoever ties with the k-th
    order = np.lexsort((tie_keys(member_ids[contenders], seed), -total[contenders]))
    return contenders[order[:k]]


def _terms(names: tuple[str, ...], ids: np.ndarray) -> list[str]:
    return sorted(names[i] for i in ids)


# Who relates to whom in each overlap: my matrix, their matrix.
_RELATIONS = {
    "values": ("values", "values"),
    "can_teach": ("learning", "skills"),
    "interests": ("interests", "interests"),
    "objectives": ("objectives", "knows"),
    "circles": ("circles", "circles"),
}


@dataclass(frozen=True)
class _Matches:
    """My terms found in the candidates' rows: (candidate position, term id), one entry per match."""

    position: np.ndarray
    term: np.ndarray

    def counts(self, candidates: int) -> np.ndarray:
        return np.bincount(self.position, minlength=candidates)

    def of(self, position: int) -> np.ndarray:
        return self.term[self.position == position]


def _matches(matrix: sp.csr_array, rows: np.ndarray, my_terms: np.ndarray) -> _Matches:
    starts = matrix.indptr[rows]
    lengths = matrix.indptr[rows + 1] - starts
    position = np.repeat(np.arange(len(rows)), lengths)
    offsets = np.arange(int(lengths.sum())) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    terms = matrix.indices[offsets]
    found = np.isin(terms, my_terms)
    return _Matches(position[found], terms[found])


def _explain(arrays: ProfileArrays, me: int, rows: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, _Matches]]:
    """Components of candidates `rows` for `me`, and the terms behind them."""
    matches = {
        key: _matches(getattr(arrays, theirs), rows, _row_terms(getattr(arrays, mine), me))
        for key, (mine, theirs) in _RELATIONS.items()
    }
    count = len(rows)

    def mine(name: str) -> np.ndarray:
        return np.asarray(arrays.lengths(name)[me])

    inputs = _PairInputs(
        shared_values=matches["values"].counts(count),
        my_values=mine("values"),
        their_values=arrays.lengths("values")[rows],
        can_teach=matches["can_teach"].counts(count),
        my_learning=mine("learning"),
        shared_interests=matches["interests"].counts(count),
        my_interests=mine("interests"),
        their_interests=arrays.lengths("interests")[rows],
        objectives_met=matches["objectives"].counts(count),
        my_objectives=mine("objectives"),
        shared_circles=matches["circles"].counts(count),
        my_circles=mine("circles"),
        their_circles=arrays.lengths("circles")[rows],
        my_profession=arrays.profession[me],
        their_profession=arrays.profession[rows],
        my_sector=arrays.sector[me],
        their_sector=arrays.sector[rows],
        my_formats=arrays.formats[me],
        their_formats=arrays.formats[rows],
        distance_km=haversine_km(arrays.lat[me], arrays.lon[me], arrays.lat[rows], arrays.lon[rows]),
    )
    return _components(inputs), matches


def _reasons(
    arrays: ProfileArrays,
    me: int,
    them: int,
    scores: dict[str, float],
    weights: Weights,
    terms_of: dict[str, np.ndarray],
) -> dict[str, Any]:
    """Why `them` is suggested to `me`: only what counted (a component with weight and score)."""

    def counted(name: str) -> bool:
        return getattr(weights, name) > 0 and scores[name] > 0

    reasons: dict[str, Any] = {}
    if counted("spirit"):
        reasons["shared_values"] = _terms(arrays.value_terms, terms_of["values"])
    if counted("location") and arrays.located[me] and arrays.located[them]:
        distance = float(haversine_km(arrays.lat[me], arrays.lon[me], arrays.lat[them], arrays.lon[them]))
        reasons["distance_km"] = round(distance, 1)
        reasons["same_city"] = distance <= SAME_CITY_KM
    if counted("gap"):
        if can_teach := _terms(arrays.terms, terms_of["can_teach"]):
            reasons["can_teach"] = can_teach
        professions, sectors = arrays.profession[[me, them]], arrays.sector[[me, them]]
        if NO_ID not in professions and professions[0] != professions[1]:
            reasons["different_profession"] = True
        if NO_ID not in sectors and sectors[0] != sectors[1]:
            reasons["different_sector"] = True
    if counted("synchronicity"):
        reasons["common_ground"] = _terms(arrays.terms, terms_of["interests"])
        reasons["different_circles"] = len(terms_of["circles"]) == 0
    if counted("objectives"):
        reasons["objectives"] = _terms(arrays.terms, terms_of["objectives"])
    if counted("availability"):
        reasons["formats"] = format_names_of(int(arrays.formats[me] & arrays.formats[them]), arrays.format_names)
    return reasons


def candidate_scores(arrays: ProfileArrays, member_index: int, weights: Weights) -> dict[str, np.ndarray]:
    """Every component and the "total" for all N members, from one member's point of view.

    The explaining path (sparse products, every component kept): for tests and tooling;
    `suggest` ranks with the fast path and explains only the k it returns.
    """
    components, _ = _explain(arrays, member_index, np.arange(len(arrays)))
    components["total"] = _weighted_total(components, weights)
    return components


def suggest(
    arrays: ProfileArrays,
    member_index: int,
    k: int = 20,
    weights: Weights | None = None,
    exclude: Iterable[int] = (),
    seed: int = 0,
) -> list[Suggestion]:
    """The k best candidates for the member at row `member_index`, best first, with their reasons.

    Never suggested: the member, anyone not discoverable, and the ids in `exclude` (connected,
    recently met, dismissed, blocked, hidden from this member: the caller knows who).
    """
    weights = weights or Weights()
    total = _totals_for_all(arrays, member_index, weights)
    total[arrays.hidden_rows] = -np.inf
    total[member_index] = -np.inf
    total[arrays.rows_of(exclude)] = -np.inf
    chosen = _top_rows(total, k, arrays.member_ids, seed)
    explained, matches = _explain(arrays, member_index, chosen)
    suggestions = []
    for position, row in enumerate(chosen.tolist()):
        components = {name: float(explained[name][position]) for name in COMPONENTS}
        terms_of = {key: found.of(position) for key, found in matches.items()}
        suggestions.append(
            Suggestion(
                member_id=int(arrays.member_ids[row]),
                score=float(total[row]),
                components=components,
                reasons=_reasons(arrays, member_index, row, components, weights, terms_of),
            )
        )
    return suggestions


def score_matrix(arrays: ProfileArrays, rows: Iterable[int], weights: Weights | None = None) -> np.ndarray:
    """(m, m) scores among some members (a circle): entry [i, j] is j as seen by i; diagonal 0.

    Pairing wants the mean of both directions: (S + S.T) / 2.
    """
    rows = np.fromiter(rows, dtype=np.intp)
    total = _weighted_total(_components(_between(arrays, rows, rows)), weights or Weights())
    np.fill_diagonal(total, 0.0)
    return total
