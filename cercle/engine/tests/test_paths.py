"""Introduction paths: real edges only, at most three hops, never through a blocked member."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cercle.engine.paths import ConnectionGraph, _sorted_entries, build_graph, shortest_paths

# Chains from 10 to 40: 10-50-40 (ties 2, 2), 10-20-40 (3, 0.5), 10-60-30-40 (9, 9, 5), 10-20-30-40 (3, 1, 5).
EDGES = [(10, 20, 3), (20, 30, 1), (30, 40, 5), (10, 50, 2), (50, 40, 2), (10, 60, 9), (60, 30, 9), (20, 40, 0.5)]
MEMBERS = [10, 20, 30, 40, 50, 60, 70]


def graph_of(edges, members=MEMBERS) -> ConnectionGraph:
    first, second, strength = (np.array(column) for column in zip(*edges, strict=True)) if edges else ([], [], [])
    return build_graph(members, first, second, strength)


def chains(paths) -> list[tuple[int, ...]]:
    return [path.members for path in paths]


def test_the_shortest_chains_come_first_then_the_strongest():
    paths = shortest_paths(graph_of(EDGES), 10, 40, limit=10)
    assert chains(paths) == [(10, 50, 40), (10, 20, 40), (10, 60, 30, 40), (10, 20, 30, 40)]
    assert [path.strength for path in paths] == [2.0, 0.5, 5.0, 1.0]
    assert paths[2].edge_strengths == (9.0, 9.0, 5.0) and paths[2].hops == 3


def test_a_direct_connection_is_the_one_hop_chain():
    paths = shortest_paths(graph_of(EDGES), 10, 20, limit=1)
    assert chains(paths) == [(10, 20)]


def test_the_limit_stops_before_longer_chains():
    assert chains(shortest_paths(graph_of(EDGES), 10, 40, limit=2)) == [(10, 50, 40), (10, 20, 40)]


def test_a_blocked_member_is_never_an_intermediate():
    paths = shortest_paths(graph_of(EDGES), 10, 40, limit=10, blocked={20, 60})
    assert chains(paths) == [(10, 50, 40)]


def test_max_hops_is_respected():
    assert chains(shortest_paths(graph_of(EDGES), 10, 30, max_hops=1)) == []
    assert chains(shortest_paths(graph_of(EDGES), 60, 40, max_hops=2, limit=10)) == [(60, 30, 40)]


def test_nothing_for_a_lonely_unknown_or_same_member():
    graph = graph_of(EDGES)
    assert shortest_paths(graph, 10, 70) == []
    assert shortest_paths(graph, 10, 999) == []
    assert shortest_paths(graph, 10, 10) == []


def test_building_drops_self_loops_and_keeps_the_strongest_duplicate():
    graph = graph_of([(10, 20, 1), (20, 10, 4), (30, 30, 7)])
    assert graph.edge_count == 1
    assert graph.neighbours(0)[1].tolist() == [4.0]
    with pytest.raises(ValueError, match="unknown member"):
        graph_of([(10, 999, 1)])


def test_packed_and_plain_sorting_build_the_same_graph():
    rng = np.random.default_rng(3)
    a, b = rng.integers(0, 50, 400), rng.integers(0, 50, 400)  # duplicates both ways, self-loops
    keep = a != b
    a, b, weights = a[keep], b[keep], rng.random(keep.sum()).astype(np.float32)
    fast = _sorted_entries(a, b, weights, 50)
    plain = _sorted_entries(a, b, weights, 50, packed=False)
    for x, y in zip(fast, plain, strict=True):
        assert np.array_equal(x, y)
    pairs = set(zip(fast[0].tolist(), fast[1].tolist(), strict=True))
    assert len(pairs) == len(fast[0]) and all((j, i) in pairs for i, j in pairs)


def test_a_saved_graph_is_shared_memory_mapped(tmp_path):
    graph = graph_of(EDGES)
    graph.save(tmp_path / "graph")
    loaded = ConnectionGraph.load(tmp_path / "graph")
    assert isinstance(loaded.indices, np.memmap)
    assert shortest_paths(loaded, 10, 40, limit=10) == shortest_paths(graph, 10, 40, limit=10)


# --- properties: against a brute-force enumeration -------------------------------------------------


def brute_force(edges: dict[frozenset, float], members, source, target, max_hops, limit, blocked):
    """Every simple chain of at most max_hops, ranked like the engine: hops, weakest tie, total, ids."""
    found = []
    middles = [m for m in members if m not in (source, target) and m not in blocked]
    for hops in range(1, max_hops + 1):
        for middle in itertools.permutations(middles, hops - 1):
            chain = (source, *middle, target)
            ties = [edges.get(frozenset(pair)) for pair in itertools.pairwise(chain)]
            if None not in ties:
                found.append((hops, -min(ties), -sum(ties), middle, chain))
    return [item[-1] for item in sorted(found)[:limit]]


@st.composite
def graphs(draw):
    members = list(range(1, draw(st.integers(2, 14)) + 1))
    possible = list(itertools.combinations(members, 2))
    chosen = draw(st.lists(st.sampled_from(possible), unique=True, max_size=40)) if possible else []
    strengths = draw(st.lists(st.integers(0, 4), min_size=len(chosen), max_size=len(chosen)))
    return members, dict(zip((frozenset(pair) for pair in chosen), map(float, strengths), strict=True))


@settings(max_examples=150, deadline=None)
@given(
    graph=graphs(),
    data=st.data(),
    max_hops=st.integers(1, 3),
    limit=st.integers(1, 8),
)
def test_paths_use_real_edges_stay_short_avoid_the_blocked_and_are_the_best(graph, data, max_hops, limit):
    members, edges = graph
    source = data.draw(st.sampled_from(members))
    target = data.draw(st.sampled_from(members))
    blocked = data.draw(st.sets(st.sampled_from(members), max_size=4))
    built = graph_of([(*tuple(pair), strength) for pair, strength in edges.items()], members)
    paths = shortest_paths(built, source, target, max_hops=max_hops, limit=limit, blocked=blocked)
    for path in paths:
        assert path.members[0] == source and path.members[-1] == target
        assert 1 <= path.hops <= max_hops
        assert len(set(path.members)) == len(path.members)
        assert not set(path.members[1:-1]) & blocked
        ties = [edges[frozenset(pair)] for pair in itertools.pairwise(path.members)]  # KeyError: not an edge
        assert list(path.edge_strengths) == ties and path.strength == min(ties)
    if source != target:
        expected = brute_force(edges, members, source, target, max_hops, limit, blocked)
        assert chains(paths) == expected
