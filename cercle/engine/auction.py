"""A maximum-weight assignment on a sparse bipartite graph: Bertsekas' auction with ε-scaling.

Used by the pairing of large circles (pairing.py), where scipy offers no safe sparse solver:
`min_weight_full_bipartite_matching` (LAPJVsp) ran for minutes on tie-rich score matrices
(measured: 2,000 members, 10 candidates each; 0.4 s for 500 members against 36 ms for 2,000).
The auction cannot stall on ties: every bid raises a price by at least ε.

Persons bid for objects along the arcs given; a person's bid raises the object's price by the
margin between its best and second-best object plus ε, the object goes to the highest bidder and
its previous owner bids again. Phases divide ε by SCALING, keeping the assignments that still
satisfy ε-complementary slackness. The result is within n × ε of the best assignment of the arcs.

While many persons are unassigned, a round lets all of them bid at once (numpy); the long tail
of a phase (one displaced person after another) runs one bid at a time in plain Python, where
each bid costs microseconds instead of a numpy round's tens.
"""

import numpy as np

SCALING = 8.0  # ε is divided by this between phases
RELATIVE_EPSILON = 1e-4  # the final ε, relative to the largest benefit
TAIL = 64  # below this many persons unassigned, bids go one at a time
WARM_EPSILON = 1e-4  # the first ε of a warm start, relative to the scale
MAX_BIDS_PER_PERSON = 500  # far above what a feasible problem takes (about 50): a guard, not a limit


def max_weight_assignment(
    rows: np.ndarray,
    cols: np.ndarray,
    benefit: np.ndarray,
    n: int,
    *,
    scale: float | None = None,
    prices: np.ndarray | None = None,
    start: np.ndarray | None = None,
    warm: bool | float = False,
    presorted: bool = False,
    max_bids: int = MAX_BIDS_PER_PERSON,
) -> tuple[np.ndarray, np.ndarray]:
    """(successor, prices): successor[i] is the object of person i, along the arcs rows -> cols.

    The arcs must admit an assignment of everyone (the caller adds a fallback permutation);
    duplicates are harmless. `scale`: the size of an ordinary benefit (the default, the largest
    absolute benefit; give it when a few arcs carry huge penalties), which sets the first and the
    last ε. Warm start: `prices` from a similar problem, `start[i]` an object person i may keep
    (or -1), and `warm` to begin at WARM_EPSILON × scale (or warm × scale) rather than scale / 2. `presorted`: the
    arcs come sorted by (row, col). Raises ValueError after `max_bids` bids per person (a problem
    without an assignment of everyone; or a warm start that proved a bad guess, see pairing.py).
    Deterministic: ties go to the lower index.
    """
    rows, cols = np.asarray(rows, np.int64), np.asarray(cols, np.int64)
    benefit = np.asarray(benefit, np.float64)
    if not presorted:
        order = np.lexsort((cols, rows))
        rows, cols, benefit = rows[order], cols[order], benefit[order]
    arcs = _Arcs(rows, cols, benefit, n)
    if scale is None:
        scale = float(np.abs(benefit).max()) if len(benefit) else 1.0
    scale = max(scale, 1e-12)
    first = 0.5 if warm is False else WARM_EPSILON if warm is True else float(warm)
    epsilon, final = scale * first, scale * RELATIVE_EPSILON
    prices = np.zeros(n) if prices is None else np.array(prices, dtype=np.float64)
    owner = np.full(n, -1, np.int64)  # object -> person
    held = np.full(n, -1, np.int64)  # person -> the arc of its object
    if start is not None:
        _hold(arcs, np.asarray(start, np.int64), owner, held)
    budget = [max_bids * n]
    while True:
        _keep_slack(arcs, prices, owner, held, epsilon)
        _phase(arcs, prices, owner, held, epsilon, scale, budget)
        if epsilon <= final:
            return arcs.cols[held], prices
        epsilon = max(epsilon / SCALING, final)


def _hold(arcs: "_Arcs", start: np.ndarray, owner: np.ndarray, held: np.ndarray) -> None:
    """Give each person the object start[person] when an arc leads there and nobody holds it yet."""
    n = len(held)
    persons = np.flatnonzero(start >= 0)
    wanted = start[persons]
    keys = arcs.rows * n + arcs.cols
    at = np.minimum(np.searchsorted(keys, persons * n + wanted), len(keys) - 1)
    found = keys[at] == persons * n + wanted
    persons, wanted, at = persons[found], wanted[found], at[found]
    first = np.unique(wanted, return_index=True)[1]  # one holder per object
    persons, wanted, at = persons[first], wanted[first], at[first]
    owner[wanted] = persons
    held[persons] = at


