"""Every route of the vouches app, classified and tried: anonymous visitors go to the log-in page;
another member's vouch ids and members one may not reach are the same 404 as missing ones, and
no answer names anyone."""

import pytest
from django.urls import get_resolver, reverse

from intros.services import block_create
from people.models import Discoverability
from people.services import consent_update
from vouches.models import Status, Vouch
from vouches.tests.conftest import TEXT

pytestmark = pytest.mark.django_db

OWN = {"index"}
# On another member, reached only when the privacy selector allows it.
MEMBER_ROUTES = {"write"}
# On a vouch: its author (edit, withdraw) or its subject (approve, remove), nobody else.
AUTHOR_ROUTES = {"edit", "withdraw"}
SUBJECT_ROUTES = {"approve", "remove"}
VOUCH_ROUTES = AUTHOR_ROUTES | SUBJECT_ROUTES
POST_ONLY = {"withdraw", "approve", "remove"}
CLASSIFIED = OWN | MEMBER_ROUTES | VOUCH_ROUTES
KEYS = {**dict.fromkeys(MEMBER_ROUTES, "user_id"), **dict.fromkeys(VOUCH_ROUTES, "vouch_id")}
FORM = {"worked_with": "on", "relation": "client", "started_on": "2021-03-15", "text": TEXT + " Encore."}
NAMES = ["Hélène Dupré", "Nora Auteure"]


def vouches_routes():
    namespace = get_resolver().namespace_dict["vouches"][1]
    for pattern in namespace.url_patterns:
        yield pattern.name, set(pattern.pattern.converters)


def test_every_route_is_classified():
    names = [name for name, _args in vouches_routes()]
    assert len(names) == len(set(names)), "two routes share a name"
    assert set(names) == CLASSIFIED
    for name, args in vouches_routes():
        assert args == ({KEYS[name]} if name in KEYS else set()), name


def _url(name: str, obj_id: int = 0) -> str:
    if name in OWN:
        return reverse(f"vouches:{name}")
    return reverse(f"vouches:{name}", kwargs={KEYS[name]: obj_id})


def _no_name(response) -> None:
    page = response.content.decode()
    for name in NAMES:
        assert name not in page


@pytest.fixture
def author(open_member):
    return open_member("Nora Auteure")


@pytest.fixture
def vouch(owner, author, vouch_for):
    return vouch_for(author, owner)


@pytest.mark.parametrize("name", sorted(CLASSIFIED))
def test_an_anonymous_visitor_is_sent_to_log_in(name, client, vouch):
    for response in (client.get(_url(name, vouch.pk)), client.post(_url(name, vouch.pk), FORM)):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Vouch.objects.get().status == Status.PENDING


@pytest.mark.parametrize("name", sorted(VOUCH_ROUTES))
def test_someone_else_s_vouch_is_a_404_without_a_name(name, client, vouch, stranger):
    client.force_login(stranger)
    for vouch_id in (vouch.pk, 999_999):
        for response in (client.get(_url(name, vouch_id)), client.post(_url(name, vouch_id), FORM)):
            assert response.status_code in (404, 405)
            _no_name(response)
        assert client.post(_url(name, vouch_id), FORM).status_code == 404
    assert Vouch.objects.get().status == Status.PENDING and Vouch.objects.get().text == vouch.text


def test_the_author_cannot_answer_nor_the_subject_edit_or_withdraw(client, vouch, owner, author):
    client.force_login(author)
    for name in SUBJECT_ROUTES:
        assert client.post(_url(name, vouch.pk)).status_code == 404
    client.force_login(owner)
    for name in AUTHOR_ROUTES:
        assert client.post(_url(name, vouch.pk), FORM).status_code == 404
    assert client.get(_url("edit", vouch.pk)).status_code == 404
    assert Vouch.objects.get().status == Status.PENDING and Vouch.objects.get().text == vouch.text


def test_a_removed_vouch_cannot_be_answered_again(client, vouch, owner):
    client.force_login(owner)
    assert client.post(_url("remove", vouch.pk)).status_code == 302
    for name in SUBJECT_ROUTES:
        assert client.post(_url(name, vouch.pk)).status_code == 404
    assert Vouch.objects.get().status == Status.REMOVED


def test_a_member_excluded_by_consent_gets_a_404_without_a_name(client, owner, stranger):
    consent_update(profile=owner.profile, discoverability=Discoverability.HIDDEN, visibility={})
    client.force_login(stranger)
    for response in (client.get(_url("write", owner.pk)), client.post(_url("write", owner.pk), FORM)):
        assert response.status_code == 404
        _no_name(response)
    assert client.get(_url("write", 999_999)).status_code == 404
    assert not Vouch.objects.exists()


@pytest.mark.parametrize("who_blocks", ["subject", "author"])
def test_a_block_either_way_is_a_404_on_every_route(who_blocks, client, vouch, owner, author):
    blocker, blocked = (owner, author) if who_blocks == "subject" else (author, owner)
    block_create(blocker=blocker, blocked=blocked)
    client.force_login(author)
    assert client.get(_url("write", owner.pk)).status_code == 404
    for name in AUTHOR_ROUTES:
        assert client.post(_url(name, vouch.pk), FORM).status_code == 404
    page = client.get(_url("index")).content.decode()
    assert "Hélène Dupré" not in page and vouch.text not in page
    client.force_login(owner)
    for name in SUBJECT_ROUTES:
        assert client.post(_url(name, vouch.pk)).status_code == 404
    page = client.get(_url("index")).content.decode()
    assert "Nora Auteure" not in page and vouch.text not in page
    assert Vouch.objects.get().status == Status.PENDING


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_actions_are_posts_only(name, client, vouch, owner, author):
    client.force_login(author if name in AUTHOR_ROUTES else owner)
    assert client.get(_url(name, vouch.pk)).status_code == 405
    assert Vouch.objects.filter(status=Status.PENDING).count() == 1
