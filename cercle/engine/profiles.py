"""Members as arrays: one row per member, so scoring works on all candidates at once.

The Django side turns profiles into plain dicts; `build_profile_arrays` normalizes their terms
and packs them; `save`/`load` let a worker precompute the arrays for the web processes.
Rows are sorted by member id so that an id finds its row by binary search.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from .terms import Vocabulary, normalize_terms, normalize_value, normalize_values

NO_ID = -1  # profession or sector unknown
MAX_FORMATS = 63  # formats are bits of one int64
EARTH_RADIUS_KM = 6371.0088

_MATRICES = ("values", "skills", "learning", "interests", "objectives", "circles")
_VECTORS = ("member_ids", "profession", "sector", "formats", "lat", "lon", "discoverable", "circle_ids")
_NAMES = ("value_terms", "terms", "professions", "sectors", "format_names")


@dataclass(eq=False)
class ProfileArrays:
    """N members: boolean CSR matrices over vocabularies, and one vector per scalar attribute."""

    member_ids: np.ndarray  # int64 (N,), strictly increasing
    values: sp.csr_array  # N x V, value_terms
    skills: sp.csr_array  # N x T, terms (shared by skills, learning, interests and objectives)
    learning: sp.csr_array  # N x T
    interests: sp.csr_array  # N x T
    objectives: sp.csr_array  # N x T, keywords of the member's objectives
    profession: np.ndarray  # int32 (N,), index in professions or NO_ID
    sector: np.ndarray  # int32 (N,), index in sectors or NO_ID
    circles: sp.csr_array  # N x C, columns are circle_ids
    formats: np.ndarray  # int64 (N,), bit f set when the member likes format_names[f]
    lat: np.ndarray  # float64 (N,), degrees, NaN when unknown
    lon: np.ndarray  # float64 (N,)
    discoverable: np.ndarray  # bool (N,)
    value_terms: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    professions: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    circle_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    format_names: tuple[str, ...] = ()
    # Derived once, used by every query.
    knows: sp.csr_array = field(init=False, repr=False)  # skills or interests: what a member can talk about
    located: np.ndarray = field(init=False, repr=False)  # bool (N,): the city is known
    hidden_rows: np.ndarray = field(init=False, repr=False)  # not discoverable: never suggested
    # Members share few distinct places and (profession, sector, formats) combinations: a query
    # scores each combination once, then every member by one lookup.
    place: np.ndarray = field(init=False, repr=False)  # int (N,): index in place_lat/lon; unknown = len
    place_lat: np.ndarray = field(init=False, repr=False)
    place_lon: np.ndarray = field(init=False, repr=False)
    profession_sector: np.ndarray = field(init=False, repr=False)  # (profession + 1) * stride + sector + 1
    sector_stride: int = field(init=False, repr=False)
    format_code: np.ndarray = field(init=False, repr=False)  # int (N,): index in format_masks
    format_masks: np.ndarray = field(init=False, repr=False)
    _by_column: dict[str, sp.csc_array] = field(init=False, repr=False, default_factory=dict)
    _lengths: dict[str, np.ndarray] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.member_ids = np.asarray(self.member_ids, dtype=np.int64)
        n = len(self.member_ids)
        if n > 1 and not np.all(np.diff(self.member_ids) > 0):
            raise ValueError("member_ids must be strictly increasing")
        for name in _MATRICES:
            matrix = sp.csr_array(getattr(self, name), dtype=np.bool_)
            if matrix.shape[0] != n:
                raise ValueError(f"{name} has {matrix.shape[0]} rows for {n} members")
            matrix.sum_duplicates()
            matrix.sort_indices()
            setattr(self, name, matrix)
        for name, dtype in (("profession", np.int32), ("sector", np.int32), ("formats", np.int64)):
            setattr(self, name, np.asarray(getattr(self, name), dtype=dtype))
        self.lat = np.asarray(self.lat, dtype=np.float64)
        self.lon = np.asarray(self.lon, dtype=np.float64)
        self.discoverable = np.asarray(self.discoverable, dtype=np.bool_)
        self.circle_ids = np.asarray(self.circle_ids, dtype=np.int64)
        self.knows = sp.csr_array(self.skills + self.interests, dtype=np.bool_)
        self.located = ~(np.isnan(self.lat) | np.isnan(self.lon))
        self.hidden_rows = np.flatnonzero(~self.discoverable)
        self.place, self.place_lat, self.place_lon = _places(self.lat, self.lon, self.located)
        self.sector_stride = int(self.sector.max(initial=NO_ID)) + 2  # NO_ID becomes 0
        self.profession_sector = (self.profession.astype(np.int64) + 1) * self.sector_stride + self.sector + 1
        self.format_masks, self.format_code = np.unique(self.formats, return_inverse=True)

    def __len__(self) -> int:
        return len(self.member_ids)

    def by_column(self, name: str) -> sp.csc_array:
        """Matrix `name` indexed by column ("who has this term?"), built on first use and kept."""
        if name not in self._by_column:
            self._by_column[name] = sp.csc_array(getattr(self, name))
        return self._by_column[name]

    def lengths(self, name: str) -> np.ndarray:
        """How many terms each member has in matrix `name` (kept once computed)."""
        if name not in self._lengths:
            self._lengths[name] = np.diff(getattr(self, name).indptr)
        return self._lengths[name]

    def row_of(self, member_id: int) -> int:
        """The row of a member id; KeyError when absent."""
        row = int(np.searchsorted(self.member_ids, member_id))
        if row >= len(self.member_ids) or self.member_ids[row] != member_id:
            raise KeyError(member_id)
        return row

    def rows_of(self, member_ids: Iterable[int]) -> np.ndarray:
        """Rows of the ids present here; absent ids are ignored (a member deleted meanwhile)."""
        wanted = np.fromiter(member_ids, dtype=np.int64)
        if wanted.size == 0 or len(self) == 0:
            return np.zeros(0, dtype=np.intp)
        rows = np.searchsorted(self.member_ids, wanted)
        found = rows < len(self.member_ids)
        found[found] = self.member_ids[rows[found]] == wanted[found]
        return rows[found]

    def save(self, path: str | Path) -> None:
        """One .npz file (no pickle), loadable by any worker or web process."""
        arrays: dict[str, np.ndarray] = {name: getattr(self, name) for name in _VECTORS}
        for name in _MATRICES:
            matrix = getattr(self, name)
            arrays[f"{name}_indptr"] = matrix.indptr
            arrays[f"{name}_indices"] = matrix.indices
            arrays[f"{name}_columns"] = np.array([matrix.shape[1]], dtype=np.int64)
        for name in _NAMES:
            arrays[name] = np.array(getattr(self, name), dtype=np.str_)
        np.savez(path, **arrays)

    @classmethod
    def load(cls, path: str | Path) -> "ProfileArrays":
        with np.load(path, allow_pickle=False) as data:
            n = len(data["member_ids"])
            kwargs: dict[str, Any] = {name: data[name] for name in _VECTORS}
            for name in _MATRICES:
                indices, indptr = data[f"{name}_indices"], data[f"{name}_indptr"]
                shape = (n, int(data[f"{name}_columns"][0]))
                kwargs[name] = sp.csr_array((np.ones(len(indices), np.bool_), indices, indptr), shape=shape)
            for name in _NAMES:
                kwargs[name] = tuple(str(item) for item in data[name])
        return cls(**kwargs)


def _places(lat: np.ndarray, lon: np.ndarray, located: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(place of each member, place latitudes, place longitudes); unknown places get the last index."""
    rows = np.flatnonzero(located)
    order = rows[np.lexsort((lon[rows], lat[rows]))]
    new_place = np.ones(len(order), dtype=bool)
    new_place[1:] = (lat[order][1:] != lat[order][:-1]) | (lon[order][1:] != lon[order][:-1])
    place = np.full(len(lat), int(new_place.sum()), dtype=np.int64)
    place[order] = np.cumsum(new_place) - 1
    firsts = order[new_place]
    return place, lat[firsts], lon[firsts]


