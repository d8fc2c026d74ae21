"""Who can introduce me? Chains of at most three accepted connections, strongest ties first.

The graph is four flat arrays (CSR): row r is member member_ids[r], its neighbours' rows are
indices[indptr[r]:indptr[r + 1]] (sorted), with the tie strength of each edge (recent
interactions) alongside. Saved as .npy files and loaded memory-mapped, one copy serves every
process on the machine.

A query meets in the middle: 1 hop is a lookup in the source's row, 2 hops the intersection of
both ends' rows, 3 hops the neighbours of the cheaper end's neighbours looked up in the other
end's row. Intermediates who are blocked (by or against either end) are dropped before any
expansion, so no chain ever passes through them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_ARRAYS = ("member_ids", "indptr", "indices", "strength")


@dataclass(frozen=True)
class ConnectionGraph:
    member_ids: np.ndarray  # int64 (N,), strictly increasing
    indptr: np.ndarray  # int64 (N + 1,)
    indices: np.ndarray  # int32 (2E,), rows of the neighbours, sorted within each row
    strength: np.ndarray  # float32 (2E,), tie strength, the same in both directions

    def __len__(self) -> int:
        return len(self.member_ids)

    @property
    def edge_count(self) -> int:
        return len(self.indices) // 2

    @property
    def nbytes(self) -> int:
        return sum(getattr(self, name).nbytes for name in _ARRAYS)

    def row_of(self, member_id: int) -> int | None:
        row = int(np.searchsorted(self.member_ids, member_id))
        return row if row < len(self.member_ids) and self.member_ids[row] == member_id else None

    def rows_of(self, member_ids: Iterable[int]) -> np.ndarray:
        wanted = np.fromiter(member_ids, dtype=np.int64)
        if wanted.size == 0 or len(self) == 0:
            return np.zeros(0, dtype=np.int64)
        rows = np.searchsorted(self.member_ids, wanted)
        found = rows < len(self.member_ids)
        found[found] = self.member_ids[rows[found]] == wanted[found]
        return np.sort(rows[found])

    def neighbours(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = self.indptr[row], self.indptr[row + 1]
        return np.asarray(self.indices[start:end]), np.asarray(self.strength[start:end])

    def save(self, directory: str | Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for name in _ARRAYS:
            np.save(directory / f"{name}.npy", getattr(self, name))

    @classmethod
    def load(cls, directory: str | Path, *, mmap: bool = True) -> "ConnectionGraph":
        """Memory-mapped by default: processes share the operating system's page cache."""
        mode = "r" if mmap else None
        return cls(**{name: np.load(Path(directory) / f"{name}.npy", mmap_mode=mode) for name in _ARRAYS})


def build_graph(
    member_ids: Iterable[int] | np.ndarray,
    first: np.ndarray,
    second: np.ndarray,
    strength: np.ndarray | None = None,
) -> ConnectionGraph:
    """The graph of connections first[i] -- second[i] (member ids), undirected.

    Self-loops are dropped; a connection given twice keeps its strongest tie. Every end must be
    one of `member_ids` (members without connections are welcome).
    """
    ids = np.sort(np.fromiter(member_ids, dtype=np.int64) if not isinstance(member_ids, np.ndarray) else member_ids)
    ids = ids.astype(np.int64, copy=False)
    if len(ids) > 1 and not np.all(ids[1:] != ids[:-1]):
        raise ValueError("duplicate member id")
    first, second = np.asarray(first, dtype=np.int64), np.asarray(second, dtype=np.int64)
    weights = np.ones(len(first), np.float32) if strength is None else np.asarray(strength, np.float32)
    if not len(first) == len(second) == len(weights):
        raise ValueError("first, second and strength must have the same length")
    rows_a, rows_b = _rows_of(ids, first), _rows_of(ids, second)
    distinct = rows_a != rows_b
    rows_a, rows_b, weights = rows_a[distinct], rows_b[distinct], weights[distinct]
    n = len(ids)
    rows, columns, both = _sorted_entries(rows_a, rows_b, weights, n)
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n)))).astype(np.int64)
    return ConnectionGraph(ids, indptr, columns.astype(np.int32), both.astype(np.float32))


