"""The sparse auction: the best assignment along the arcs given, within n x epsilon."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from cercle.engine.auction import RELATIVE_EPSILON, max_weight_assignment


def dense_arcs(benefit: np.ndarray, allowed: np.ndarray):
    rows, cols = np.nonzero(allowed)
    return rows, cols, benefit[rows, cols]


def best_value(benefit: np.ndarray, allowed: np.ndarray) -> float:
    cost = np.where(allowed, benefit, -1e9)
    rows, cols = linear_sum_assignment(cost, maximize=True)
    return float(cost[rows, cols].sum())


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 40), seed=st.integers(0, 2**32), density=st.sampled_from([0.2, 0.5, 1.0]), coarse=st.booleans())
def test_the_assignment_is_within_n_epsilon_of_the_best(n, seed, density, coarse):
    rng = np.random.default_rng(seed)
    benefit = rng.random((n, n))
    benefit = benefit.round(1) if coarse else benefit  # ties: price wars
    allowed = rng.random((n, n)) < density
    allowed[np.arange(n), (np.arange(n) + 1) % n] = True  # an assignment exists
    successor, _ = max_weight_assignment(*dense_arcs(benefit, allowed), n)
    assert sorted(successor.tolist()) == list(range(n))
    assert allowed[np.arange(n), successor].all()
    epsilon = RELATIVE_EPSILON * np.abs(benefit[allowed]).max()
    assert benefit[np.arange(n), successor].sum() >= best_value(benefit, allowed) - n * epsilon - 1e-9


def test_a_warm_start_reaches_the_same_value():
    rng = np.random.default_rng(4)
    benefit = rng.random((30, 30))
    arcs = dense_arcs(benefit, np.ones((30, 30), dtype=bool))
    cold, prices = max_weight_assignment(*arcs, 30)
    warm, _ = max_weight_assignment(*arcs, 30, prices=prices, start=cold, warm=True)
    value = benefit[np.arange(30), cold].sum()
    assert benefit[np.arange(30), warm].sum() == pytest.approx(value, abs=30 * 1e-4)


def test_no_assignment_of_everyone_raises_instead_of_bidding_forever():
    with pytest.raises(ValueError, match="no assignment"):
        max_weight_assignment(np.array([0, 1, 2]), np.array([0, 0, 0]), np.ones(3), 3)
    with pytest.raises(ValueError, match="arc"):
        max_weight_assignment(np.array([0, 0]), np.array([0, 1]), np.ones(2), 3)
