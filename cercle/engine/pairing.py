"""Coffee pairing: split a circle into pairs (one trio when odd) maximizing the total pair score.

The objective of a pair is the mean of both directions' scores plus a bonus when the two share
a format. Recent pairs carry a penalty so large that any pairing with fewer repeats wins, and a
smaller one that grows with recency, so that a small circle which must repeat repeats the least
recently met pair.

Solvers, picked by size:
- exact (<= EXACT_MAX members): dynamic programming over subsets; small circles are where
  repeat constraints bite, and there the answer is the optimum;
- assignment (below SPARSE_FROM): scipy's linear_sum_assignment on the symmetric matrix gives a
  permutation whose value, halved, bounds every pairing from above. Its 2-cycles are pairs, its
  even cycles split into alternate edges; each odd cycle must leave one member out, and those
  members are joined through alternating routes across the pairs already made (a few steps
  along each member's best partners: on real, tie-rich scores these routes are nearly free).
  Up to BRANCH_MAX members, a small branch-and-bound (exclude one edge of a longer cycle,
  solve again) closes most of the remaining gap;
- sparse (from SPARSE_FROM on; the dense assignment grows as n**3, 0.7 s at 2,000 members):
  each member's NEIGHBOURS best partners by reduced weight (one pass over the scores, no n x n
  copy), an auction on those arcs (auction.py), then blossom rounds: each odd cycle of the
  assignment is contracted into one node and the assignment solved again, warm, until none is
  left (Edmonds' blossoms, found by the LP itself). Measured on the bench's circles: 0.99996 of
  the exact optimum at 1,000 members in about 40 ms, 0.9994 of the LP upper bound at 10,000 in
  about 1.7 s;
- greedy (on request): best edges first among each member's best candidates.
Every solver but exact ends with 2-opt (swap partners between two pairs while it pays); an odd
member joins, as a trio, the pair it adds most to.

Measured here (bench/bench_engine.py): scipy's sparse min_weight_full_bipartite_matching
(LAPJVsp) was 10x faster than the dense assignment but ran for minutes on some tie-rich score
matrices (a 2,000-member circle, 10 candidates each), so it is not used.
"""

import functools
import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from cercle.engine.auction import max_weight_assignment

FORMAT_BONUS = 0.25  # about what one shared value adds to a pair: a tie-breaker, not a driver
EXACT_MAX = 12  # 2**12 subsets: a few milliseconds of dynamic programming
GREEDY_CANDIDATES = 32  # per member, in the greedy fallback
BRANCH_MAX = 400  # circles up to this size get a few branch-and-bound assignments
BRANCH_SOLVES = 40  # at most this many assignments per pairing (about 1 ms each at 200 members)
ROUTE_DEPTH = 4  # intermediate pairs in an alternating route between odd cycles
ROUTE_CANDIDATES = 24  # per member, the partners a route may move to
ROUTE_ROUNDS = 3  # searches for routes an earlier join broke; then direct pairing
TWO_OPT_MAX_PAIRS = 1_500  # the 2-opt gain matrices are pairs x pairs (18 MB each at 1,500)
TWO_OPT_ROUNDS = 25
SPARSE_FROM = 600  # auto: from this size on, the sparse solver (the dense assignment grows as n**3)
NEIGHBOURS = 12  # per member, the partners (by reduced weight) the sparse solver may give them
FIRST_EPSILON = 0.01  # the first assignment's first ε (relative): 11 ms instead of 18 at 1,000 members
WARM_BIDS = 50  # bids per node before a warm round starts over cold (at most 10 on the bench's)
BLOSSOM_ROUNDS = 12  # assignments after the first one, each contracting the last one's odd cycles
MARGIN = 1e-3  # matching_upper_bound: pairs this close to tight join the LP (relative to the largest weight)
TILE = 256  # rows per band (and columns per transposed tile) when reading an n x n matrix
METHODS = ("auto", "exact", "assignment", "sparse", "greedy")


@dataclass(frozen=True)
class Pairing:
    pairs: list[tuple[int, int]]
    trio: tuple[int, int, int] | None
    total_score: float  # every pair inside a group: mean score + format bonus (no penalties)
    repeats: list[tuple[int, int]]  # recent pairs that could not be avoided
    unpaired: tuple[int, ...] = ()  # a circle of one
    method: str = ""
    upper_bound: float | None = None  # even circles, assignment method, no repeats: no pairing scores more


def pair_weights(
    score_matrix: np.ndarray, formats: Sequence[int] | np.ndarray | None = None, format_bonus: float = FORMAT_BONUS
) -> np.ndarray:
    """The symmetric objective: (S + S.T) / 2, plus the bonus where two members share a format."""
    scores = np.asarray(score_matrix, dtype=np.float64)
    weights = (scores + scores.T) / 2.0
    if formats is not None and format_bonus:
        masks = np.asarray(formats, dtype=np.int64)
        weights = weights + format_bonus * ((masks[:, None] & masks[None, :]) != 0)
    np.fill_diagonal(weights, 0.0)
    return weights


def _penalties(
    n: int, index: Mapping[int, int], recent_pairs: Mapping[tuple[int, int], int], magnitude: float
) -> np.ndarray:
    """Repeat penalties: P per repeat (dominates everything) + Q / rounds_ago (recent is worse)."""
    penalty = np.zeros((n, n), dtype=np.float64)
    for (a, b), rounds_ago in recent_pairs.items():
        i, j = index.get(a), index.get(b)
        if i is None or j is None or i == j:
            continue
        penalty[i, j] = penalty[j, i] = max(penalty[i, j], _repeat_penalty(n, magnitude, rounds_ago))
    return penalty


def _repeat_penalty(n: int, magnitude: float, rounds_ago: int) -> float:
    """P + Q / rounds_ago, with Q above any total and P above any total plus Q; magnitude > any weight."""
    prefer_older = n * magnitude + 1.0
    per_repeat = n * (prefer_older + magnitude) + 1.0
    return per_repeat + prefer_older / max(float(rounds_ago), 1.0)


# --- solvers: they work on local indices 0..n-1 and return (pairs, leftover indices) ---------------


def _exact(weights: np.ndarray) -> tuple[list[tuple[int, int]], list[int], tuple[int, int, int] | None]:
    """The best pairs (and trio when odd) by dynamic programming over subsets."""
    n = len(weights)
    w = weights.tolist()

    @functools.cache
    def best(mask: int) -> tuple[float, tuple[tuple[int, int], ...]]:
        if mask == 0:
            return 0.0, ()
        i = (mask & -mask).bit_length() - 1
        rest = mask & ~(1 << i)
        best_value, best_pairs = -np.inf, ()
        j_bits = rest
        while j_bits:
            j = (j_bits & -j_bits).bit_length() - 1
            j_bits &= j_bits - 1
            value, pairs = best(rest & ~(1 << j))
            if w[i][j] + value > best_value:
                best_value, best_pairs = w[i][j] + value, ((i, j), *pairs)
        return best_value, best_pairs

    everyone = (1 << n) - 1
    if n % 2 == 0:
        return list(best(everyone)[1]), [], None
    best_total, best_trio, best_pairs = -np.inf, None, ()
    for a in range(n):
        for b in range(a + 1, n):
            for c in range(b + 1, n):
                value, pairs = best(everyone & ~(1 << a | 1 << b | 1 << c))
                value += w[a][b] + w[a][c] + w[b][c]
                if value > best_total:
                    best_total, best_trio, best_pairs = value, (a, b, c), pairs
    return list(best_pairs), [], best_trio