def _rows_of(ids: np.ndarray, given: np.ndarray) -> np.ndarray:
    """The rows of these member ids (sorted `ids`); ValueError for an unknown one.

    Ids are database keys, nearly consecutive: a lookup table over their span when it is at most
    four times their number (25 M lookups: 0.3 s, against 3 s of binary searches).
    """
    if not len(given):
        return np.zeros(0, np.int64)
    if len(ids) and ids[-1] - ids[0] < 4 * len(ids) + 1024:
        table = np.full(int(ids[-1] - ids[0]) + 1, -1, np.int64)
        table[ids - ids[0]] = np.arange(len(ids))
        offset = given - ids[0]
        inside = (offset >= 0) & (offset < len(table))
        rows = table[np.where(inside, offset, 0)]
        if not np.all(inside & (rows >= 0)):
            raise ValueError("a connection names an unknown member")
        return rows
    rows = np.searchsorted(ids, given)
    if np.any(rows >= len(ids)) or np.any(ids[np.minimum(rows, len(ids) - 1)] != given):
        raise ValueError("a connection names an unknown member")
    return rows


def _sorted_entries(rows_a: np.ndarray, rows_b: np.ndarray, weights: np.ndarray, n: int, *, packed: bool = True):
    """Both directions of every connection, sorted by (row, column), the strongest of duplicates.

    When the (row, column) key and the rank of the strength among the distinct strengths fit in
    64 bits together, one sort of those packed integers does it all (np.sort of 50 M integers:
    0.4 s here; np.argsort of the keys: 5 to 8 s), as for a million members (40 + 24 bits).
    """
    if not len(rows_a):
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
    distinct_weights = np.unique(weights)
    key_bits = max(int(n * n - 1).bit_length(), 1)
    rank_bits = max(int(len(distinct_weights) - 1).bit_length(), 1)
    if packed and key_bits + rank_bits <= 64:
        rank = np.searchsorted(distinct_weights, weights).view(np.uint64)  # int64 >= 0: same bits
        shift = np.uint64(rank_bits)
        a, b = rows_a.view(np.uint64), rows_b.view(np.uint64)
        entries = np.empty(2 * len(a), np.uint64)
        np.multiply(a, np.uint64(n), out=entries[: len(a)])
        entries[: len(a)] += b
        np.multiply(b, np.uint64(n), out=entries[len(a) :])
        entries[len(a) :] += a
        entries <<= shift
        entries[: len(a)] |= rank
        entries[len(a) :] |= rank
        entries.sort()
        keys = entries >> shift
        last = np.flatnonzero(np.append(keys[1:] != keys[:-1], True))  # the strongest of each key
        keys = keys[last].view(np.int64)
        both = distinct_weights[(entries[last] & ((np.uint64(1) << shift) - np.uint64(1))).view(np.int64)]
        return keys // n, keys % n, both
    keys = np.concatenate((rows_a * n + rows_b, rows_b * n + rows_a))
    both = np.concatenate((weights, weights))
    order = np.argsort(keys, kind="stable")
    keys, both = keys[order], both[order]
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1]))) if len(keys) else np.zeros(0, np.int64)
    both = np.maximum.reduceat(both, starts) if len(keys) else both
    keys = keys[starts]
    return keys // n, keys % n, both


@dataclass(frozen=True)
class IntroPath:
    members: tuple[int, ...]  # source, the introducers…, target
    strength: float  # the weakest tie of the chain: an introduction is as good as its weakest link
    edge_strengths: tuple[float, ...]

    @property
    def hops(self) -> int:
        return len(self.members) - 1


def _usable(rows: np.ndarray, ends: tuple[int, int], blocked_rows: np.ndarray) -> np.ndarray:
    """Which neighbours may stand in the middle of a chain."""
    keep = (rows != ends[0]) & (rows != ends[1])
    if len(blocked_rows):
        keep &= ~np.isin(rows, blocked_rows, assume_unique=False)
    return keep