class _Arcs:
    """The arcs grouped by person (CSR), as arrays and as lists for the one-at-a-time bids."""

    def __init__(self, rows: np.ndarray, cols: np.ndarray, benefit: np.ndarray, n: int):
        self.rows, self.cols, self.benefit = rows, cols, benefit
        self.degree = np.bincount(rows, minlength=n)
        if np.any(self.degree == 0):
            raise ValueError("every person needs an arc")
        self.stops = np.cumsum(self.degree)
        self.starts = self.stops - self.degree
        self.lists = (cols.tolist(), benefit.tolist(), self.starts.tolist(), self.stops.tolist())

    def of(self, persons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The arcs of these persons, person after person, and where each person's arcs begin."""
        counts = self.degree[persons]
        begins = np.cumsum(counts) - counts
        positions = np.arange(int(counts.sum())) + np.repeat(self.starts[persons] - begins, counts)
        return positions, begins


def _best_two(arcs: _Arcs, persons: np.ndarray, prices: np.ndarray, scale: float):
    """Per person: (arc of the best object, its net value, the second-best net value)."""
    positions, begins = arcs.of(persons)
    net = arcs.benefit[positions] - prices[arcs.cols[positions]]
    first = np.maximum.reduceat(net, begins)
    counts = arcs.degree[persons]
    is_first = net == np.repeat(first, counts)
    index = np.where(is_first, np.arange(len(net)), len(net))
    best = np.minimum.reduceat(index, begins)  # the first arc reaching the maximum
    net[best] = -np.inf
    second = np.maximum.reduceat(net, begins)
    second = np.where(counts > 1, second, first - scale)
    return positions[best], first, second


def _keep_slack(arcs: _Arcs, prices: np.ndarray, owner: np.ndarray, held: np.ndarray, epsilon: float) -> None:
    """Unassign the persons whose object is more than ε below their best one at today's prices."""
    holders = np.flatnonzero(held >= 0)
    if not len(holders):
        return
    positions, begins = arcs.of(holders)
    best = np.maximum.reduceat(arcs.benefit[positions] - prices[arcs.cols[positions]], begins)
    arc = held[holders]
    loose = holders[arcs.benefit[arc] - prices[arcs.cols[arc]] < best - epsilon]
    owner[arcs.cols[held[loose]]] = -1
    held[loose] = -1


def _phase(
    arcs: _Arcs, prices: np.ndarray, owner: np.ndarray, held: np.ndarray, epsilon: float, scale: float, budget: list
) -> None:
    """Bid until everyone holds an object."""
    bidders = np.flatnonzero(held < 0)
    while len(bidders) > TAIL:
        budget[0] -= len(bidders)
        if budget[0] < 0:
            raise ValueError("no assignment of everyone along these arcs")
        arc, first, second = _best_two(arcs, bidders, prices, scale)
        wanted = arcs.cols[arc]
        bids = prices[wanted] + (first - second) + epsilon
        # The highest bid per object wins (ties: the lower person index, bidders being sorted).
        ranking = np.lexsort((-bids, wanted))
        sorted_objects = wanted[ranking]
        winners = ranking[np.concatenate(([True], sorted_objects[1:] != sorted_objects[:-1]))]
        won, persons = wanted[winners], bidders[winners]
        previous = owner[won]
        displaced = previous[previous >= 0]
        held[displaced] = -1
        owner[won] = persons
        held[persons] = arc[winners]
        prices[won] = bids[winners]
        lost = np.ones(len(bidders), bool)
        lost[winners] = False
        bidders = np.sort(np.concatenate((bidders[lost], displaced)))
    if len(bidders):
        _tail(bidders.tolist(), arcs, prices, owner, held, epsilon, scale, budget)


def _tail(
    queue: list[int],
    arcs: _Arcs,
    prices: np.ndarray,
    owner: np.ndarray,
    held: np.ndarray,
    epsilon: float,
    scale: float,
    budget: list,
) -> None:
    """The same bids one at a time (Gauss-Seidel), on Python lists."""
    cols, benefit, starts, stops = arcs.lists
    price, owns, holds = prices.tolist(), owner.tolist(), held.tolist()
    queue.reverse()
    inf = float("inf")
    left = budget[0]
    while queue:
        left -= 1
        if left < 0:
            raise ValueError("no assignment of everyone along these arcs")
        person = queue.pop()
        first = second = -inf
        best = -1
        for arc in range(starts[person], stops[person]):
            value = benefit[arc] - price[cols[arc]]
            if value > first:
                first, second, best = value, first, arc
            elif value > second:
                second = value
        if second == -inf:
            second = first - scale
        wanted = cols[best]
        price[wanted] += first - second + epsilon
        previous = owns[wanted]
        owns[wanted] = person
        holds[person] = best
        if previous >= 0:
            holds[previous] = -1
            queue.append(previous)
    budget[0] = left
    prices[:] = price
    owner[:] = owns
    held[:] = holds