def haversine_km(
    lat1: np.ndarray | float, lon1: np.ndarray | float, lat2: np.ndarray | float, lon2: np.ndarray | float
) -> np.ndarray:
    """Great-circle distance in km (NaN when a coordinate is unknown); arrays broadcast."""
    lat1_r, lat2_r = np.radians(lat1), np.radians(lat2)
    half_dlat = (lat2_r - lat1_r) / 2
    half_dlon = np.radians(np.asarray(lon2) - np.asarray(lon1)) / 2
    hav = np.sin(half_dlat) ** 2 + np.cos(lat1_r) * np.cos(lat2_r) * np.sin(half_dlon) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(hav, 0.0, 1.0)))


def format_mask(names: Iterable[str], format_names: Sequence[str]) -> int:
    """The bitmask of the given format names (unknown names ignored)."""
    positions = {name: bit for bit, name in enumerate(format_names)}
    mask = 0
    for name in names:
        bit = positions.get(normalize_value(name))
        if bit is not None:
            mask |= 1 << bit
    return mask


def format_names_of(mask: int, format_names: Sequence[str]) -> list[str]:
    return [name for bit, name in enumerate(format_names) if mask >> bit & 1]


def _boolean_csr(rows: list[list[int]], columns: int) -> sp.csr_array:
    lengths = np.fromiter((len(row) for row in rows), dtype=np.int64, count=len(rows))
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    indices = np.fromiter((i for row in rows for i in row), dtype=np.int32, count=int(indptr[-1]))
    return sp.csr_array((np.ones(len(indices), np.bool_), indices, indptr), shape=(len(rows), columns))