def _gather(graph: ConnectionGraph, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All neighbours of `rows` in one pass: (position in rows, neighbour row, tie strength)."""
    starts = np.asarray(graph.indptr[rows])
    lengths = np.asarray(graph.indptr[rows + 1]) - starts
    total = int(lengths.sum())
    owner = np.repeat(np.arange(len(rows)), lengths)
    positions = np.arange(total) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return owner, np.asarray(graph.indices[positions]), np.asarray(graph.strength[positions])


def _best(edge_strengths: np.ndarray, middles: np.ndarray, count: int) -> np.ndarray:
    """Indices of the `count` strongest chains: weakest tie, then total strength, then member order."""
    weakest = edge_strengths.min(axis=1)
    if len(weakest) > count:
        threshold = np.partition(weakest, len(weakest) - count)[len(weakest) - count]
        candidates = np.flatnonzero(weakest >= threshold)
    else:
        candidates = np.arange(len(weakest))
    keys = [middles[candidates, i] for i in reversed(range(middles.shape[1]))]
    keys += [-edge_strengths[candidates].sum(axis=1), -weakest[candidates]]
    return candidates[np.lexsort(keys)[:count]]


def shortest_paths(
    graph: ConnectionGraph,
    source: int,
    target: int,
    max_hops: int = 3,
    limit: int = 5,
    blocked: Iterable[int] = (),
) -> list[IntroPath]:
    """Up to `limit` chains from source to target (member ids), fewest hops first, then strongest.

    `blocked`: members who may not appear between the ends (who blocked or were blocked by
    either end, deleted or hidden members): the caller knows who.
    """
    s, t = graph.row_of(source), graph.row_of(target)
    if s is None or t is None or s == t or limit <= 0 or max_hops < 1:
        return []
    ids = graph.member_ids
    blocked_rows = graph.rows_of(blocked)
    found: list[IntroPath] = []

    def keep(middles: np.ndarray, strengths: np.ndarray, count: int) -> None:
        for index in _best(strengths, middles, count):
            rows = (s, *middles[index].tolist(), t)
            ties = tuple(float(x) for x in strengths[index])
            found.append(IntroPath(tuple(int(ids[r]) for r in rows), min(ties), ties))

    from_s, ties_s = graph.neighbours(s)
    at = int(np.searchsorted(from_s, t))
    if at < len(from_s) and from_s[at] == t:
        found.append(IntroPath((int(source), int(target)), float(ties_s[at]), (float(ties_s[at]),)))
    if max_hops < 2 or len(found) >= limit:
        return found

    usable = _usable(from_s, (s, t), blocked_rows)
    from_s, ties_s = from_s[usable], ties_s[usable]
    to_t, ties_t = graph.neighbours(t)
    usable = _usable(to_t, (s, t), blocked_rows)
    to_t, ties_t = to_t[usable], ties_t[usable]

    middles, in_s, in_t = np.intersect1d(from_s, to_t, assume_unique=True, return_indices=True)
    if len(middles):
        keep(middles[:, None], np.column_stack((ties_s[in_s], ties_t[in_t])), limit - len(found))
    if max_hops < 3 or len(found) >= limit or not len(from_s) or not len(to_t):
        return found

    # s - a - b - t: expand the end whose neighbours have fewer neighbours, look the others up.
    expand_s = _expansion_cost(graph, from_s) <= _expansion_cost(graph, to_t)
    near, near_ties, far, far_ties = (from_s, ties_s, to_t, ties_t) if expand_s else (to_t, ties_t, from_s, ties_s)
    owner, reached, middle_ties = _gather(graph, near)
    at = np.searchsorted(far, reached)
    hit = at < len(far)
    hit[hit] = far[at[hit]] == reached[hit]
    owner, reached, middle_ties, at = owner[hit], reached[hit], middle_ties[hit], at[hit]
    if not len(owner):
        return found
    if expand_s:  # near is s's side: s - near - far - t
        middles = np.column_stack((near[owner], reached))
        strengths = np.column_stack((near_ties[owner], middle_ties, far_ties[at]))
    else:  # near is t's side: s - far - near - t
        middles = np.column_stack((reached, near[owner]))
        strengths = np.column_stack((far_ties[at], middle_ties, near_ties[owner]))
    keep(middles, strengths, limit - len(found))
    return found


def _expansion_cost(graph: ConnectionGraph, rows: np.ndarray) -> int:
    """How many neighbours-of-neighbours expanding these rows would read."""
    return int((np.asarray(graph.indptr[rows + 1]) - np.asarray(graph.indptr[rows])).sum())
