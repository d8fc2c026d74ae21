"""Cercle's matching engine: numpy and scipy only, no Django, so workers and benchmarks can use it.

- terms: skills, wishes, interests and values normalized (accents, case, plural, FR/EN synonyms);
- profiles: members packed into arrays (ProfileArrays), saved and loaded as .npz;
- scoring: suggestions for one member among all, with structured reasons; pair score matrices;
- pairing: coffee pairs (one trio when odd) near the maximum total score, avoiding recent pairs;
- auction: the sparse maximum-weight assignment under the pairing of large circles;
- paths: introduction chains of up to three accepted connections over shared CSR arrays.
"""

from .pairing import Pairing, pair_members, pair_weights
from .paths import ConnectionGraph, IntroPath, build_graph, shortest_paths
from .profiles import ProfileArrays, build_profile_arrays
from .scoring import COMPONENTS, Suggestion, Weights, score_matrix, suggest
from .terms import Vocabulary, normalize_term, normalize_terms, normalize_value, normalize_values

__all__ = [
    "COMPONENTS",
    "ConnectionGraph",
    "IntroPath",
    "Pairing",
    "ProfileArrays",
    "Suggestion",
    "Vocabulary",
    "Weights",
    "build_graph",
    "build_profile_arrays",
    "normalize_term",
    "normalize_terms",
    "normalize_value",
    "normalize_values",
    "pair_members",
    "pair_weights",
    "score_matrix",
    "shortest_paths",
    "suggest",
]