def _even_cycle_pairs(cycle: list[int], weights: np.ndarray) -> list[tuple[int, int]]:
    """An even cycle of the assignment holds two perfect matchings: its alternate edges. The better."""
    nodes = np.asarray(cycle)
    edges = weights[nodes, np.roll(nodes, -1)]  # edges[i] joins cycle[i] and cycle[i + 1]
    start = 0 if edges[0::2].sum() >= edges[1::2].sum() else 1
    return [(cycle[i], cycle[(i + 1) % len(cycle)]) for i in range(start, len(cycle), 2)]


@dataclass(frozen=True)
class _OddCycle:
    """An odd cycle must leave one member out; leaving out nodes[j] keeps the pairs kept[j]."""

    nodes: np.ndarray
    kept: np.ndarray  # (L, (L - 1) / 2) positions i of the kept edges (nodes[i], nodes[i + 1])
    values: np.ndarray  # (L,) the kept pairs' total for each member left out

    @classmethod
    def of(cls, cycle: list[int], weights: np.ndarray) -> "_OddCycle":
        nodes = np.asarray(cycle)
        length = len(nodes)
        edges = weights[nodes, np.roll(nodes, -1)]
        # Leaving out nodes[j] keeps edges j+1, j+3, …, j+length-2.
        kept = (np.arange(length)[:, None] + 1 + 2 * np.arange((length - 1) // 2)[None, :]) % length
        return cls(nodes, kept, edges[kept].sum(axis=1))

    def pairs_without(self, j: int) -> list[tuple[int, int]]:
        length = len(self.nodes)
        return [(int(self.nodes[i]), int(self.nodes[(i + 1) % length])) for i in self.kept[j]]


class _Routes:
    """Alternating routes between free members, through pairs already made.

    A route from u to v through pairs (x1, y1), …, (xk, yk) re-pairs u-x1, y1-x2, …, yk-v: each
    intermediate pair is broken and its second member moves on. Its value is the new pairs minus
    the broken ones. On the near-ties of real scores, cheap routes of a few steps abound, and they
    are what turns the assignment's odd cycles into an almost optimal matching. Searched level by
    level (k = 0..depth), moving only to each member's `candidates` (its best partners); a level
    may find a walk that visits a pair twice, so `best_route` falls back level by level.
    """

    def __init__(self, weights: np.ndarray, partner: np.ndarray, ends: np.ndarray, candidates: np.ndarray, depth: int):
        n, width = candidates.shape
        count = len(ends)
        self.value_at = np.full((depth + 1, count, count), -np.inf)  # per level, end i -> end j
        self.exit_at = np.zeros((depth + 1, count, count), dtype=np.int64)  # who takes end j
        self.value_at[0] = weights[np.ix_(ends, ends)]
        self.exit_at[0] = ends[:, None]
        self.levels: list[np.ndarray] = []
        # Steps e -> x -> y: e takes x, whose partner y is freed and moves on.
        e_arc = np.repeat(np.arange(n), width)
        x_arc = candidates.ravel()
        y_arc = partner[x_arc]
        usable = (y_arc >= 0) & (y_arc != e_arc)
        order = np.argsort(y_arc[usable], kind="stable")
        self.e_arc, self.x_arc, self.y_arc = e_arc[usable][order], x_arc[usable][order], y_arc[usable][order]
        if depth == 0 or not len(self.y_arc):
            return
        self.gain = weights[self.e_arc, self.x_arc] - weights[self.x_arc, self.y_arc]
        self.starts = np.flatnonzero(np.concatenate(([True], self.y_arc[1:] != self.y_arc[:-1])))
        self.stops = np.append(self.starts[1:], len(self.y_arc))
        self.heads = self.y_arc[self.starts]
        # The last step e -> v (a free end) comes from v's own candidates.
        last_from = candidates[ends]  # (count, width)
        last_value = weights[last_from, ends[:, None]]
        reached = np.full((count, n), -np.inf)
        reached[np.arange(count), ends] = 0.0
        self.levels.append(reached)
        for level in range(1, depth + 1):
            step = reached[:, self.e_arc] + self.gain
            reached = np.full((count, n), -np.inf)
            reached[:, self.heads] = np.maximum.reduceat(step, self.starts, axis=1)
            self.levels.append(reached)
            arrive = reached[:, last_from] + last_value[None, :, :]  # (i, j, candidate of j)
            best = arrive.argmax(axis=2)
            self.value_at[level] = np.take_along_axis(arrive, best[:, :, None], axis=2)[:, :, 0]
            self.exit_at[level] = last_from[np.arange(count)[None, :], best]

    def value(self) -> np.ndarray:
        """The best value per (end i, end j) over all levels (a walk may still prove invalid)."""
        return self.value_at.max(axis=0)

    def _steps(self, i: int, j: int, level: int) -> list[tuple[int, int]]:
        found = []
        node = int(self.exit_at[level, i, j])
        for at in range(level, 0, -1):
            group = int(np.searchsorted(self.heads, node))
            arcs = np.arange(self.starts[group], self.stops[group])
            arc = arcs[np.argmax(self.levels[at - 1][i, self.e_arc[arcs]] + self.gain[arcs])]
            found.append((int(self.x_arc[arc]), node))
            node = int(self.e_arc[arc])
        return found[::-1]

    def best_route(self, i: int, j: int, ends: np.ndarray, partner: np.ndarray) -> list[tuple[int, int]] | None:
        """The intermediate pairs of the best route from end i to end j still valid, or None."""
        for level in np.argsort(-self.value_at[:, i, j], kind="stable").tolist():
            if level == 0:
                return []
            if np.isfinite(self.value_at[level, i, j]):
                steps = self._steps(i, j, level)
                if _route_is_valid(partner, int(ends[i]), int(ends[j]), steps):
                    return steps
        return None


def _route_is_valid(partner: np.ndarray, u: int, v: int, steps: list[tuple[int, int]]) -> bool:
    """Its pairs are still intact and it visits nobody twice."""
    members = [u, v, *(m for pair in steps for m in pair)]
    return len(set(members)) == len(members) and all(partner[x] == y for x, y in steps)


def _apply_route(partner: np.ndarray, u: int, v: int, steps: list[tuple[int, int]]) -> None:
    chain = [u, *(m for pair in steps for m in pair), v]
    for a, b in zip(chain[0::2], chain[1::2], strict=True):
        partner[a], partner[b] = b, a


def _join_odd_cycles(odd: list[_OddCycle], weights: np.ndarray, partner: np.ndarray, route_depth: int) -> list[int]:
    """Close the odd cycles: each leaves one member out, and the left-out members are paired.

    Who leaves each cycle, and which cycles join, are chosen together: joining cycles a and b is
    worth max over u, v of values_a[u] + values_b[v] + route(u, v), then which cycle joins which
    is itself a small matching. A route that an earlier join broke is searched again; the last
    round pairs left-out members directly. With an odd number of odd cycles, one cycle joins a
    dummy: its best left-out member stays alone (the trio's third). Updates `partner`; returns
    the members left alone.
    """
    n = len(weights)
    candidates = np.zeros((n, 0), dtype=np.int64)
    if route_depth:
        width = min(ROUTE_CANDIDATES, n - 1)
        masked = weights.copy()
        np.fill_diagonal(masked, -np.inf)
        candidates = np.argpartition(masked, n - width, axis=1)[:, n - width :]
    leftovers: list[int] = []
    remaining = list(range(len(odd)))
    for attempt in range(ROUTE_ROUNDS + 1):
        if not remaining:
            break
        depth = route_depth if attempt < ROUTE_ROUNDS else 0
        cycles = [odd[i] for i in remaining]
        ends = np.concatenate([cycle.nodes for cycle in cycles])
        offsets = np.cumsum([0, *(len(cycle.nodes) for cycle in cycles)])
        routes = _Routes(weights, partner, ends, candidates, depth)
        route_value = routes.value()
        count = len(cycles)
        size = count + count % 2
        link = np.zeros((size, size))
        chosen: dict[tuple[int, int], tuple[int, int]] = {}
        for a in range(count):
            span_a = slice(offsets[a], offsets[a + 1])
            for b in range(a + 1, count):
                span_b = slice(offsets[b], offsets[b + 1])
                block = cycles[a].values[:, None] + cycles[b].values[None, :] + route_value[span_a, span_b]
                u, v = np.unravel_index(int(np.argmax(block)), block.shape)
                link[a, b] = link[b, a] = block[u, v]
                chosen[(a, b)] = (int(u), int(v))
            if count % 2:
                link[a, count] = link[count, a] = cycles[a].values.max()
        if size <= EXACT_MAX:
            joins = _exact(link)[0]
        else:
            joins, rest, _ = _assignment(link, route_depth=0)
            joins, _ = _pair_leftovers(joins, rest, link, _assignment)
        retry: list[int] = []
        for a, b in sorted((tuple(sorted(join)) for join in joins), key=lambda join: -link[join]):
            if b == count:  # the dummy: this cycle's best left-out member stays alone
                u = int(np.argmax(cycles[a].values))
                _set_pairs(partner, cycles[a].pairs_without(u))
                leftovers.append(int(cycles[a].nodes[u]))
                continue
            u, v = chosen[(a, b)]
            first, second = int(cycles[a].nodes[u]), int(cycles[b].nodes[v])
            steps = routes.best_route(offsets[a] + u, offsets[b] + v, ends, partner)
            if steps is None:  # broken by an earlier join: search again next round
                retry += [remaining[a], remaining[b]]
                continue
            _apply_route(partner, first, second, steps)
            _set_pairs(partner, cycles[a].pairs_without(u) + cycles[b].pairs_without(v))
        remaining = retry
    return leftovers


def _set_pairs(partner: np.ndarray, pairs: list[tuple[int, int]]) -> None:
    for a, b in pairs:
        partner[a], partner[b] = b, a


def _cycles_to_pairs(
    successor: np.ndarray, weights: np.ndarray, route_depth: int = 0
) -> tuple[list[tuple[int, int]], list[int]]:
    """Pairs from the permutation's cycles; the odd cycles are joined to one another."""
    n = len(successor)
    everyone = np.arange(n)
    mutual = successor[successor] == everyone  # 2-cycles: usually almost all of them
    partner = np.where(mutual, successor, -1)
    odd: list[_OddCycle] = []
    for cycle in _long_cycles(successor):
        cycle = cycle.tolist()
        if len(cycle) % 2 == 0:
            _set_pairs(partner, _even_cycle_pairs(cycle, weights))
        else:
            odd.append(_OddCycle.of(cycle, weights))
    leftovers = _join_odd_cycles(odd, weights, partner, route_depth) if odd else []
    firsts = np.flatnonzero(partner > everyone)
    return list(zip(firsts.tolist(), partner[firsts].tolist(), strict=True)), leftovers


def _solve_assignment(weights: np.ndarray, excluded: Sequence[tuple[int, int]] = ()) -> tuple[np.ndarray, float]:
    """The best permutation without fixed points nor excluded pairs: (successor, value)."""
    cost = weights.copy()
    forbidden = -(np.abs(weights).sum() + 1.0)
    np.fill_diagonal(cost, forbidden)
    for u, v in excluded:
        cost[u, v] = cost[v, u] = forbidden
    rows, successor = linear_sum_assignment(cost, maximize=True)
    return successor, float(cost[rows, successor].sum())


def _assignment(weights: np.ndarray, route_depth: int = 0) -> tuple[list[tuple[int, int]], list[int], float]:
    """Pairs from the cycles of a maximum-weight assignment (dense); also the assignment's value."""
    successor, value = _solve_assignment(weights)
    return (*_cycles_to_pairs(successor, weights, route_depth), value)


def _pairs_value(pairs: list[tuple[int, int]], weights: np.ndarray) -> float:
    if not pairs:
        return 0.0
    ends = np.asarray(pairs)
    return float(weights[ends[:, 0], ends[:, 1]].sum())


def _shortest_long_cycle(successor: np.ndarray) -> list[int] | None:
    """The shortest cycle of 3 or more members, or None when the permutation is all pairs."""
    cycles = _long_cycles(successor)
    return min(cycles, key=len).tolist() if cycles else None


def _branch_and_bound(weights: np.ndarray, max_solves: int) -> tuple[list[tuple[int, int]], list[int], float]:
    """Assignments made into matchings, improved by branching on the cycles that are not pairs.

    A cycle of three or more members can never be all paired along its edges, so every matching
    avoids at least one of its edges: one branch per edge, each a new assignment with that pair
    excluded. Half an assignment's value bounds every matching below it, which prunes; best
    bound first, at most `max_solves` assignments. Returns (pairs, leftovers, root value).
    """
    successor, root_value = _solve_assignment(weights)
    best_pairs, best_left = _pair_leftovers(*_cycles_to_pairs(successor, weights, ROUTE_DEPTH), weights, _assignment)
    best_value = _pairs_value(best_pairs, weights)
    tolerance = 1e-9 * (1.0 + abs(best_value))
    frontier = [(-root_value / 2, 0, (), successor)]
    solves = 1
    while frontier and solves < max_solves:
        bound, _, excluded, successor = heapq.heappop(frontier)
        if -bound <= best_value + tolerance:
            break  # best bound first: nothing left can beat the best matching
        cycle = _shortest_long_cycle(successor)
        if cycle is None:
            continue
        for i, u in enumerate(cycle):
            if solves >= max_solves:
                break
            branch = (*excluded, (u, cycle[(i + 1) % len(cycle)]))
            child, value = _solve_assignment(weights, branch)
            solves += 1
            if value / 2 <= best_value + tolerance:
                continue
            pairs, left = _pair_leftovers(*_cycles_to_pairs(child, weights, ROUTE_DEPTH), weights, _assignment)
            if (pairs_value := _pairs_value(pairs, weights)) > best_value:
                best_pairs, best_left, best_value = pairs, left, pairs_value
            heapq.heappush(frontier, (-value / 2, solves, branch, child))
    return best_pairs, best_left, root_value


def _pair_leftovers(
    pairs: list[tuple[int, int]], leftovers: list[int], weights: np.ndarray, solve
) -> tuple[list[tuple[int, int]], list[int]]:
    """Pair the members the solver left out, among themselves, until at most one remains."""
    while len(leftovers) >= 2:
        local = np.asarray(leftovers)
        more_pairs, more_left = solve(weights[np.ix_(local, local)])[:2]
        pairs += [(int(local[i]), int(local[j])) for i, j in more_pairs]
        leftovers = [int(local[i]) for i in more_left]
    return pairs, leftovers


def _greedy(weights: np.ndarray) -> tuple[list[tuple[int, int]], list[int]]:
    """Best edges first among each member's GREEDY_CANDIDATES best; the rest paired among themselves."""
    n = len(weights)
    if n < 2:
        return [], list(range(n))
    width = min(GREEDY_CANDIDATES, n - 1)
    masked = weights.copy()
    np.fill_diagonal(masked, -np.inf)
    best = np.argpartition(-masked, width - 1, axis=1)[:, :width]
    sources = np.repeat(np.arange(n), width)
    targets = best.ravel()
    order = np.argsort(-masked[sources, targets], kind="stable")
    taken = np.zeros(n, dtype=bool)
    pairs = []
    for i, j in zip(sources[order].tolist(), targets[order].tolist(), strict=True):
        if not taken[i] and not taken[j]:
            taken[i] = taken[j] = True
            pairs.append((i, j))
    # The first edge is always taken, so the rest is smaller and the recursion ends.
    return _pair_leftovers(pairs, np.flatnonzero(~taken).tolist(), weights, _greedy)


def _two_opt(pairs: list[tuple[int, int]], weights: np.ndarray) -> list[tuple[int, int]]:
    """Swap partners between two pairs whenever it raises their sum; several disjoint swaps a round."""
    if len(pairs) < 2 or len(pairs) > TWO_OPT_MAX_PAIRS:
        return pairs
    firsts = np.array([p[0] for p in pairs])
    seconds = np.array([p[1] for p in pairs])
    for _ in range(TWO_OPT_ROUNDS):
        current = weights[firsts, seconds]
        kept = current[:, None] + current[None, :]
        crossed = weights[np.ix_(firsts, firsts)] + weights[np.ix_(seconds, seconds)]  # (a_p,a_q) + (b_p,b_q)
        swapped = weights[np.ix_(firsts, seconds)] + weights[np.ix_(seconds, firsts)]  # (a_p,b_q) + (b_p,a_q)
        gain = np.triu(np.maximum(crossed, swapped) - kept, k=1)
        threshold = 1e-12 * (1.0 + np.abs(kept).max())
        p_idx, q_idx = np.nonzero(gain > threshold)
        if len(p_idx) == 0:
            break
        order = np.argsort(-gain[p_idx, q_idx], kind="stable")
        touched = np.zeros(len(pairs), dtype=bool)
        for p, q in zip(p_idx[order].tolist(), q_idx[order].tolist(), strict=True):
            if touched[p] or touched[q]:
                continue
            touched[p] = touched[q] = True
            b_p, a_q, b_q = seconds[p], firsts[q], seconds[q]  # a_p stays where it is
            if crossed[p, q] >= swapped[p, q]:
                seconds[p], firsts[q] = a_q, b_p  # (a_p, a_q) and (b_p, b_q)
            else:
                seconds[p], seconds[q] = b_q, b_p  # (a_p, b_q) and (a_q, b_p)
    return list(zip(firsts.tolist(), seconds.tolist(), strict=True))


def _attach_trio(
    pairs: list[tuple[int, int]], leftover: int, weights: np.ndarray
) -> tuple[list[tuple[int, int]], tuple[int, int, int]]:
    """The odd member joins the pair it adds most to."""
    firsts = np.array([p[0] for p in pairs])
    seconds = np.array([p[1] for p in pairs])
    best = int(np.argmax(weights[leftover, firsts] + weights[leftover, seconds]))
    a, b = pairs[best]
    return pairs[:best] + pairs[best + 1 :], (a, b, leftover)


# --- large circles: sparse candidates, an auction, blossom rounds ----------------------------------


class _Gathered:
    """Pair weights read on demand, in local indices: a dense objective would cost n² memory.

    `base[order[a], order[b]]` (anything indexable by two index arrays), minus the repeat
    penalty of the recent pairs when given (`penalties`: sorted keys lo * n + hi, values).
    """

    def __init__(self, base, order: np.ndarray, penalties: tuple[np.ndarray, np.ndarray] | None = None):
        self.base, self.order, self.penalties = base, order, penalties

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, key) -> np.ndarray:
        a, b = (np.asarray(index) for index in key)
        values = np.asarray(self.base[self.order[a], self.order[b]], dtype=np.float64)
        if self.penalties is not None:
            keys, amounts = self.penalties
            pair_keys = np.minimum(a, b) * len(self.order) + np.maximum(a, b)
            at = np.minimum(np.searchsorted(keys, pair_keys), len(keys) - 1)
            values = values - np.where(keys[at] == pair_keys, amounts[at], 0.0)
        return values


class _ExactWeights:
    """pair_weights' values, entry by entry, straight from the scores (float64, for the totals)."""

    def __init__(self, scores: np.ndarray, masks: np.ndarray | None, bonus: float):
        self.scores, self.masks, self.bonus = scores, masks, bonus

    def __getitem__(self, key) -> np.ndarray:
        a, b = np.broadcast_arrays(*(np.asarray(index) for index in key))
        values = (self.scores[a, b] + self.scores[b, a]) / 2.0
        if self.masks is not None and self.bonus:
            values = values + self.bonus * ((self.masks[a] & self.masks[b]) != 0)
        return np.where(a == b, 0.0, values)


def _scan_partners(
    scores: np.ndarray, masks: np.ndarray | None, bonus: float, recent: np.ndarray, width: int, phase: np.ndarray
) -> tuple[np.ndarray, float]:
    """Each member's `width` best partners by reduced weight, best first; and the largest |weight|.

    Reduced: w(i, j) minus half of j's best pair, a guess at j's share in the optimum (the dual
    of the matching LP). Ranking by raw weight sends everyone to the same few popular members and
    loses the optimum's pairs: at 1,000 members of the bench, the best assignment restricted to
    the 20 raw best partners is 0.2 % below the unrestricted one, to the 12 best reduced ones
    0.001 %. One pass over the scores, a band of rows at a time: pair_weights' (S + S.T) / 2 in
    one go reads S.T column-wise (3.9 s at 10,000 members here, 0.4 s by cache-sized tiles), and
    a fresh n x n array costs its page faults (0.9 s for 400 MB here). The pass ranks by a guess
    of the halves from S's row and column maxima, keeps twice `width`, and ranks those again with
    the exact halves at the end. `recent`: pairs (rows of indices) never proposed.

    Ties: among equal partners, member i prefers those j whose phase[j] is nearest its own, which
    differs from member to member. Taking the lowest indices would hand everyone the same few
    partners (on a flat matrix, a 148-member circle lost 1 % of its best total that way).
    """
    n = len(scores)
    keep = min(4 * width, n - 1)
    guess = (scores.max(axis=1) + scores.max(axis=0)) / 4.0
    table = classes = None
    if masks is not None and bonus:
        guess += bonus / 2.0
        kinds, classes = np.unique(masks, return_inverse=True)
        if len(kinds) <= 64:  # the bonus of a band's rows: a copy of its members' rows in a small table
            table = bonus * ((kinds[:, None] & masks[None, :]) != 0)
    best, worst = np.empty(n), np.empty(n)
    found = np.empty((n, keep), np.int64)
    found_weight = np.empty((n, keep))
    band = np.empty((min(TILE, n), n))
    spare = np.empty_like(band)
    shuffle = np.empty_like(band)
    tiny = 1e-9 * (1.0 + float(np.abs(guess).max()))
    phase = phase * tiny
    for start in range(0, n, TILE):
        stop = min(start + TILE, n)
        rows, extra = band[: stop - start], spare[: stop - start]
        for column in range(0, n, TILE):
            rows[:, column : column + TILE] = scores[column : column + TILE, start:stop].T
        rows += scores[start:stop]
        rows *= 0.5
        if table is not None:
            np.take(table, classes[start:stop], axis=0, out=extra, mode="clip")  # "raise" copies: 6x slower
            rows += extra
        elif masks is not None and bonus:
            rows += bonus * ((masks[start:stop, None] & masks[None, :]) != 0)
        local = np.arange(stop - start)
        rows[local, np.arange(start, stop)] = -np.inf
        best[start:stop] = rows.max(axis=1)
        rows[local, np.arange(start, stop)] = np.inf
        worst[start:stop] = rows.min(axis=1)
        rows[local, np.arange(start, stop)] = -np.inf
        np.subtract(rows, guess, out=extra)
        distance = shuffle[: stop - start]
        np.subtract(phase[start:stop, None], phase[None, :], out=distance)
        np.abs(distance, out=distance)
        extra -= distance
        inside = (recent[:, 0] >= start) & (recent[:, 0] < stop)
        extra[recent[inside, 0] - start, recent[inside, 1]] = -np.finfo(float).max  # above the member itself
        top = np.argpartition(extra, n - keep, axis=1)[:, n - keep :]
        found[start:stop] = top
        found_weight[start:stop] = np.take_along_axis(rows, top, axis=1)
    if not (np.all(np.isfinite(best)) and np.all(np.isfinite(worst))):
        raise ValueError("scores must be finite")
    reduced = found_weight - best[found] / 2.0 - np.abs(phase[:, None] - phase[found])
    ranked = np.argsort(-reduced, axis=1, kind="stable")[:, :width]
    return np.take_along_axis(found, ranked, axis=1), max(float(np.abs(best).max()), float(np.abs(worst).max()))


def _sparse(
    scores: np.ndarray, masks: np.ndarray | None, bonus: float, order: np.ndarray, recent_local: dict
) -> tuple[list[tuple[int, int]], tuple[int, int, int] | None]:
    """Pairs and the trio (local indices) of a large circle; recent_local: {(a, b): rounds ago}, a < b."""
    n = len(scores)
    recent_original = np.array([(order[a], order[b]) for a, b in recent_local] or np.zeros((0, 2)), np.int64)
    recent_original = np.concatenate((recent_original, recent_original[:, ::-1]))
    width = min(NEIGHBOURS, n - 1)
    phase = np.empty(n)
    phase[order] = np.arange(n) * 0.6180339887498949 % 1.0  # spread out, and follows the seed
    found, largest = _scan_partners(scores, masks, bonus, recent_original, width, phase)
    local = np.empty(n, np.int64)
    local[order] = np.arange(n)
    neighbours = local[found[order]]  # in local indices
    magnitude = largest + 1.0
    penalties = None
    if recent_local:
        keys = np.array([a * n + b for a, b in recent_local], np.int64)
        amounts = np.array([_repeat_penalty(n, magnitude, ago) for ago in recent_local.values()])
        ranked = np.argsort(keys)
        penalties = (keys[ranked], amounts[ranked])
    objective = _Gathered(_ExactWeights(scores, masks, bonus), order, penalties)
    # Odd: a dummy member worth 0 to everyone; whoever it draws is the trio's third.
    size = n + n % 2
    weights = _WithDummy(objective, n)
    # The arcs: the best partners both ways, the dummy's, and a cycle through everyone.
    everyone = np.arange(n)
    tails = np.concatenate((np.repeat(everyone, width), np.full(n % 2 * n, n)))
    heads = np.concatenate((neighbours.ravel(), everyone[: n % 2 * n]))
    distinct = tails != heads  # a small circle's partners may include the member (ties at -inf)
    tails, heads = tails[distinct], heads[distinct]
    keys = np.unique(np.concatenate((tails * size + heads, heads * size + tails)))
    tails, heads = keys // size, keys % size
    try:
        partner = _blossom_rounds(tails, heads, weights[tails, heads], weights, magnitude)
    except ValueError:  # cannot happen with the cycle; rather a greedy round than none
        pairs, leftovers = _greedy_on(neighbours, objective)
    else:
        firsts = np.flatnonzero((partner > np.arange(size)) & (partner < n))
        pairs = list(zip(firsts.tolist(), partner[firsts].tolist(), strict=True))
        leftovers = [int(partner[n])] if n % 2 else []
    pairs, leftovers = _pair_leftovers(pairs, leftovers, objective, _assignment)
    pairs = _swap_partners(pairs, objective, neighbours)
    if leftovers:
        return _attach_trio(pairs, leftovers[0], objective)
    return pairs, None


class _WithDummy:
    """Weights with a member n worth 0 to everyone (the odd circle's dummy)."""

    def __init__(self, weights, n: int):
        self.weights, self.n = weights, n

    def __getitem__(self, key) -> np.ndarray:
        a, b = np.broadcast_arrays(*(np.asarray(index) for index in key))
        real = (a < self.n) & (b < self.n)
        values = np.zeros(a.shape)
        values[real] = self.weights[a[real], b[real]]
        return values


@dataclass(frozen=True)
class _Blossom:
    """An odd cycle of nodes, contracted: one member leaves it, its nodes pair along the cycle."""

    children: list[int]  # node ids, in cycle order (members are ids < size, blossoms size + index)
    links: list[tuple[int, int]]  # links[i]: a member of child i and one of child i + 1, their pair
    child_of: dict[int, int]  # member -> position of the child holding it


def _blossom_rounds(tails: np.ndarray, heads: np.ndarray, weight: np.ndarray, weights, scale: float) -> np.ndarray:
    """A perfect matching (partner per member) along the arcs tails -> heads, or a few other pairs.

    The best assignment is a fractional matching: its 2-cycles are pairs, its even cycles split
    into pairs, and an odd cycle leaves one member out. Each odd cycle is contracted into a node
    (a blossom, as in Edmonds' algorithm: whichever member gets a partner outside, the others
    pair along the cycle, at the best of the cycle's two ways), and the assignment is solved
    again on the contracted graph, warm (the prices carry over), until no odd cycle is left.
    A node-to-node arc is worth the best member-to-member arc between them plus what each node's
    inner pairs are worth when that member leaves. The rounds are a heuristic (a blossom is never
    expanded again, unlike Edmonds'), yet with every pair as an arc they reached the exact
    optimum of the bench's 1,000-member circle in 5 rounds; with 12 partners each, 0.99996 of it.
    After BLOSSOM_ROUNDS, the odd cycles left each leave out a member, paired among themselves.
    `weights[a, b]`: any pair's weight (the fallback cycle's arcs need it).
    """
    size = int(max(tails.max(), heads.max())) + 1
    blossoms: list[_Blossom] = []
    current = np.arange(size)  # round's node -> node id
    node_of = np.arange(size)  # member -> round's node
    value = np.zeros(size)  # member -> what its node's inner pairs are worth when it leaves the node
    representative = np.arange(size)  # round's node -> one of its members
    prices = start = None
    for attempt in range(BLOSSOM_ROUNDS + 1):
        m = len(current)
        arc_a, arc_b, arc_w, via_t, via_h = _node_arcs(
            tails, heads, weight, weights, node_of, value, representative, current < size
        )
        arcs = (arc_a, arc_b, arc_w, m)
        if attempt == 0:  # prices start at half of each node's best arc, the dual's usual size
            best = np.full(m, -np.inf)
            np.maximum.at(best, arc_a, arc_w)
            prices, start, warm = best / 2, None, FIRST_EPSILON
        try:
            successor, prices = max_weight_assignment(
                *arcs, scale=scale, prices=prices, start=start, warm=warm, presorted=True, max_bids=WARM_BIDS
            )
        except ValueError:  # a price war on ties (integer scores): the warm guess was bad, start over
            successor, prices = max_weight_assignment(*arcs, scale=scale, presorted=True)
        warm = True
        at = np.searchsorted(arc_a * m + arc_b, np.arange(m) * m + successor)
        link_t, link_h, link_w = via_t[at], via_h[at], arc_w[at]  # node k's arc to its successor
        cycles = _long_cycles(successor)
        odd = [cycle for cycle in cycles if len(cycle) % 2]
        if not odd or attempt == BLOSSOM_ROUNDS:
            return _matching_of(
                successor, cycles, odd, link_t, link_h, link_w, current, blossoms, size, weights, representative
            )
        # Contract: survivors first (keeping their prices and partners), then the blossoms.
        in_odd = np.zeros(m, dtype=bool)
        in_odd[np.concatenate(odd)] = True
        survivors = np.flatnonzero(~in_odd)
        renumber = np.empty(m, np.int64)
        renumber[survivors] = np.arange(len(survivors))
        gain = np.zeros(m)
        members = np.argsort(node_of, kind="stable")
        bounds = np.searchsorted(node_of[members], np.arange(m + 1))
        new_ids = []
        for number, cycle in enumerate(odd):
            renumber[cycle] = len(survivors) + number
            edges = link_w[cycle]
            length = len(cycle)
            for j in range(length):
                gain[cycle[j]] = edges[(j + 1 + 2 * np.arange((length - 1) // 2)) % length].sum()
            child_of = {
                member: j
                for j, node in enumerate(cycle)
                for member in members[bounds[node] : bounds[node + 1]].tolist()
            }
            blossoms.append(
                _Blossom(
                    children=current[cycle].tolist(),
                    links=list(zip(link_t[cycle].tolist(), link_h[cycle].tolist(), strict=True)),
                    child_of=child_of,
                )
            )
            new_ids.append(size + len(blossoms) - 1)
        # A blossom's price: its cheapest child's. Prices only rise: an underpriced blossom costs a
        # few quick bids, an overpriced one a long war of the others' prices (measured: no better).
        new_prices = np.concatenate((prices[survivors], [prices[cycle].min() for cycle in odd]))
        value += gain[node_of]
        kept_partner = successor[survivors]
        start = np.where(in_odd[kept_partner] | (successor[kept_partner] != survivors), -1, renumber[kept_partner])
        start = np.concatenate((start, np.full(len(odd), -1)))
        representative = np.concatenate((representative[survivors], [representative[cycle[0]] for cycle in odd]))
        current = np.concatenate((current[survivors], new_ids))
        node_of = renumber[node_of]
        prices = new_prices
    raise AssertionError("unreachable")


def _node_arcs(tails, heads, weight, weights, node_of, value, representative, single):
    """The round's arcs between nodes, sorted, each the best of its member arcs; and a ring.

    Arcs between two single members are the member arcs themselves, already sorted and unique
    (single members keep their order among the nodes); only the others need sorting. The ring
    (node k to k + 1) keeps an assignment of every node possible.
    """
    m = len(single)
    a, b = node_of[tails], node_of[heads]
    plain = single[a] & single[b]
    other = ~plain & (a != b)
    ring = np.arange(m)
    following = (ring + 1) % m
    first, second = representative[ring], representative[following]
    ring_w = weights[first, second] + value[first] + value[second]
    t, h = tails[other], heads[other]
    extra = (
        np.concatenate((a[other], ring, following)),
        np.concatenate((b[other], following, ring)),
        np.concatenate((weight[other] + value[t] + value[h], ring_w, ring_w)),
        np.concatenate((t, first, second)),
        np.concatenate((h, second, first)),
    )
    keys = extra[0] * m + extra[1]
    ranked = np.lexsort((-extra[2], keys))
    best = ranked[np.concatenate(([True], keys[ranked][1:] != keys[ranked][:-1]))]
    plain_keys = a[plain] * m + b[plain]
    at = np.searchsorted(plain_keys, keys[best])
    known = np.zeros(len(best), dtype=bool)
    inside = at < len(plain_keys)
    known[inside] = plain_keys[at[inside]] == keys[best[inside]]
    fresh = best[~known]
    at = at[~known]
    plain_arcs = (a[plain], b[plain], weight[plain], tails[plain], heads[plain])
    return tuple(np.insert(arcs, at, column[fresh]) for arcs, column in zip(plain_arcs, extra, strict=True))


def _long_cycles(successor: np.ndarray) -> list[np.ndarray]:
    """The permutation's cycles of three nodes or more."""
    following = successor.tolist()
    seen = (successor[successor] == np.arange(len(successor))).tolist()
    cycles = []
    for start in np.flatnonzero(~np.asarray(seen)).tolist():
        cycle = []
        node = start
        while not seen[node]:
            seen[node] = True
            cycle.append(node)
            node = following[node]
        if cycle:
            cycles.append(np.array(cycle))
    return cycles


def _matching_of(successor, cycles, odd, link_t, link_h, link_w, current, blossoms, size, weights, representative):
    """Expand the last round's pairs of nodes into pairs of members."""
    partner = np.full(size, -1, np.int64)
    m = len(successor)
    mutual = np.flatnonzero((successor[successor] == np.arange(m)) & (successor > np.arange(m)))
    links = mutual.tolist()  # node k pairs with its successor, through link_t[k] - link_h[k]
    alone = []  # nodes left out of an odd cycle, when the rounds ran out
    for cycle in cycles:
        length = len(cycle)
        if length % 2 == 0:
            start = 0 if link_w[cycle[0::2]].sum() >= link_w[cycle[1::2]].sum() else 1
            links += cycle[start::2].tolist()
        else:
            kept = (np.arange(length)[:, None] + 1 + 2 * np.arange((length - 1) // 2)[None, :]) % length
            out = int(np.argmax(link_w[cycle][kept].sum(axis=1)))
            links += cycle[kept[out]].tolist()
            alone.append(int(cycle[out]))
    for k in links:
        a, b = int(link_t[k]), int(link_h[k])
        partner[a], partner[b] = b, a
        _expand(current[k], a, blossoms, size, partner)
        _expand(current[successor[k]], b, blossoms, size, partner)
    free = [int(representative[k]) for k in alone]
    for k, member in zip(alone, free, strict=True):
        _expand(current[k], member, blossoms, size, partner)
    more, _ = _pair_leftovers([], free, weights, _assignment)  # an even number: odd cycles come in pairs
    for a, b in more:
        partner[a], partner[b] = b, a
    return partner


def _expand(node: int, left_out: int, blossoms: list[_Blossom], size: int, partner: np.ndarray) -> None:
    """Pair the members of a node but `left_out` (a blossom's, recursively; a member has none)."""
    stack = [(int(node), int(left_out))]
    while stack:
        node, out = stack.pop()
        if node < size:
            continue
        blossom = blossoms[node - size]
        j = blossom.child_of[out]
        length = len(blossom.children)
        stack.append((blossom.children[j], out))
        for step in range((length - 1) // 2):
            i = (j + 1 + 2 * step) % length
            x, y = blossom.links[i]
            partner[x], partner[y] = y, x
            stack += [(blossom.children[i], x), (blossom.children[(i + 1) % length], y)]


def _greedy_on(neighbours: np.ndarray, weights) -> tuple[list[tuple[int, int]], list[int]]:
    """Best edges first among the given partners; who is left is paired in a row."""
    n, width = neighbours.shape
    tails, heads = np.repeat(np.arange(n), width), neighbours.ravel()
    taken = np.zeros(n, dtype=bool)
    pairs = []
    ranked = np.argsort(-weights[tails, heads], kind="stable")
    for i, j in zip(tails[ranked].tolist(), heads[ranked].tolist(), strict=True):
        if not taken[i] and not taken[j]:
            taken[i] = taken[j] = True
            pairs.append((i, j))
    rest = np.flatnonzero(~taken).tolist()
    pairs += list(zip(rest[0::2], rest[1::2], strict=False))
    return pairs, rest[len(rest) - len(rest) % 2 :]


def _swap_partners(pairs: list[tuple[int, int]], weights, neighbours: np.ndarray) -> list[tuple[int, int]]:
    """2-opt along the best partners: a-b and c-d become a-c and b-d whenever it pays."""
    n, width = neighbours.shape
    partner = np.full(n, -1, np.int64)
    _set_pairs(partner, pairs)
    tails, heads = np.repeat(np.arange(n), width), neighbours.ravel()
    for _ in range(TWO_OPT_ROUNDS):
        a, c = tails, heads
        b, d = partner[a], partner[c]
        usable = (b >= 0) & (d >= 0) & (b != c) & (a != c)
        a, b, c, d = a[usable], b[usable], c[usable], d[usable]
        kept = weights[a, b] + weights[c, d]
        gain = weights[a, c] + weights[b, d] - kept
        better = np.flatnonzero(gain > 1e-12 * (1.0 + np.abs(kept).max(initial=0.0)))
        if not len(better):
            break
        better = better[np.argsort(-gain[better], kind="stable")]
        touched = np.zeros(n, dtype=bool)
        for x, y, z, u in zip(*(v[better].tolist() for v in (a, b, c, d)), strict=True):
            if touched[x] or touched[y] or touched[z] or touched[u]:
                continue
            touched[[x, y, z, u]] = True
            partner[x], partner[z], partner[y], partner[u] = z, x, u, y
    firsts = np.flatnonzero(partner > np.arange(n))
    return list(zip(firsts.tolist(), partner[firsts].tolist(), strict=True))


def _solve(objective: np.ndarray, method: str) -> tuple[list, tuple | None, str, float | None]:
    """(pairs, trio, method used, dense assignment value or None) on local indices."""
    n = len(objective)
    if method == "exact":
        pairs, _, trio = _exact(objective)
        return pairs, trio, method, None
    assignment_value = None
    if method == "assignment":
        # Odd: a dummy member worth 0 to everyone; whoever it draws is the trio's third.
        padded = np.pad(objective, (0, n % 2)) if n % 2 else objective
        try:
            solves = BRANCH_SOLVES if n <= BRANCH_MAX else 1
            pairs, leftovers, assignment_value = _branch_and_bound(padded, solves)
        except ValueError:  # an infeasible cost matrix: fall back rather than fail a round
            method = "greedy"
        else:
            leftovers += [b if a == n else a for a, b in pairs if n in (a, b)]
            pairs = [(a, b) for a, b in pairs if n not in (a, b)]
    if method == "greedy":
        pairs, leftovers = _greedy(objective)
    pairs = _two_opt(pairs, objective)
    trio = None
    if leftovers:
        pairs, trio = _attach_trio(pairs, leftovers[0], objective)
    return pairs, trio, method, assignment_value


def pair_members(
    ids: Sequence[int],
    score_matrix: np.ndarray,
    recent_pairs: Mapping[tuple[int, int], int] | None = None,
    formats: Sequence[int] | np.ndarray | None = None,
    seed: int = 0,
    *,
    format_bonus: float = FORMAT_BONUS,
    method: str = "auto",
) -> Pairing:
    """Pairs (one trio if odd) of the members `ids`, maximizing the total pair score.

    `score_matrix[i, j]`: how well ids[j] suits ids[i] (averaged with [j, i] here).
    `recent_pairs`: {(a, b): rounds_ago} for pairs met in the recent rounds (1 = last round);
    they are avoided whenever a pairing without them exists, else the least recent is reused.
    `formats`: each member's bitmask of liked formats. `method`: auto (exact up to EXACT_MAX
    members, assignment below SPARSE_FROM, sparse from there), exact, assignment, sparse, greedy.
    The same input and seed give the same pairing; the seed decides between equal pairings.
    """
    ids = [int(i) for i in ids]
    n = len(ids)
    if len(set(ids)) != n:
        raise ValueError("duplicate member id")
    if np.shape(score_matrix) != (n, n):
        raise ValueError(f"score_matrix must be {n} x {n}")
    if method not in METHODS:
        raise ValueError(f"unknown pairing method {method!r}")
    if n < 2:
        return Pairing(pairs=[], trio=None, total_score=0.0, repeats=[], unpaired=tuple(ids), method="none")
    if method == "auto" or n == 3:
        method = "exact" if n <= EXACT_MAX else "assignment" if n < SPARSE_FROM else "sparse"
    recent = {tuple(sorted(map(int, pair))): int(ago) for pair, ago in (recent_pairs or {}).items()}
    order = np.random.default_rng(seed).permutation(n)  # ties go to a seeded order, not to list order
    position = {ids[original]: local for local, original in enumerate(order.tolist())}
    repeats_possible = any(a in position and b in position and a != b for a, b in recent)

    assignment_value = None
    if method == "sparse":
        scores = np.asarray(score_matrix, dtype=np.float64)
        masks = None if formats is None else np.asarray(formats, dtype=np.int64)
        recent_local: dict[tuple[int, int], int] = {}
        for (a, b), ago in recent.items():
            if a in position and b in position and a != b:
                key = tuple(sorted((position[a], position[b])))
                recent_local[key] = max(recent_local.get(key, ago), ago)
        pairs, trio = _sparse(scores, masks, format_bonus, order, recent_local)
        local_weights = _Gathered(_ExactWeights(scores, masks, format_bonus), order)
        used = method
    else:
        weights = pair_weights(score_matrix, formats, format_bonus)
        if not np.all(np.isfinite(weights)):
            raise ValueError("scores must be finite")
        local_weights = weights[np.ix_(order, order)]
        objective = local_weights
        if repeats_possible:
            magnitude = float(np.abs(local_weights).max()) + 1.0
            objective = local_weights - _penalties(n, position, recent, magnitude)
        pairs, trio, used, assignment_value = _solve(objective, method)

    def member(local: int) -> int:
        return ids[int(order[local])]

    id_pairs = sorted(tuple(sorted((member(a), member(b)))) for a, b in pairs)
    id_trio = tuple(sorted(member(x) for x in trio)) if trio else None
    groups = [*pairs, *([(trio[0], trio[1]), (trio[0], trio[2]), (trio[1], trio[2])] if trio else [])]
    total = _pairs_value(groups, local_weights)
    repeats = sorted(pair for a, b in groups if (pair := tuple(sorted((member(a), member(b))))) in recent)
    bound = assignment_value / 2.0 if assignment_value is not None and n % 2 == 0 and not repeats_possible else None
    return Pairing(pairs=id_pairs, trio=id_trio, total_score=total, repeats=repeats, method=used, upper_bound=bound)


def matching_upper_bound(weights: np.ndarray, *, columns: int = 10, rounds: int = 12) -> float:
    """An upper bound of any pairing's total on this symmetric matrix: the fractional matching LP.

    Maximize sum w_ij x_ij with every member's x summing to 1, x >= 0 (HiGHS), on a few columns
    (each member's `columns` best partners by reduced weight, and a ring), priced against all
    pairs with the LP's duals y: pairs with w_ij > y_i + y_j join and the LP is solved again, up
    to `rounds` times. Then y is raised, member after member, until y_i + y_j >= w_ij for every
    pair (dual fitting), so that sum(y) bounds every perfect matching whatever the rounds did.
    Odd n: a trio a, b, c adds at most y_a + y_b + y_c more (w_ab + w_ac + w_bc <= 2 (y_a + y_b
    + y_c)), so the three largest positive y are added. Equal to half the best assignment (the
    former bound) up to the solver's tolerance, without its n**3: about 30 s at 10,000 members.
    """
    from scipy.optimize import linprog
    from scipy.sparse import csc_array

    w = np.asarray(weights, dtype=np.float64)
    n = len(w)
    if n < 2:
        return 0.0
    everyone = np.arange(n)
    width = min(columns, n - 1)
    half = np.empty(n)
    found = []
    for start in range(0, n, TILE):
        band = w[start : start + TILE].copy()
        band[everyone[: len(band)], everyone[start : start + len(band)]] = -np.inf
        half[start : start + len(band)] = band.max(axis=1) / 2
    for start in range(0, n, TILE):
        band = w[start : start + TILE] - half[None, :]
        band[everyone[: len(band)], everyone[start : start + len(band)]] = -np.inf
        found.append(np.argpartition(band, n - width, axis=1)[:, n - width :])
    tails, heads = np.repeat(everyone, width), np.concatenate(found).ravel()
    tails, heads = np.concatenate((tails, everyone)), np.concatenate((heads, (everyone + 1) % n))
    keys = np.unique(np.minimum(tails, heads) * n + np.maximum(tails, heads))
    keys = keys[keys // n != keys % n]
    y = np.zeros(n)
    margin = MARGIN * (1.0 + float(np.abs(w).max()))
    for _ in range(rounds):
        a, b = keys // n, keys % n
        incidence = csc_array(
            (np.ones(2 * len(keys)), (np.concatenate((a, b)), np.tile(np.arange(len(keys)), 2))), shape=(n, len(keys))
        )
        solved = linprog(-w[a, b], A_eq=incidence, b_eq=np.ones(n), bounds=(0, None), method="highs")
        if solved.status != 0:
            break
        y = -solved.eqlin.marginals
        priced = []
        for start in range(0, n, TILE):
            band = w[start : start + TILE] - y[start : start + TILE, None] - y[None, :]
            band[everyone[: len(band)], everyone[start : start + len(band)]] = -np.inf
            rows, cols = np.nonzero(band > -margin)  # the nearly tight too: fewer rounds on degenerate duals
            priced.append(np.minimum(rows + start, cols) * n + np.maximum(rows + start, cols))
        fresh = np.setdiff1d(np.concatenate(priced), keys)
        if not np.any(w[fresh // n, fresh % n] - y[fresh // n] - y[fresh % n] > 1e-12 * (1.0 + np.abs(w).max())):
            break
        keys = np.union1d(keys, fresh)
    for i in range(n):  # dual fitting: y_j only grows, so a pair checked once stays covered
        gap = w[i] - y
        gap[i] = -np.inf
        y[i] = max(y[i], float(gap.max()))
    bound = float(y.sum())
    if n % 2:
        bound += float(np.sort(np.maximum(y, 0.0))[-3:].sum())
    return bound