def _float_or_nan(value: Any) -> float:
    return float("nan") if value is None else float(value)


def build_profile_arrays(
    members: Iterable[Mapping[str, Any]], *, format_names: Sequence[str] | None = None
) -> ProfileArrays:
    """Pack plain dicts into arrays.

    Each dict: {"id", "values", "skills", "learning", "interests", "objectives", "profession",
    "sector", "circles", "formats", "lat", "lon", "discoverable"}; all but "id" optional.
    Terms are normalized here (terms.py). `format_names` fixes the bit order of formats
    (by default, the order of first appearance).
    """
    rows = sorted(members, key=lambda member: int(member["id"]))
    ids = [int(member["id"]) for member in rows]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate member id")
    value_vocab, term_vocab = Vocabulary(), Vocabulary()
    profession_vocab, sector_vocab, circle_vocab = Vocabulary(), Vocabulary(), Vocabulary()
    format_vocab = Vocabulary(normalize_values(format_names or ()))

    def term_rows(key: str) -> list[list[int]]:
        return [term_vocab.ids(normalize_terms(member.get(key) or ())) for member in rows]

    def label_id(vocab: Vocabulary, label: Any) -> int:
        key = normalize_value(str(label or ""))
        return vocab.add(key) if key else NO_ID

    value_rows = [value_vocab.ids(normalize_values(member.get("values") or ())) for member in rows]
    skill_rows, learning_rows = term_rows("skills"), term_rows("learning")
    interest_rows, objective_rows = term_rows("interests"), term_rows("objectives")
    circle_rows = [circle_vocab.ids(int(c) for c in member.get("circles") or ()) for member in rows]
    formats = np.zeros(len(rows), dtype=np.int64)
    for row, member in enumerate(rows):
        for bit in format_vocab.ids(normalize_values(member.get("formats") or ()), grow=format_names is None):
            if bit >= MAX_FORMATS:
                raise ValueError(f"more than {MAX_FORMATS} formats")
            formats[row] |= 1 << bit
    return ProfileArrays(
        member_ids=np.array(ids, dtype=np.int64),
        values=_boolean_csr(value_rows, len(value_vocab)),
        skills=_boolean_csr(skill_rows, len(term_vocab)),
        learning=_boolean_csr(learning_rows, len(term_vocab)),
        interests=_boolean_csr(interest_rows, len(term_vocab)),
        objectives=_boolean_csr(objective_rows, len(term_vocab)),
        profession=np.array([label_id(profession_vocab, m.get("profession")) for m in rows], dtype=np.int32),
        sector=np.array([label_id(sector_vocab, m.get("sector")) for m in rows], dtype=np.int32),
        circles=_boolean_csr(circle_rows, len(circle_vocab)),
        formats=formats,
        lat=np.array([_float_or_nan(m.get("lat")) for m in rows], dtype=np.float64),
        lon=np.array([_float_or_nan(m.get("lon")) for m in rows], dtype=np.float64),
        discoverable=np.array([bool(m.get("discoverable", True)) for m in rows], dtype=np.bool_),
        value_terms=tuple(value_vocab.terms),
        terms=tuple(term_vocab.terms),
        professions=tuple(profession_vocab.terms),
        sectors=tuple(sector_vocab.terms),
        circle_ids=np.array(circle_vocab.terms, dtype=np.int64),
        format_names=tuple(format_vocab.terms),
    )
