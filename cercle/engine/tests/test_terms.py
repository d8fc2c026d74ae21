"""Terms are compared as meanings: accents, case, plurals, punctuation and FR/EN synonyms."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cercle.engine.terms import (
    SYNONYMS,
    Vocabulary,
    fold,
    normalize_term,
    normalize_terms,
    normalize_value,
    normalize_values,
    singular,
)


def test_it_folds_case_accents_ligatures_and_punctuation():
    assert fold("  Prise-de-Parole (en PUBLIC) ") == "prise de parole en public"
    assert fold("Œnologie") == "oenologie"
    assert fold("Hélène’s C++ & C#") == "helene s c++ c#"


@pytest.mark.parametrize(
    ("plural", "expected"),
    [("skills", "skill"), ("réseaux", "réseau"), ("jeux", "jeu"), ("sociaux", "social"), ("strategies", "strategy")],
)
def test_it_strips_simple_plurals(plural, expected):
    assert singular(plural) == expected


@pytest.mark.parametrize("word", ["business", "campus", "analysis", "ux", "saas", "devops", "temps"])
def test_it_leaves_words_that_only_look_plural(word):
    assert singular(word) == word


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Growth Hacking", "growth marketing"),
        ("growth marketing", "growth marketing"),
        ("Dév", "development"),
        ("dev", "development"),
        ("Développement", "development"),
        ("development", "development"),
        ("Prises de parole", "public speaking"),
        ("public speaking", "public speaking"),
        ("Levée de fonds", "fundraising"),
        ("levees de fond", "fundraising"),
        ("SEO", "seo"),
        ("Référencement naturel", "seo"),
        ("Comptabilité", "accounting"),
        ("UX", "user experience"),
        ("Expérience utilisateur", "user experience"),
        ("IA", "artificial intelligence"),
        ("AI", "artificial intelligence"),
        ("Intelligence artificielle", "artificial intelligence"),
        ("Escalade", "climbing"),
        ("réseaux sociaux", "social media"),
    ],
)
def test_it_maps_french_and_english_synonyms_to_one_canonical_term(typed, canonical):
    assert normalize_term(typed) == canonical


def test_an_unknown_term_is_kept_normalized():
    assert normalize_term("  Céramiques RAKU ") == "ceramique raku"


def test_the_synonym_table_is_small_and_unambiguous():
    assert 30 <= len(SYNONYMS) <= 60
    seen: dict[str, str] = {}
    for canonical, aliases in SYNONYMS.items():
        for alias in (canonical, *aliases):
            key = " ".join(singular(word) for word in fold(alias).split())
            assert seen.setdefault(key, canonical) == canonical, f"{alias!r} means two things"


def test_values_keep_profile_codes_and_match_typed_words():
    assert normalize_value("direct_talk") == "direct_talk"
    assert normalize_value("Direct talk") == "direct_talk"
    assert normalize_value("Franc-parler") == "direct_talk"
    assert normalize_value("Ouverture") == "openness"
    assert normalize_values(["openness", "Ouverture", "", "Entraide"]) == ["openness", "entraide"]


def test_lists_drop_empties_and_duplicates_in_order():
    assert normalize_terms(["SEO", "", "  ", "référencement", "Dév", "dev"]) == ["seo", "development"]


def test_the_vocabulary_gives_stable_ids_in_order_of_appearance():
    vocabulary = Vocabulary(["seo", "climbing"])
    assert vocabulary.ids(["climbing", "wine", "seo"]) == [1, 2, 0]
    assert vocabulary.ids(["unknown", "wine"], grow=False) == [2]
    assert vocabulary.terms == ["seo", "climbing", "wine"]
    assert "wine" in vocabulary and len(vocabulary) == 3


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_normalizing_is_idempotent(text):
    once = normalize_term(text)
    assert normalize_term(once) == once
    assert once == once.strip() and "  " not in once


@pytest.mark.parametrize("canonical", sorted(SYNONYMS))
def test_every_canonical_term_is_its_own_normal_form(canonical):
    assert normalize_term(canonical) == canonical
