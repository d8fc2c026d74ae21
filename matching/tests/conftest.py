"""Candidates for the owner (Marseille, wants to learn growth marketing, values openness and direct talk)."""

import pytest

from people.models import Discoverability


@pytest.fixture
def candidate(make_member, cities):
    """Make a member every signed-in member may find; keyword arguments go to profile_update."""

    def make(email: str, display_name: str, **fields):
        fields.setdefault("discoverability", Discoverability.MEMBERS)
        return make_member(email, display_name=display_name, **fields)

    return make


@pytest.fixture
def teacher(candidate, cities):
    """Shares the owner's values, teaches what she wants to learn, lives next door, likes breakfasts."""
    return candidate(
        "lea.fontaine@example.org",
        "Léa Fontaine",
        city=cities["Aubagne"],
        skills=["Growth hacking", "SEO"],
        values=["Ouverture", "direct_talk"],
        formats=["breakfast", "lunch"],
    )


@pytest.fixture
def hidden(candidate, cities):
    """Would be a perfect match, but nobody may find her."""
    return candidate(
        "ines.hidden@example.org",
        "Inès Cachée",
        city=cities["Marseille"],
        skills=["growth marketing"],
        values=["openness", "direct_talk"],
        formats=["breakfast"],
        discoverability=Discoverability.HIDDEN,
    )
