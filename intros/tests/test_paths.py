"""Who can introduce me? Chains through accepted connections, the shortest first, then the closest
ties; never through a blocked, deleted or hidden member, even while the cached graph is stale."""

import datetime as dt
import time

import numpy as np
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from intros import graph, services
from intros.graph import build_connection_graph, current_graph, graph_rebuild
from intros.models import Block
from intros.selectors import intro_paths, strongest_mutuals
from network.models import Contact, Interaction, InteractionKind
from people.models import Discoverability
from people.services import account_delete, consent_update

pytestmark = pytest.mark.django_db


def _names(paths) -> list[list[str]]:
    return [[step.display_name for step in path.intermediaries] for path in paths]


def _log(owner, other, *, days_ago: int, times: int = 1) -> None:
    """`times` coffees with `other`, in the owner's private network (a contact linked to the member)."""
    contact = Contact.objects.filter(owner=owner, member=other).first() or Contact.objects.create(
        owner=owner, full_name=other.profile.display_name, member=other
    )
    for _ in range(times):
        interaction = Interaction.objects.create(
            owner=owner, kind=InteractionKind.COFFEE, occurred_on=timezone.localdate() - dt.timedelta(days=days_ago)
        )
        interaction.contacts.add(contact)


@pytest.fixture
def web(open_member, connect):
    """Me (Vera) and Tom, whom I do not know. Anna and Bruno know us both; Chloé knows me and
    Damien, who knows Tom (three hops); Emma knows Bruno and Tom only."""
    people = {name: open_member(name) for name in ["Vera", "Tom", "Anna", "Bruno", "Chloé", "Damien", "Emma"]}
    p = people
    for a, b in [
        ("Vera", "Anna"),
        ("Anna", "Tom"),
        ("Vera", "Bruno"),
        ("Bruno", "Tom"),
        ("Vera", "Chloé"),
        ("Chloé", "Damien"),
        ("Damien", "Tom"),
        ("Bruno", "Emma"),
        ("Emma", "Tom"),
    ]:
        connect(p[a], p[b])
    return people


def test_the_shortest_chains_come_first_then_the_closest_ties(web):
    # Bruno and I had coffee last month, and he sees Tom often: our ties through him are closer.
    _log(web["Vera"], web["Bruno"], days_ago=30, times=2)
    _log(web["Tom"], web["Bruno"], days_ago=10)
    graph_rebuild()
    paths = intro_paths(web["Vera"], web["Tom"])
    assert _names(paths) == [["Bruno"], ["Anna"], ["Chloé", "Damien"]]
    assert [p.hops for p in paths] == [2, 2, 3]
    # A three-hop chain is asked one hop at a time: Chloé can introduce me to Damien.
    assert paths[2].ask_target.display_name == "Damien" and paths[0].ask_target.display_name == "Tom"


def test_the_order_follows_the_ties_not_the_ids(web):
    _log(web["Anna"], web["Vera"], days_ago=5, times=3)
    _log(web["Anna"], web["Tom"], days_ago=5, times=3)
    graph_rebuild()
    assert _names(intro_paths(web["Vera"], web["Tom"]))[:2] == [["Anna"], ["Bruno"]]


def test_interactions_older_than_a_year_do_not_count_and_recent_ones_weigh_more(open_member, connect):
    a, b, c = open_member("A"), open_member("B"), open_member("C")
    connect(a, b)
    connect(a, c)
    _log(a, b, days_ago=400, times=5)
    _log(c, a, days_ago=1)
    built = build_connection_graph()
    row = built.row_of(a.pk)
    neighbours, strength = built.neighbours(row)
    by_member = dict(zip(built.member_ids[neighbours].tolist(), strength.tolist(), strict=True))
    assert by_member[b.pk] == 1.0  # connected, nothing logged within the year
    assert 1.9 < by_member[c.pk] <= 2.0  # one coffee yesterday
    assert built.strength.dtype == np.float32


