"""The member search page: indexed substring search, exact counts, fresh cards."""

import html
import re

import pytest
from django.urls import reverse

from cercle import site_versions
from intros import services as intros
from people import services
from people.models import Discoverability

pytestmark = pytest.mark.django_db


def _search(client, q: str, page: int | None = None) -> str:
    params = {"q": q} | ({"page": page} if page else {})
    response = client.get(reverse("people:member_list"), params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _found(page: str) -> int:
    return int(re.search(r"(\d+) members? found", page).group(1))


@pytest.fixture
def lyon_members(make_member, cities):
    return [
        make_member(
            f"lyon{n}@example.org",
            display_name=f"Lyonnais {n:02d}",
            city=cities["Lyon"],
            skills=["growth marketing"] if n % 2 else ["comptabilité"],
            discoverability=Discoverability.MEMBERS,
        )
        for n in range(30)
    ]


def test_words_match_anywhere_with_accents_and_case_ignored(client_of, member, owner):
    client = client_of(member)
    for query in ["Hélène", "helene", "ELENE", "dupr", "Dupré Hélène", "négo", "avocate affaires"]:
        assert "Hélène Dupré" in _search(client, query), query
    assert "Hélène Dupré" not in _search(client, "helene lyon")  # every word must match


def test_short_words_and_odd_characters_are_plain_text(client_of, member, owner):
    client = client_of(member)
    assert "Hélène Dupré" in _search(client, "du")
    for query in ['"', 'helene" OR "x', "dupre*", "NEAR(helene)", "%", "_"]:
        assert "Hélène Dupré" not in _search(client, query), query  # never an error, never a wildcard


def test_the_count_and_pages_cover_every_match_once(client_of, member, lyon_members):
    client = client_of(member)
    first, second = _search(client, "lyonnais"), _search(client, "lyonnais", page=2)
    assert _found(first) == 30 and "Page 1 of 2" in first
    names = re.findall(r"Lyonnais \d\d", first) + re.findall(r"Lyonnais \d\d", second)
    assert sorted(names) == [f"Lyonnais {n:02d}" for n in range(30)]
    assert _found(_search(client, "lyonnais growth")) == 15


def test_a_card_follows_an_edit_and_a_connection(client_of, member, owner, lyon_members):
    client = client_of(member)
    target = lyon_members[0]
    assert "Expert-comptable" not in _search(client, "lyonnais 00")
    services.profile_update(profile=target.profile, headline="Expert-comptable à la Croix-Rousse")
    assert "Expert-comptable à la Croix-Rousse" in _search(client, "lyonnais 00")

    target.profile.visibility = {**target.profile.visibility, "headline": "connections"}
    services.consent_update(
        profile=target.profile, discoverability=target.profile.discoverability, visibility=target.profile.visibility
    )
    assert "Expert-comptable" not in _search(client, "lyonnais 00")
    request = intros.connection_request_send(
        sender=member, recipient=target, reason="Nous sommes tous deux à Lyon et dans la finance."
    )
    intros.connection_request_accept(request=request, recipient=target)
    assert "Expert-comptable à la Croix-Rousse" in _search(client, "lyonnais 00")


def test_a_block_or_a_deleted_account_leaves_the_results_at_once(client_of, member, lyon_members):
    client = client_of(member)
    assert _found(_search(client, "lyonnais")) == 30
    intros.block_create(blocker=lyon_members[1], blocked=member)
    lyon_members[2].delete()
    page = _search(client, "lyonnais")
    assert _found(page) == 28 and "Lyonnais 01" not in page and "Lyonnais 02" not in page


def test_the_results_are_kept_until_a_profile_or_a_block_moves_them(
    client_of, owner, member, django_capture_on_commit_callbacks
):
    client = client_of(member)
    assert "Hélène Dupré" in _search(client, "contrats")  # owner's skill
    # Kept: a profile edit that commits moves the directory's version, and the next search sees it.
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_update(profile=owner.profile, skills=["médiation"])
    assert "Hélène Dupré" not in _search(client, "contrats")
    assert "Hélène Dupré" in _search(client, "médiation")
    # A block moves the viewer's relations version: gone at once.
    intros.block_create(blocker=owner, blocked=member)
    assert "Hélène Dupré" not in _search(client, "médiation")


def test_a_sign_in_leaves_the_kept_results_alone(client, owner, member, django_capture_on_commit_callbacks):
    before = site_versions.current(site_versions.MEMBER_DIRECTORY)
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(member)  # Django's login: `last_login` saved
    assert site_versions.current(site_versions.MEMBER_DIRECTORY) == before
