"""Coffee pairing: split a circle into pairs (one trio when odd) maximizing the total pair score.

The objective of a pair is the mean of both directions' scores plus a bonus when the two share
a format. Recent pairs carry a penalty so large that any pairing with fewer repeats wins, and a
smaller one that grows with recency, so that a small circle which must repeat repeats the least
recently met pair.

Solvers, picked by size:
- exact (<= EXACT_MAX members): dynamic programming over subsets; small circles are where
  repeat constraints bite, and there the answer is the optimum;
- assignment (<= ASSIGNMENT_MAX): scipy's linear_sum_assignment on the symmetric matrix gives a
  permutation whose value, halved, bounds every pairing from above. Its 2-cycles are pairs, its
  even cycles split into alternate edges; each odd cycle must leave one member out, and those
  members are joined through alternating routes across the pairs already made (a few steps
  along each member's best partners: on real, tie-rich scores these routes are nearly free).
  Up to BRANCH_MAX members, a small branch-and-bound (exclude one edge of a longer cycle,
  solve again) closes most of the remaining gap;
- greedy (larger circles, or when the assignment fails): best edges first among each member's
  best candidates.
Every solver but exact ends with 2-opt (swap partners between two pairs while it pays); an odd
member joins, as a trio, the pair it adds most to.

Measured here (bench/bench_engine.py): scipy's sparse min_weight_full_bipartite_matching was
10x faster than the dense assignment but hung on tie-rich score matrices, so it is not used.
"""

import functools
import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

FORMAT_BONUS = 0.25  # about what one shared value adds to a pair: a tie-breaker, not a driver
EXACT_MAX = 12  # 2**12 subsets: a few milliseconds of dynamic programming
ASSIGNMENT_MAX = 3_000  # beyond, the dense assignment takes seconds (0.7 s at 2,000 here): greedy
GREEDY_CANDIDATES = 32  # per member, in the greedy fallback
BRANCH_MAX = 400  # circles up to this size get a few branch-and-bound assignments
BRANCH_SOLVES = 40  # at most this many assignments per pairing (about 1 ms each at 200 members)
ROUTE_DEPTH = 4  # intermediate pairs in an alternating route between odd cycles
ROUTE_CANDIDATES = 24  # per member, the partners a route may move to
ROUTE_ROUNDS = 3  # searches for routes an earlier join broke; then direct pairing
TWO_OPT_MAX_PAIRS = 1_500  # the 2-opt gain matrices are pairs x pairs (18 MB each at 1,500)
TWO_OPT_ROUNDS = 25
METHODS = ("auto", "exact", "assignment", "greedy")


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
    prefer_older = n * magnitude + 1.0
    per_repeat = n * (prefer_older + magnitude) + 1.0
    for (a, b), rounds_ago in recent_pairs.items():
        i, j = index.get(a), index.get(b)
        if i is None or j is None or i == j:
            continue
        value = per_repeat + prefer_older / max(float(rounds_ago), 1.0)
        penalty[i, j] = penalty[j, i] = max(penalty[i, j], value)
    return penalty


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
    following = successor.tolist()
    seen = mutual.tolist()
    for start in np.flatnonzero(~mutual).tolist():
        cycle = []
        node = start
        while not seen[node]:
            seen[node] = True
            cycle.append(node)
            node = following[node]
        if len(cycle) % 2 == 0 and cycle:
            _set_pairs(partner, _even_cycle_pairs(cycle, weights))
        elif cycle:
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
    following = successor.tolist()
    seen = (successor[successor] == np.arange(len(successor))).tolist()
    shortest = None
    for start in range(len(following)):
        cycle = []
        node = start
        while not seen[node]:
            seen[node] = True
            cycle.append(node)
            node = following[node]
        if cycle and (shortest is None or len(cycle) < len(shortest)):
            shortest = cycle
    return shortest


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


def _solve(objective: np.ndarray, method: str) -> tuple[list, tuple | None, str, float | None]:
    """(pairs, trio, method used, dense assignment value or None) on local indices."""
    n = len(objective)
    if method == "auto":
        method = "exact" if n <= EXACT_MAX else "assignment" if n <= ASSIGNMENT_MAX else "greedy"
    if method not in METHODS:
        raise ValueError(f"unknown pairing method {method!r}")
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
    `formats`: each member's bitmask of liked formats. `method`: auto, exact, assignment, greedy.
    The same input and seed give the same pairing; the seed decides between equal pairings.
    """
    ids = [int(i) for i in ids]
    n = len(ids)
    if len(set(ids)) != n:
        raise ValueError("duplicate member id")
    if np.shape(score_matrix) != (n, n):
        raise ValueError(f"score_matrix must be {n} x {n}")
    if n < 2:
        return Pairing(pairs=[], trio=None, total_score=0.0, repeats=[], unpaired=tuple(ids), method="none")
    if n == 3:
        method = "exact"
    weights = pair_weights(score_matrix, formats, format_bonus)
    if not np.all(np.isfinite(weights)):
        raise ValueError("scores must be finite")
    recent = {tuple(sorted(map(int, pair))): int(ago) for pair, ago in (recent_pairs or {}).items()}
    order = np.random.default_rng(seed).permutation(n)  # ties go to a seeded order, not to list order
    local_weights = weights[np.ix_(order, order)]
    position = {ids[original]: local for local, original in enumerate(order.tolist())}
    repeats_possible = any(a in position and b in position and a != b for a, b in recent)
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


def matching_upper_bound(weights: np.ndarray) -> float:
    """Half the best assignment on a symmetric matrix: no perfect matching (even n) scores more."""
    return _assignment(np.asarray(weights, dtype=np.float64))[2] / 2.0