def test_a_member_who_blocked_either_end_is_never_in_a_chain(web):
    graph_rebuild()
    # Damien blocks me (we were never connected: only the block hides him), Anna blocks Tom.
    Block.objects.create(blocker=web["Damien"], blocked=web["Vera"])
    services.block_create(blocker=web["Anna"], blocked=web["Tom"])
    names = _names(intro_paths(web["Vera"], web["Tom"]))
    assert names == [["Bruno"]]


def test_a_deleted_member_disappears_at_once_even_from_a_stale_graph(web):
    graph_rebuild()
    account_delete(user=web["Bruno"], password="correct horse battery")
    # The graph on disk still has Bruno (no rebuild ran): the live check leaves him out.
    assert graph._memo is not None and graph._memo[1].row_of(web["Bruno"].pk) is not None
    names = _names(intro_paths(web["Vera"], web["Tom"]))
    assert ["Bruno"] not in names and ["Anna"] in names


def test_a_removed_connection_breaks_its_chain_at_once(web):
    graph_rebuild()
    services.connection_remove(member=web["Damien"], other=web["Tom"])
    assert ["Chloé", "Damien"] not in _names(intro_paths(web["Vera"], web["Tom"]))


def test_an_intermediary_my_settings_may_not_see_is_not_shown_at_all(client, web):
    graph_rebuild()
    consent_update(profile=web["Damien"].profile, discoverability=Discoverability.HIDDEN, visibility={})
    consent_update(profile=web["Anna"].profile, discoverability=Discoverability.MEMBERS, visibility={"name": "only_me"})
    assert _names(intro_paths(web["Vera"], web["Tom"])) == [["Bruno"]]
    client.force_login(web["Vera"])
    page = client.get(reverse("intros:paths", args=[web["Tom"].pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Damien" not in page and "Anna" not in page and "Bruno" in page


def test_a_target_i_may_not_see_is_a_404_without_a_name(client, web):
    graph_rebuild()
    consent_update(profile=web["Tom"].profile, discoverability=Discoverability.HIDDEN, visibility={})
    client.force_login(web["Vera"])
    response = client.get(reverse("intros:paths", args=[web["Tom"].pk]))
    assert response.status_code == 404 and "Tom" not in response.content.decode()
    services.block_create(blocker=web["Vera"], blocked=web["Emma"])
    assert client.get(reverse("intros:paths", args=[web["Emma"].pk])).status_code == 404


def test_a_three_hop_chain_with_a_shortcut_is_left_out(web, connect):
    connect(web["Chloé"], web["Tom"])  # Chloé now knows Tom: "Chloé, Damien" would be a detour
    graph_rebuild()
    names = _names(intro_paths(web["Vera"], web["Tom"]))
    assert ["Chloé"] in names and ["Chloé", "Damien"] not in names


def test_the_page_shows_each_chain_with_a_one_click_ask(client, web):
    graph_rebuild()
    client.force_login(web["Vera"])
    url = reverse("intros:paths", args=[web["Tom"].pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Who can introduce me to Tom?" in page
    assert "Ask Anna for an introduction" in page and "Ask Chloé to introduce you to Damien" in page
    assert reverse("intros:ask_create", args=[web["Tom"].pk]) in page
    assert reverse("intros:ask_create", args=[web["Damien"].pk]) in page
    fragment = client.get(url, HTTP_ACCEPT_LANGUAGE="en", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "Ask Bruno for an introduction" in fragment


def test_the_profile_page_and_the_search_link_to_the_chains(client, web):
    client.force_login(web["Vera"])
    link = reverse("intros:paths", args=[web["Tom"].pk])
    assert link in client.get(reverse("people:member_detail", args=[web["Tom"].pk])).content.decode()
    # Not for someone I am connected with.
    anna = reverse("intros:paths", args=[web["Anna"].pk])
    assert anna not in client.get(reverse("people:member_detail", args=[web["Anna"].pk])).content.decode()
    results = client.get(reverse("people:member_list"), {"q": "Tom"}).content.decode()
    assert link in results


def test_connected_members_have_no_chain_to_show(client, web):
    client.force_login(web["Vera"])
    page = client.get(reverse("intros:paths", args=[web["Anna"].pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You are already connected." in page


def test_strongest_mutual_for_suggestion_cards(web, open_member):
    _log(web["Vera"], web["Anna"], days_ago=3, times=2)
    _log(web["Anna"], web["Tom"], days_ago=3, times=2)
    loner = open_member("Loner")
    graph_rebuild()
    mutuals = strongest_mutuals(web["Vera"], [web["Tom"].pk, web["Damien"].pk, loner.pk])
    assert mutuals[web["Tom"].pk].display_name == "Anna"
    assert mutuals[web["Damien"].pk].display_name == "Chloé"
    assert loner.pk not in mutuals


# The cached graph: versioned files, memory-mapped, rebuilt after a change ----------------------


def test_the_graph_is_saved_with_a_version_and_read_memory_mapped(settings, web):
    built = graph_rebuild()
    version = cache.get(graph.VERSION_KEY)
    folder = graph.graph_dir() / version
    assert (folder / "meta.json").exists() and (folder / "indptr.npy").exists()
    assert isinstance(built.indices, np.memmap)
    # Another process (no memo) maps the same files; one that lacks them builds the same version.
    graph._memo = None
    assert current_graph().edge_count == built.edge_count == 9
    import shutil

    shutil.rmtree(folder)
    graph._memo = None
    assert current_graph().edge_count == 9 and (folder / "meta.json").exists()


def test_connections_changed_rebuild_the_graph_once_after_the_commit(
    open_member, connect, django_capture_on_commit_callbacks
):
    vera, anna, zoe = open_member("Vera"), open_member("Anna"), open_member("Zoé")
    graph_rebuild()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        connect(vera, anna)
        connect(anna, zoe)  # the task runs at once under the tests' immediate backend
    assert sum("_new_hook" in getattr(c, "__qualname__", "") for c in callbacks) == 1
    assert current_graph().edge_count == 2
    assert _names(intro_paths(vera, zoe)) == [["Anna"]]
    with django_capture_on_commit_callbacks(execute=True):
        services.block_create(blocker=zoe, blocked=anna)
    assert current_graph().edge_count == 1


def test_a_change_the_worker_missed_is_rebuilt_by_the_next_reader(web, open_member, connect, monkeypatch):
    graph_rebuild()
    zoe = open_member("Zoé")
    connect(web["Anna"], zoe)  # no commit in this test: no task ran
    assert intro_paths(web["Vera"], zoe) == []  # nothing recorded the change yet
    cache.set(graph.REFRESH_QUEUED_KEY, True)  # a task is said to be queued, but it never runs
    cache.set(graph.CHANGED_KEY, time.time_ns())
    assert intro_paths(web["Vera"], zoe) == []  # within the grace period: the worker's job
    monkeypatch.setattr(graph, "STALE_AFTER_SECONDS", 0)  # the grace period is over
    assert _names(intro_paths(web["Vera"], zoe)) == [["Anna"]]


def test_old_versions_are_pruned(web):
    for _ in range(graph.KEEP_VERSIONS + 3):
        graph_rebuild()
    folders = [p for p in graph.graph_dir().iterdir() if p.is_dir()]
    assert len(folders) <= graph.KEEP_VERSIONS + 1


def test_the_page_asks_a_bounded_number_of_queries(client, open_member, connect, django_assert_max_num_queries):
    me, target = open_member("Moi"), open_member("Cible")
    for index in range(8):
        mutual = open_member(f"Passeur {index}")
        connect(me, mutual)
        connect(mutual, target)
    graph_rebuild()
    client.force_login(me)
    url = reverse("intros:paths", args=[target.pk])
    # Session and user, the target's visibility (profile, block, connection, circle), the graph's
    # version, blocks, live connections, the intermediaries (profiles and objectives, and their
    # circles, connections and blocks when not kept yet), my asks, and the page's own
    # (notifications…): whatever the number of chains.
    with django_assert_max_num_queries(19):
        response = client.get(url)
    assert response.content.decode().count('class="path"') == 5
