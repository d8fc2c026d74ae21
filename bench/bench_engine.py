"""The matching engine at scale: suggestions, coffee pairing and introduction paths.

    .venv/bin/python bench/run.py engine

Everything runs in this process on synthetic data generated with fixed seeds (no database):

- suggestions: 100,000 and 1,000,000 profiles (Zipf-distributed terms, values, circles, 2,000
  places across France, 5 % without a city, 5 % hidden); the top-20 for 30 random members, each
  with 50 excluded ids. The reference is a plain scorer written here from the definitions (one
  sparse product per overlap, haversine for every member, a full sort): the engine must return
  exactly its top-20 (up to equal scores), and its time is the reference figure;
- pairing: circles of 500, 1,000 and 10,000 members drawn from those profiles, their score
  matrix computed by the engine (tie-rich: cities, shared values); the total pair score against
  the exact maximum-weight matching (rustworkx, same run) at 500 and 1,000, against an upper
  bound at 10,000 (rustworkx would take hours): the fractional matching LP
  (`matching_upper_bound`, which no pairing can exceed), given at every size in `details`. At
  1,000, `details` adds the same on uniform random scores;
- paths: a power-law graph of 1,000,000 members and 25,000,000 connections (configuration model,
  hubs above 10,000 connections), saved and memory-mapped like the web processes will; 1,000
  random queries (5 blocked members each), chains of at most 3 hops, top 5, ranking included;
  50 more from the best connected members; the graph's arrays in MB (10^6 bytes). The first 100
  are checked against the same search written with Python sets. networkx cannot hold that graph
  (about 700 MB per 2.5 million connections): the same generator makes a 100,000-member graph
  of 2,500,000 connections where the engine and networkx (`networkx_paths`) answer the same 200
  queries, for the ratio and an identical-results check.

Latencies are wall-clock medians; `details` also gives the CPU time (time.process_time) and the
load average, because other jobs on this 2-core machine stretch wall-clock figures.
"""

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy.sparse as sp

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(BENCH_DIR.parent))

from common import machine, record, target, utc_now  # noqa: E402

from cercle.engine.pairing import matching_upper_bound, pair_members, pair_weights  # noqa: E402
from cercle.engine.paths import ConnectionGraph, build_graph, shortest_paths  # noqa: E402
from cercle.engine.profiles import NO_ID, ProfileArrays, haversine_km  # noqa: E402
from cercle.engine.scoring import (  # noqa: E402
    LOCAL_HALF_LIFE_KM,
    SAME_CITY_KM,
    TEACH_SHARE,
    UNKNOWN_LOCATION,
    Weights,
    score_matrix,
    suggest,
)

SEED = 20_261_122
K = 20
SUGGEST_SIZES = {"100k": (100_000, 30, 10.0), "1m": (1_000_000, 30, 60.0)}  # members, queries, p50 target ms
EXCLUDED_PER_QUERY = 50
PAIRING_SIZES = (500, 1_000, 10_000)
PAIRING_RUNS = {500: 5, 1_000: 7, 10_000: 3}
PAIRING_TARGET_MS = {1_000: 100.0, 10_000: 3_000.0}
ORACLE_SIZES = (500, 1_000)  # rustworkx's exact matching: 6 s at 1,000 members, hours at 10,000
UNIFORM_CHECK_SIZE = 1_000
PAIRING_MIN_RATIO = 0.999
PATH_MEMBERS, PATH_EDGES, PATH_QUERIES, PATH_BLOCKED = 1_000_000, 25_000_000, 1_000, 5
PATH_EXPONENT = 0.6  # expected degree ~ rank**-0.6: hubs of tens of thousands at a million members
PATH_HUB_QUERIES = 50  # more queries, each from one of the best connected members
PATH_CHECKED_QUERIES = 100  # compared with the Python-sets reference
PATH_SMALL_MEMBERS, PATH_SMALL_EDGES, PATH_NETWORKX_QUERIES = 100_000, 2_500_000, 200
PATH_P50_MS, PATH_P95_MS, PATH_MEMORY_MB = 1.0, 5.0, 500.0


