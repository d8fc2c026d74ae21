"""Plain dicts become arrays, rows sorted by member id, and survive a save and load."""

import math

import numpy as np
import pytest

from cercle.engine.profiles import NO_ID, ProfileArrays, build_profile_arrays, format_mask, haversine_km

MARSEILLE = (43.29695, 5.38107)
PARIS = (48.85341, 2.3488)

MEMBERS = [
    {
        "id": 42,
        "values": ["Ouverture", "direct_talk"],
        "skills": ["Growth hacking", "SEO"],
        "learning": ["Comptabilité"],
        "interests": ["Escalade"],
        "objectives": ["levée de fonds"],
        "profession": "growth_marketer",
        "sector": "tech",
        "circles": [7, 9],
        "formats": ["breakfast", "lunch"],
        "lat": MARSEILLE[0],
        "lon": MARSEILLE[1],
    },
    {"id": 5, "values": ["openness"], "skills": ["accounting"], "lat": None, "lon": None, "discoverable": False},
]


def test_it_sorts_rows_by_id_and_normalizes_terms():
    arrays = build_profile_arrays(MEMBERS)
    assert arrays.member_ids.tolist() == [5, 42]
    assert arrays.row_of(42) == 1
    row = 1
    skills = {arrays.terms[i] for i in arrays.skills.indices[arrays.skills.indptr[row] : arrays.skills.indptr[row + 1]]}
    assert skills == {"growth marketing", "seo"}
    values = arrays.values[[row]].indices
    assert {arrays.value_terms[i] for i in values} == {"openness", "direct_talk"}
    assert arrays.professions[arrays.profession[row]] == "growth_marketer"
    assert arrays.profession[0] == NO_ID and arrays.sector[0] == NO_ID
    assert arrays.circle_ids[arrays.circles[[row]].indices].tolist() == [7, 9]
    assert arrays.formats[row] == format_mask(["breakfast", "lunch"], arrays.format_names)
    assert math.isnan(arrays.lat[0]) and arrays.lat[1] == MARSEILLE[0]
    assert arrays.discoverable.tolist() == [False, True]


def test_it_finds_rows_of_known_ids_and_ignores_the_others():
    arrays = build_profile_arrays(MEMBERS)
    assert arrays.rows_of([42, 1000, 5]).tolist() == [1, 0]
    with pytest.raises(KeyError):
        arrays.row_of(1000)


def test_a_fixed_format_order_gives_fixed_bits():
    arrays = build_profile_arrays(MEMBERS, format_names=["lunch", "breakfast", "evening"])
    assert arrays.format_names == ("lunch", "breakfast", "evening")
    assert arrays.formats.tolist() == [0, 0b11]


def test_it_refuses_duplicate_ids():
    with pytest.raises(ValueError, match="duplicate"):
        build_profile_arrays([{"id": 1}, {"id": 1}])


def test_save_and_load_give_the_same_arrays(tmp_path):
    arrays = build_profile_arrays(MEMBERS)
    arrays.save(tmp_path / "profiles.npz")
    loaded = ProfileArrays.load(tmp_path / "profiles.npz")
    for name in ("member_ids", "profession", "sector", "formats", "discoverable", "circle_ids"):
        assert np.array_equal(getattr(loaded, name), getattr(arrays, name)), name
    assert np.array_equal(loaded.lat, arrays.lat, equal_nan=True)
    for name in ("values", "skills", "learning", "interests", "objectives", "circles"):
        assert (getattr(loaded, name) != getattr(arrays, name)).nnz == 0, name
    assert loaded.terms == arrays.terms and loaded.value_terms == arrays.value_terms
    assert loaded.format_names == arrays.format_names


def test_haversine_gives_the_marseille_paris_distance():
    assert haversine_km(*MARSEILLE, *PARIS) == pytest.approx(661, abs=2)
    assert haversine_km(*MARSEILLE, *MARSEILLE) == 0
