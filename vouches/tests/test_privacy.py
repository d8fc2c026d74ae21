"""Consent and blocks on every surface that shows a vouch: the profile page (cached by its
state), the member's own page, the vouches page and the API. Nobody's vouch appears without their
own settings allowing it; a block hides a vouch from the two blocked."""

import pytest
from django.core.cache import caches
from django.db import connection as db_connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intros.services import block_create, block_remove
from people.models import Discoverability, Level
from people.services import api_token_create, consent_update, profile_update
from vouches.tests.conftest import TEXT, profile_page

pytestmark = pytest.mark.django_db


def _api(viewer, member) -> str:
    key = api_token_create(user=viewer, name="t").key
    response = Client().get(f"/api/vouches/members/{member.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def scene(owner, open_member, approved):
    """An approved vouch about the owner by an author all members may find; a reader."""
    author, reader = open_member("Nora Auteure"), open_member("Paul Lecteur")
    vouch = approved(author, owner)
    return author, reader, vouch


def test_an_author_the_viewer_may_not_find_is_not_shown(client, owner, scene):
    author, reader, _vouch = scene
    assert TEXT in profile_page(client, reader, owner) and "Nora Auteure" in _api(reader, owner)
    consent_update(profile=author.profile, discoverability=Discoverability.CIRCLES, visibility={})
    for text in (profile_page(client, reader, owner), _api(reader, owner)):
        assert TEXT not in text and "Nora Auteure" not in text
    # The subject still sees the vouch they approved on their own page.
    client.force_login(owner)
    assert TEXT in client.get(reverse("people:me")).content.decode()


def test_an_author_whose_name_is_hidden_from_the_viewer_is_not_shown(client, owner, scene):
    author, reader, _vouch = scene
    consent_update(profile=author.profile, discoverability=Discoverability.MEMBERS, visibility={"name": Level.ONLY_ME})
    page = profile_page(client, reader, owner)
    assert TEXT not in page and "Nora Auteure" not in page
    assert TEXT not in _api(reader, owner)


def test_a_viewer_who_blocked_the_author_or_was_blocked_does_not_see_the_vouch(client, owner, open_member, scene):
    author, reader, _vouch = scene
    other_reader = open_member()
    assert TEXT in profile_page(client, reader, owner)
    block_create(blocker=reader, blocked=author)
    assert TEXT not in profile_page(client, reader, owner) and TEXT not in _api(reader, owner)
    assert TEXT in profile_page(client, other_reader, owner)
    block_remove(blocker=reader, blocked=author)
    block_create(blocker=author, blocked=reader)
    page = profile_page(client, reader, owner)
    assert TEXT not in page and "Nora Auteure" not in page


def test_a_block_between_author_and_subject_hides_the_vouch_everywhere(client, owner, scene):
    author, reader, _vouch = scene
    block_create(blocker=author, blocked=owner)
    assert TEXT not in profile_page(client, reader, owner) and TEXT not in _api(reader, owner)
    client.force_login(owner)
    for url in (reverse("people:me"), reverse("vouches:index")):
        page = client.get(url).content.decode()
        assert TEXT not in page and "Nora Auteure" not in page
    # Lifting the block brings it back: nothing was deleted.
    block_remove(blocker=author, blocked=owner)
    assert TEXT in profile_page(client, reader, owner)


def test_changes_show_at_once_on_the_cached_profile_page(client, owner, open_member, vouch_for, approved):
    from vouches import services

    reader = open_member("Paul Lecteur")
    first = vouch_for(open_member("Nora Auteure"), owner)
    assert "Nora Auteure" not in profile_page(client, reader, owner)
    services.vouch_approve(vouch=first, subject=owner)
    assert "Nora Auteure" in profile_page(client, reader, owner)
    services.vouch_remove(vouch=first, subject=owner)
    assert "Nora Auteure" not in profile_page(client, reader, owner)
    second = approved(open_member("Inès Seconde"), owner)
    assert "Inès Seconde" in profile_page(client, reader, owner)
    # The author changes their name or hides it: the page follows.
    profile_update(profile=second.author.profile, display_name="Inès Renommée")
    assert "Inès Renommée" in profile_page(client, reader, owner)
    consent_update(profile=second.author.profile, discoverability=Discoverability.HIDDEN, visibility={})
    assert "Inès Renommée" not in profile_page(client, reader, owner)
    # Writing a vouch takes the "Write a vouch" link away.
    third_author = open_member()
    assert reverse("vouches:write", args=[owner.pk]) in profile_page(client, third_author, owner)
    vouch_for(third_author, owner)
    assert reverse("vouches:write", args=[owner.pk]) not in profile_page(client, third_author, owner)


def test_the_profile_page_does_not_query_per_vouch(client, owner, open_member, approved):
    reader = open_member()
    few, many = open_member(), open_member()
    for _ in range(2):
        approved(open_member(), few)
    for _ in range(8):
        approved(open_member(), many)

    def queries(member):
        client.force_login(reader)
        caches["pages"].clear()  # both pages read cold: the authors' relations too
        with CaptureQueriesContext(db_connection) as captured:
            client.get(reverse("people:member_detail", args=[member.pk]))
        return len(captured)

    assert queries(many) == queries(few)


def test_the_vouches_page_names_authors_only_as_they_allow(client, owner, open_member, vouch_for):
    author = open_member("Nora Auteure")
    vouch_for(author, owner)
    consent_update(profile=author.profile, discoverability=Discoverability.HIDDEN, visibility={"name": Level.ONLY_ME})
    client.force_login(owner)
    page = client.get(reverse("vouches:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # The subject still gets to decide on it, without learning a name the author keeps to themselves.
    assert TEXT in page and "Nora Auteure" not in page and "A Cercle member" in page


def test_swapping_the_shared_circle_swaps_the_vouch_on_the_cached_page(client, owner, open_member, approved):
    """Leaving the circle shared with one author and joining one shared with another within the
    page cache's lifetime: one shared author before and after, but not the same one."""
    from circles.models import Membership
    from circles.services import circle_create, membership_join, membership_leave

    reader = open_member("Paul Lecteur")
    nora, ines = open_member("Nora Auteure"), open_member("Inès Seconde")
    for author in (nora, ines):
        approved(author, owner)
        consent_update(profile=author.profile, discoverability=Discoverability.CIRCLES, visibility={})
    with_nora = circle_create(creator=nora, name="Juristes du Vieux-Port", family="business")
    with_ines = circle_create(creator=ines, name="Déjeuners du Panier", family="business")
    membership_join(circle=with_nora, member=reader)
    page = profile_page(client, reader, owner)
    assert "Nora Auteure" in page and "Inès Seconde" not in page

    membership_leave(membership=Membership.objects.get(circle=with_nora, member=reader))
    membership_join(circle=with_ines, member=reader)
    page = profile_page(client, reader, owner)
    assert "Inès Seconde" in page and "Nora Auteure" not in page
