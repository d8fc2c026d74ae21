import pytest
from django.utils import translation

from matching.arrays import arrays_rebuild
from matching.reasons import distance_words, join_words, reasons_in_words
from matching.selectors import suggestions_for

pytestmark = pytest.mark.django_db


def _words(owner, language):
    arrays_rebuild()
    [card] = suggestions_for(owner)
    with translation.override(language):
        return reasons_in_words(card.suggestion.reasons, card.seen)


def test_reasons_are_words_in_english(owner, teacher):
    words = _words(owner, "en")
    assert "You share direct talk and openness" in words
    assert "Léa Fontaine can teach you growth marketing, which you want to learn" in words
    assert "15 km away" in words  # Aubagne from Marseille
    assert "You both like breakfast" in words


def test_reasons_are_words_in_french(owner, teacher):
    words = _words(owner, "fr")
    assert "Vous partagez franc-parler et ouverture" in words
    assert "Léa Fontaine peut vous apprendre growth marketing, que vous voulez apprendre" in words
    assert "À 15 km" in words
    assert "Vous aimez tous les deux : petit-déjeuner" in words


def test_same_city_common_ground_and_differences(owner, candidate, cities):
    profile = owner.profile
    profile.visibility = profile.visibility | {"objectives": "members"}
    profile.save()
    profile.objectives.create(text="Trouver des partenaires d'escalade")
    climber = candidate("grimpeuse@example.org", "Gaëlle Grimpe", city=cities["Marseille"], profession="florist")
    climber.profile.visibility = climber.profile.visibility | {"objectives": "members"}
    climber.profile.save()
    climber.profile.objectives.create(text="Escalade le dimanche")
    words = _words(owner, "en")
    assert "In your city" in words
    assert "Common ground across different circles: climbing" in words
    assert "Gaëlle Grimpe can help with your objectives: climbing" in words
    assert "A different profession from yours" in words


def test_lists_are_joined_in_the_active_language():
    with translation.override("fr"):
        assert join_words(["a", "b", "c"]) == "a, b et c"
    assert join_words(["a"]) == "a"


def test_distances_are_localized():
    with translation.override("en"):
        assert distance_words(2.34) == "2.3 km away"
    with translation.override("fr"):
        assert distance_words(2.34) == "À 2,3 km"
        assert distance_words(123.4) == "À 123 km"