# --- synthetic data ------------------------------------------------------------------------------


def _zipf_rows(rng: np.random.Generator, n: int, columns: int, most: int, exponent: float) -> sp.csr_array:
    """0..most terms per member, term popularity falling as rank**-exponent."""
    counts = rng.integers(0, most + 1, n)
    weights = 1.0 / np.arange(1, columns + 1) ** exponent
    cdf = np.cumsum(weights) / weights.sum()
    terms = np.minimum(np.searchsorted(cdf, rng.random(int(counts.sum()))), columns - 1).astype(np.int32)
    indptr = np.concatenate(([0], np.cumsum(counts)))
    return sp.csr_array((np.ones(len(terms), np.bool_), terms, indptr), shape=(n, columns))


def synthetic_profiles(n: int, seed: int = SEED) -> ProfileArrays:
    rng = np.random.default_rng(seed)
    terms, values, professions, sectors, places = 3_000, 25, 40, 17, 2_000
    circles = max(20, n // 50)
    place_lat, place_lon = rng.uniform(42.5, 51.0, places), rng.uniform(-4.5, 8.0, places)
    popularity = 1.0 / np.arange(1, places + 1)
    place = np.searchsorted(np.cumsum(popularity) / popularity.sum(), rng.random(n))
    lat, lon = place_lat[place], place_lon[place]
    unknown = rng.random(n) < 0.05
    lat[unknown] = lon[unknown] = np.nan
    profession = rng.integers(0, professions, n).astype(np.int32)
    profession[rng.random(n) < 0.1] = NO_ID
    sector = rng.integers(0, sectors, n).astype(np.int32)
    sector[rng.random(n) < 0.1] = NO_ID
    return ProfileArrays(
        member_ids=np.arange(1, n + 1, dtype=np.int64) * 7,
        values=_zipf_rows(rng, n, values, 5, 0.5),
        skills=_zipf_rows(rng, n, terms, 6, 1.0),
        learning=_zipf_rows(rng, n, terms, 3, 1.0),
        interests=_zipf_rows(rng, n, terms, 5, 1.0),
        objectives=_zipf_rows(rng, n, terms, 3, 1.0),
        profession=profession,
        sector=sector,
        circles=_zipf_rows(rng, n, circles, 3, 0.8),
        formats=rng.integers(0, 32, n),
        lat=lat,
        lon=lon,
        discoverable=rng.random(n) < 0.95,
        value_terms=tuple(f"value {i}" for i in range(values)),
        terms=tuple(f"term {i}" for i in range(terms)),
        professions=tuple(f"profession {i}" for i in range(professions)),
        sectors=tuple(f"sector {i}" for i in range(sectors)),
        circle_ids=np.arange(circles, dtype=np.int64),
        format_names=("breakfast", "lunch", "after_work", "evening", "saturday_camp"),
    )


def power_law_graph(
    n: int, edges: int, seed: int = SEED, exponent: float = PATH_EXPONENT
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`edges` distinct connections among n members, degrees following a power law (configuration model).

    Member of rank r gets Poisson(c * r**-exponent) connection ends (c sets the mean degree,
    2 * edges / n, plus 4 % for the duplicates dropped), the ends are shuffled and paired, loops
    and duplicates dropped, then `edges` of them kept at random. Ranks are shuffled over the ids.
    At a million members and 25 million connections: degree exponent about 2.7, 29 members above
    10,000 connections, the biggest near 70,000, median 31. Strengths: 1 + Poisson(1.5).
    """
    rng = np.random.default_rng(seed)
    expected = 1.0 / np.arange(1, n + 1) ** exponent
    expected *= 2 * edges * 1.04 / expected.sum()
    ends = np.repeat(np.arange(n, dtype=np.int64), rng.poisson(expected))
    rng.shuffle(ends)
    half = len(ends) // 2
    low, high = np.minimum(ends[:half], ends[half : 2 * half]), np.maximum(ends[:half], ends[half : 2 * half])
    del ends
    keys = (low * n + high)[low != high]
    keys.sort()
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]  # sort and mask: np.unique is slow
    if len(keys) > edges:
        keys = keys[np.sort(rng.permutation(len(keys))[:edges])]
    shuffle = rng.permutation(n)  # hubs anywhere in the id range, not only the first ids
    strength = (1 + rng.poisson(1.5, len(keys))).astype(np.float32)  # recent interactions
    member_ids = np.arange(1, n + 1, dtype=np.int64)
    return member_ids, member_ids[shuffle[keys // n]], member_ids[shuffle[keys % n]], strength


# --- references written from the definitions ----------------------------------------------------------


def reference_scores(arrays: ProfileArrays, me: int, weights: Weights) -> np.ndarray:
    """Every candidate's total, straight from the definitions in scoring.py's docstring."""

    def mine(name: str) -> np.ndarray:
        matrix = getattr(arrays, name)
        indicator = np.zeros(matrix.shape[1])
        indicator[matrix.indices[matrix.indptr[me] : matrix.indptr[me + 1]]] = 1.0
        return indicator

    def overlap(my_name: str, their_matrix: sp.csr_array) -> np.ndarray:
        return their_matrix.astype(np.float64) @ mine(my_name)

    def size(name: str) -> np.ndarray:
        return np.diff(getattr(arrays, name).indptr).astype(np.float64)

    def share(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(denominator > 0, numerator / denominator, 0.0)

    shared_values = overlap("values", arrays.values)
    spirit = share(shared_values, size("values")[me] + size("values") - shared_values)
    distance = haversine_km(arrays.lat[me], arrays.lon[me], arrays.lat, arrays.lon)
    near = np.where(distance <= SAME_CITY_KM, 1.0, 0.5 ** (distance / LOCAL_HALF_LIFE_KM))
    location = np.where(np.isnan(distance), UNKNOWN_LOCATION, near)
    shared_circles = overlap("circles", arrays.circles)
    circle_overlap = share(shared_circles, size("circles")[me] + size("circles") - shared_circles)
    other = [(a != a[me]) & (a != NO_ID) & (a[me] != NO_ID) for a in (arrays.profession, arrays.sector)]
    difference = (other[0] * 1.0 + other[1] + (1.0 - circle_overlap)) / 3.0
    teach = share(overlap("learning", arrays.skills), np.full(len(arrays), size("learning")[me]))
    gap = TEACH_SHARE * teach + (1.0 - TEACH_SHARE) * difference
    interests = share(overlap("interests", arrays.interests), np.sqrt(size("interests")[me] * size("interests")))
    synchronicity = interests * (1.0 - circle_overlap)
    objectives = share(overlap("objectives", arrays.knows), np.full(len(arrays), size("objectives")[me]))
    availability = ((arrays.formats & arrays.formats[me]) != 0) * 1.0
    return (
        weights.spirit * spirit
        + weights.location * location
        + weights.gap * gap
        + weights.synchronicity * synchronicity
        + weights.objectives * objectives
        + weights.availability * availability
    )


def reference_paths(graph: ConnectionGraph, source: int, target: int, blocked: set[int], limit: int = 5) -> list:
    """The same chains with Python sets: direct, common neighbours, then neighbour-of-neighbour."""
    s, t = graph.row_of(source), graph.row_of(target)

    def ties(row: int) -> dict[int, float]:
        start, end = graph.indptr[row], graph.indptr[row + 1]
        return dict(zip(graph.indices[start:end].tolist(), graph.strength[start:end].tolist(), strict=True))

    blocked_rows = {graph.row_of(member) for member in blocked} - {None}
    from_s, to_t = ties(s), ties(t)
    found = []
    if t in from_s:
        found.append((1, -from_s[t], -from_s[t], (), (s, t)))
    middle_s = {a: w for a, w in from_s.items() if a not in blocked_rows and a not in (s, t)}
    middle_t = {b: w for b, w in to_t.items() if b not in blocked_rows and b not in (s, t)}
    for a in middle_s.keys() & middle_t.keys():
        chain = (middle_s[a], middle_t[a])
        found.append((2, -min(chain), -sum(chain), (a,), (s, a, t)))
    if len(found) < limit:
        for a, w_sa in middle_s.items():
            for b, w_ab in ties(a).items():
                if b in middle_t:
                    chain = (w_sa, w_ab, middle_t[b])
                    found.append((3, -min(chain), -sum(chain), (a, b), (s, a, b, t)))
    found.sort(key=lambda item: item[:4])
    return [tuple(int(graph.member_ids[r]) for r in item[4]) for item in found[:limit]]


# --- measuring -------------------------------------------------------------------------------------------


def _timed(function: Callable[[], object]) -> tuple[object, float, float]:
    """(result, wall ms, CPU ms)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def _profile_bytes(arrays: ProfileArrays) -> int:
    total = 0
    for value in vars(arrays).values():
        matrices = value.values() if isinstance(value, dict) else [value]
        for item in matrices:
            if isinstance(item, np.ndarray):
                total += item.nbytes
            elif sp.issparse(item):
                total += item.data.nbytes + item.indices.nbytes + item.indptr.nbytes
    return total


def _bench_suggestions(
    label: str, n: int, queries: int, target_ms: float, common: dict
) -> tuple[list[dict], ProfileArrays]:
    arrays, build_ms, _ = _timed(lambda: synthetic_profiles(n))
    rng = np.random.default_rng(SEED + n)
    weights = Weights()
    suggest(arrays, 0, K, weights)  # builds the by-column indexes once, as a long-lived worker would
    wall, cpu, reference_wall, agreed = [], [], [], 0
    for query in range(queries):
        me = int(rng.integers(n))
        excluded = set(arrays.member_ids[rng.integers(0, n, EXCLUDED_PER_QUERY)].tolist())
        found, wall_ms, cpu_ms = _timed(
            lambda me=me, excluded=excluded, query=query: suggest(arrays, me, K, weights, excluded, query)
        )
        wall.append(wall_ms)
        cpu.append(cpu_ms)

        def plain(me: int = me, excluded: set[int] = excluded) -> np.ndarray:
            scores = reference_scores(arrays, me, weights)
            scores[arrays.rows_of(excluded)] = scores[me] = -np.inf
            scores[~arrays.discoverable] = -np.inf
            return scores

        scores, reference_ms, _ = _timed(plain)
        reference_wall.append(reference_ms + 0.0)
        best = np.sort(scores)[::-1][:K]
        mine = np.sort(scores[arrays.rows_of(s.member_id for s in found)])[::-1]
        agreed += int(len(mine) == len(best) and np.allclose(mine, best, rtol=0, atol=1e-9))
    p50, reference_p50 = float(np.median(wall)), float(np.median(reference_wall))
    print(
        f"  suggestions {label}: p50 {p50:.2f} ms (CPU {np.median(cpu):.2f}), p95 {_percentile(wall, 95):.2f} ms;"
        f" reference {reference_p50:.1f} ms; top-{K} identical in {agreed}/{queries}",
        flush=True,
    )
    details = {
        "members": n,
        "queries": queries,
        "k": K,
        "excluded_per_query": EXCLUDED_PER_QUERY,
        "p95_ms": round(_percentile(wall, 95), 3),
        "cpu_p50_ms": round(float(np.median(cpu)), 3),
        "arrays_mb": round(_profile_bytes(arrays) / 2**20, 1),
        "build_arrays_ms": round(build_ms, 1),
        "reference": "plain scorer from the definitions (sparse products, haversine per member, full sort)",
        "top20_identical_queries": agreed,
        "load_average": os.getloadavg(),
    }
    reference = {"name": f"engine.suggest_{label}.reference_p50", "value": round(reference_p50, 3), "unit": "ms"}
    return [
        record(
            f"engine.suggest_{label}.latency_p50",
            p50,
            "ms",
            target=target("<=", target_ms),
            reference=reference,
            details=details,
            **common,
        ),
        record(
            f"engine.suggest_{label}.top20_identical",
            agreed / queries,
            "share",
            target=target(">=", 1.0),
            details=details,
            **common,
        ),
    ], arrays


def exact_optimum(weights: np.ndarray) -> float:
    """The maximum-weight matching among those covering everyone (rustworkx, Edmonds' blossom)."""
    import rustworkx

    graph = rustworkx.PyGraph()
    graph.add_nodes_from(range(len(weights)))
    rows, cols = np.triu_indices(len(weights), 1)
    scaled = np.rint(weights[rows, cols] * 1e6).astype(np.int64).tolist()  # rustworkx wants integers
    graph.add_edges_from(list(zip(rows.tolist(), cols.tolist(), scaled, strict=True)))
    matching = rustworkx.max_weight_matching(graph, max_cardinality=True, weight_fn=lambda weight: weight)
    return float(sum(weights[a, b] for a, b in matching))


def _uniform_scores_check(n: int) -> dict:
    """The same pairing on uniform random scores (what the NOTES figure measured): time and ratio."""
    rng = np.random.default_rng(SEED + 3)
    scores = rng.random((n, n))
    runs = [_timed(lambda seed=seed: pair_members(list(range(n)), scores, seed=seed)) for seed in range(3)]
    optimum = exact_optimum(pair_weights(scores))
    return {
        "p50_ms": round(float(np.median([ms for _, ms, _ in runs])), 1),
        "cpu_p50_ms": round(float(np.median([ms for _, _, ms in runs])), 1),
        "ratio_to_optimum": round(runs[0][0].total_score / optimum, 6),
    }


def _bench_pairing(arrays: ProfileArrays, common: dict) -> list[dict]:
    rng = np.random.default_rng(SEED + 1)
    out = []
    for n in PAIRING_SIZES:
        rows = rng.choice(len(arrays), n, replace=False)
        scores, matrix_ms, _ = _timed(lambda rows=rows: score_matrix(arrays, rows))
        ids = arrays.member_ids[rows].tolist()
        formats = arrays.formats[rows]
        runs = [
            _timed(lambda i=ids, s=scores, f=formats, seed=seed: pair_members(i, s, formats=f, seed=seed))
            for seed in range(PAIRING_RUNS[n])
        ]
        pairing = runs[0][0]
        wall = [ms for _, ms, _ in runs]
        cpu = [ms for _, _, ms in runs]
        weights = pair_weights(scores, formats)
        del scores
        bound, bound_ms, _ = _timed(lambda weights=weights: matching_upper_bound(weights))
        if n in ORACLE_SIZES:
            optimum, oracle_ms, _ = _timed(lambda weights=weights: exact_optimum(weights))
            reference = {"name": f"engine.pairing_{n}.exact_optimum", "value": round(optimum, 6), "unit": "score"}
            versus = f"exact optimum {optimum:.3f} (rustworkx {oracle_ms / 1000:.1f} s)"
        else:
            oracle_ms = None
            reference = {"name": f"engine.pairing_{n}.lp_upper_bound", "value": round(bound, 6), "unit": "score"}
            versus = "LP upper bound"
        del weights
        p50 = float(np.median(wall))
        ratio = pairing.total_score / reference["value"]
        print(
            f"  pairing {n}: p50 {p50:.1f} ms (CPU {np.median(cpu):.1f}), method {pairing.method},"
            f" total {pairing.total_score:.3f} = {ratio:.5f} of the {versus};"
            f" LP upper bound {bound:.3f} ({bound_ms / 1000:.1f} s), ratio {pairing.total_score / bound:.5f}",
            flush=True,
        )
        details = {
            "members": n,
            "runs": len(runs),
            "method": pairing.method,
            "run_ms": [round(ms, 1) for ms in wall],
            "cpu_p50_ms": round(float(np.median(cpu)), 1),
            "score_matrix_ms": round(matrix_ms, 1),
            "totals_by_seed": [round(result.total_score, 4) for result, _, _ in runs],
            "lp_upper_bound": round(bound, 6),
            "ratio_to_lp_upper_bound": round(pairing.total_score / bound, 6),
            "lp_upper_bound_ms": round(bound_ms),
            "exact_optimum_ms": None if oracle_ms is None else round(oracle_ms),
            "scores": "engine score_matrix of a random circle of the 100k synthetic profiles, format bonus included",
            "upper_bound": "fractional matching LP (matching_upper_bound: HiGHS, column generation, dual fitting)",
            "load_average": os.getloadavg(),
        }
        if n == UNIFORM_CHECK_SIZE:
            details["uniform_random_scores"] = _uniform_scores_check(n)
            print(f"    same size on uniform random scores: {details['uniform_random_scores']}", flush=True)
        out.append(
            record(
                f"engine.pairing_{n}.latency_p50",
                p50,
                "ms",
                target=target("<=", PAIRING_TARGET_MS[n]) if n in PAIRING_TARGET_MS else None,
                details=details,
                **common,
            )
        )
        out.append(
            record(
                f"engine.pairing_{n}.total_score",
                pairing.total_score,
                "score",
                target=target(">=", PAIRING_MIN_RATIO, on="ratio") if n in ORACLE_SIZES else None,
                reference=reference,
                details=details,
                **common,
            )
        )
    return out


def networkx_paths(graph, source: int, target: int, blocked: set[int], limit: int = 5) -> list[tuple[int, ...]]:
    """The same query with networkx: all simple paths of at most 3 hops, ranked like the engine.

    nx.all_simple_paths(G, cutoff=3) walks every edge of every member two steps away (1 to 18 s
    per query on the 100,000-member graph, three tried), so it runs on the subgraph of both ends
    and their neighbours, where every chain of at most 3 hops lies (s - a - b - t: a is s's
    neighbour, b is t's), copied out of G; blocked members removed.
    """
    import networkx as nx

    if source == target or source not in graph or target not in graph:
        return []
    near = (set(graph[source]) | set(graph[target]) | {source, target}) - (blocked - {source, target})
    local = nx.Graph(graph.subgraph(near))
    found = []
    for path in nx.all_simple_paths(local, source, target, cutoff=3):
        ties = [local[u][v]["strength"] for u, v in zip(path, path[1:], strict=False)]
        found.append((len(path) - 1, -min(ties), -sum(ties), tuple(path[1:-1]), tuple(path)))
    found.sort(key=lambda item: item[:4])
    return [item[4] for item in found[:limit]]


def _path_queries(member_ids: np.ndarray, count: int, seed: int) -> list[tuple[int, int, set[int]]]:
    rng = np.random.default_rng(seed)
    return [
        (int(a), int(b), set(rng.choice(member_ids, PATH_BLOCKED).tolist()))
        for a, b in rng.choice(member_ids, (count, 2))
    ]


def _engine_latencies(graph: ConnectionGraph, queries: list) -> tuple[list[float], list[float], list]:
    for source, target_id, blocked in queries[:20]:  # warm the page cache
        shortest_paths(graph, source, target_id, blocked=blocked)
    wall, cpu, found = [], [], []
    for source, target_id, blocked in queries:
        result, wall_ms, cpu_ms = _timed(
            lambda s=source, t=target_id, b=blocked: shortest_paths(graph, s, t, blocked=b)
        )
        wall.append(wall_ms)
        cpu.append(cpu_ms)
        found.append(result)
    return wall, cpu, found


def _bench_paths(common: dict) -> list[dict]:
    generated, generate_ms, _ = _timed(lambda: power_law_graph(PATH_MEMBERS, PATH_EDGES))
    member_ids = generated[0]
    built, build_ms, _ = _timed(lambda generated=generated: build_graph(*generated))
    del generated  # 600 MB
    degrees = np.diff(built.indptr)
    graph_bytes = built.nbytes
    queries = _path_queries(member_ids, PATH_QUERIES, SEED + 2)
    hubs = built.member_ids[np.argsort(-degrees, kind="stable")[:PATH_HUB_QUERIES]]
    rng = np.random.default_rng(SEED + 4)
    hub_queries = [
        (int(hub), int(rng.choice(member_ids)), set(rng.choice(member_ids, PATH_BLOCKED).tolist())) for hub in hubs
    ]
    with tempfile.TemporaryDirectory(prefix="cercle-bench-engine-") as tmp:
        built.save(tmp)
        del built
        graph = ConnectionGraph.load(tmp)  # memory-mapped, as the web processes share it
        wall, cpu, found = _engine_latencies(graph, queries)
        hub_wall, _, _ = _engine_latencies(graph, hub_queries)
        agreed = 0
        for (source, target_id, blocked), result in list(zip(queries, found, strict=True))[:PATH_CHECKED_QUERIES]:
            agreed += [p.members for p in result] == reference_paths(graph, source, target_id, blocked)
        hops = [result[0].hops if result else 0 for result in found]
        del graph
    small, small_details = _bench_paths_against_networkx(common)
    p50, p95 = float(np.median(wall)), _percentile(wall, 95)
    graph_mb = graph_bytes / 1e6
    print(
        f"  paths {PATH_MEMBERS:,} members, {len(degrees) and int(degrees.sum()) // 2:,} connections (max degree"
        f" {degrees.max():,}, {(degrees > 10_000).sum()} above 10,000): p50 {p50:.3f} ms (CPU {np.median(cpu):.3f}),"
        f" p95 {p95:.3f} ms, max {max(wall):.1f} ms; from the {PATH_HUB_QUERIES} biggest hubs p50"
        f" {np.median(hub_wall):.3f} ms, p95 {_percentile(hub_wall, 95):.3f} ms; graph {graph_mb:.0f} MB;"
        f" identical to the Python-sets reference {agreed}/{PATH_CHECKED_QUERIES}",
        flush=True,
    )
    details = {
        "members": PATH_MEMBERS,
        "connections": int(degrees.sum()) // 2,
        "max_degree": int(degrees.max()),
        "members_above_10000_connections": int((degrees > 10_000).sum()),
        "members_above_1000_connections": int((degrees > 1_000).sum()),
        "median_degree": float(np.median(degrees)),
        "generator": f"configuration model, expected degree ~ rank**-{PATH_EXPONENT}, duplicates and loops dropped",
        "queries": PATH_QUERIES,
        "blocked_per_query": PATH_BLOCKED,
        "max_hops": 3,
        "limit": 5,
        "graph_bytes": graph_bytes,
        "memory_mapped": True,
        "generate_ms": round(generate_ms),
        "build_ms": round(build_ms),
        "p95_ms": round(p95, 3),
        "max_ms": round(max(wall), 3),
        "cpu_p50_ms": round(float(np.median(cpu)), 4),
        "hub_queries": PATH_HUB_QUERIES,
        "hub_p50_ms": round(float(np.median(hub_wall)), 3),
        "hub_p95_ms": round(_percentile(hub_wall, 95), 3),
        "shortest_hops": {str(h): hops.count(h) for h in sorted(set(hops))},
        "identical_to_python_sets_reference": f"{agreed}/{PATH_CHECKED_QUERIES}",
        "networkx": small_details,
        "load_average": os.getloadavg(),
    }
    reference = {
        "name": "engine.paths_100k.networkx_p50",
        "value": small_details["networkx_p50_ms"],
        "unit": "ms",
    }
    return [
        record(
            "engine.paths.latency_p50",
            p50,
            "ms",
            target=target("<=", PATH_P50_MS),
            reference=reference,
            details=details,
            **common,
        ),
        record("engine.paths.latency_p95", p95, "ms", target=target("<=", PATH_P95_MS), details=details, **common),
        record(
            "engine.paths.graph_memory", graph_mb, "MB", target=target("<=", PATH_MEMORY_MB), details=details, **common
        ),
        *small,
    ]


def _bench_paths_against_networkx(common: dict) -> tuple[list[dict], dict]:
    """The engine and networkx on the same 100,000-member graph (same generator), same queries."""
    import networkx as nx

    member_ids, first, second, strength = power_law_graph(PATH_SMALL_MEMBERS, PATH_SMALL_EDGES, seed=SEED + 5)
    graph = build_graph(member_ids, first, second, strength)
    degrees = np.diff(graph.indptr)
    queries = _path_queries(member_ids, PATH_NETWORKX_QUERIES, SEED + 6)
    wall, _, found = _engine_latencies(graph, queries)
    nx_graph, nx_build_ms, _ = _timed(lambda: _networkx_graph(nx, member_ids, first, second, strength))
    nx_wall, agreed = [], 0
    for (source, target_id, blocked), result in zip(queries, found, strict=True):
        expected, ms, _ = _timed(lambda s=source, t=target_id, b=blocked: networkx_paths(nx_graph, s, t, b))
        nx_wall.append(ms)
        agreed += [p.members for p in result] == expected
    p50, nx_p50 = float(np.median(wall)), float(np.median(nx_wall))
    print(
        f"  paths {PATH_SMALL_MEMBERS:,} members, {int(degrees.sum()) // 2:,} connections (max degree"
        f" {degrees.max():,}): engine p50 {p50:.3f} ms, networkx p50 {nx_p50:.2f} ms (p95"
        f" {_percentile(nx_wall, 95):.1f}), {nx_p50 / p50:.0f}x; identical {agreed}/{len(queries)};"
        f" networkx graph built in {nx_build_ms / 1000:.1f} s",
        flush=True,
    )
    details = {
        "members": PATH_SMALL_MEMBERS,
        "connections": int(degrees.sum()) // 2,
        "max_degree": int(degrees.max()),
        "members_above_10000_connections": int((degrees > 10_000).sum()),
        "queries": len(queries),
        "engine_p50_ms": round(p50, 4),
        "engine_p95_ms": round(_percentile(wall, 95), 4),
        "networkx_p50_ms": round(nx_p50, 4),
        "networkx_p95_ms": round(_percentile(nx_wall, 95), 4),
        "networkx_build_ms": round(nx_build_ms),
        "networkx_version": nx.__version__,
        "networkx_query": "nx.all_simple_paths(cutoff=3) on the subgraph of both ends' neighbourhoods, ranked alike",
        "identical_results": agreed,
        "engine_graph_mb": round(graph.nbytes / 1e6, 1),
    }
    reference = {"name": "engine.paths_100k.networkx_p50", "value": round(nx_p50, 4), "unit": "ms"}
    records = [
        record("engine.paths_100k.latency_p50", p50, "ms", reference=reference, details=details, **common),
        record(
            "engine.paths_100k.identical_to_networkx",
            agreed / len(queries),
            "share",
            target=target(">=", 1.0),
            details=details,
            **common,
        ),
    ]
    return records, details


def _networkx_graph(nx, member_ids, first, second, strength):
    graph = nx.Graph()
    graph.add_nodes_from(member_ids.tolist())
    graph.add_weighted_edges_from(
        zip(first.tolist(), second.tolist(), strength.tolist(), strict=True), weight="strength"
    )
    return graph


def run() -> list[dict]:
    common = {"date": utc_now(), "machine_info": machine()}
    records: list[dict] = []
    profiles_100k = None
    for label, (n, queries, target_ms) in SUGGEST_SIZES.items():
        found, arrays = _bench_suggestions(label, n, queries, target_ms, common)
        records += found
        if label == "100k":
            profiles_100k = arrays
        del arrays
    records += _bench_pairing(profiles_100k, common)
    records += _bench_paths(common)
    return records


if __name__ == "__main__":
    for item in run():
        print(item["name"], item["value"], item["unit"], "met" if item["met"] else item["met"])
