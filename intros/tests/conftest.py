"""Personas for intros: the owner (discoverable by all members), a member and a stranger (from the
root conftest), plus as many discoverable members as a test needs."""

import pytest

from intros import services
from people.models import Discoverability


@pytest.fixture
def open_member(make_member):
    """A member every member may find."""
    counter = {"n": 0}

    def make(name: str = "", **fields):
        counter["n"] += 1
        n = counter["n"]
        return make_member(
            f"membre{n}@example.org",
            display_name=name or f"Membre {n}",
            discoverability=Discoverability.MEMBERS,
            **fields,
        )

    return make


REASON = "Nous travaillons tous deux dans le droit des affaires à Marseille."


@pytest.fixture
def connect():
    """Two members connected the way the pages do it: a request, then an accept."""

    def make(a, b):
        request = services.connection_request_send(sender=a, recipient=b, reason=REASON)
        return services.connection_request_accept(request=request, recipient=b)

    return make


ASK = "Pourrais-tu me présenter ? Nous cherchons tous deux des associés pour un tiers-lieu."


@pytest.fixture
def trio(open_member, connect):
    """Me (Vera), my connection Anna, and Anna's connection Tom, whom I do not know."""
    vera, anna, tom = open_member("Vera Demandeuse"), open_member("Anna Passeuse"), open_member("Tom Cible")
    connect(vera, anna)
    connect(anna, tom)
    return vera, anna, tom


@pytest.fixture(autouse=True)
def _graph_dir(settings, tmp_path):
    """Each test keeps its connection graph in its own folder (and no process memo across tests)."""
    from intros import graph

    settings.INTRO_GRAPH_DIR = str(tmp_path / "intro-graph")
    graph._memo = None
    yield
    graph._memo = None
