"""Vouches over the API, with the pages' rules."""

import pytest
from django.test import Client

from intros.services import block_create
from people.models import Discoverability
from people.services import api_token_create, consent_update
from vouches import services
from vouches.models import Status, Vouch
from vouches.tests.conftest import TEXT

pytestmark = pytest.mark.django_db

PAYLOAD = {"worked_with": True, "relation": "project_partner", "started_on": "2022-01-10", "text": TEXT}


@pytest.fixture
def api():
    return Client()


def _auth(user) -> dict:
    key = api_token_create(user=user, name="script").key
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "en"}


def _write(api, author, subject_id, **fields):
    return api.post(
        "/api/vouches", PAYLOAD | {"member_id": subject_id} | fields, content_type="application/json", **_auth(author)
    )


def test_the_api_needs_a_token(api, owner):
    for path in ["/api/vouches/about-me", "/api/vouches/by-me", f"/api/vouches/members/{owner.pk}"]:
        assert api.get(path).status_code == 401
    assert api.post("/api/vouches", PAYLOAD, content_type="application/json").status_code == 401
    assert api.post("/api/vouches/1/approve").status_code == 401


def test_write_approve_list_then_remove(api, owner, open_member):
    author, reader = open_member("Nora Auteure"), open_member()
    response = _write(api, author, owner.pk)
    assert response.status_code == 201, response.content
    written = response.json()
    assert written["status"] == "pending" and written["member"] == {"id": owner.pk, "name": "Hélène Dupré"}
    assert written["relation_text"] == "Nora Auteure and Hélène Dupré were partners on a project"
    assert written["ended_on"] is None
    assert api.get(f"/api/vouches/members/{owner.pk}", **_auth(reader)).json()["items"] == []

    (about,) = api.get("/api/vouches/about-me", **_auth(owner)).json()["items"]
    assert about["member"]["name"] == "Nora Auteure" and about["status"] == "pending" and about["text"] == TEXT
    response = api.post(f"/api/vouches/{about['id']}/approve", **_auth(owner))
    assert response.status_code == 200 and response.json()["status"] == "approved"

    (shown,) = api.get(f"/api/vouches/members/{owner.pk}", **_auth(reader)).json()["items"]
    assert shown["member"]["name"] == "Nora Auteure" and shown["text"] == TEXT
    (mine,) = api.get("/api/vouches/by-me", **_auth(author)).json()["items"]
    assert mine["status"] == "approved"

    assert api.post(f"/api/vouches/{about['id']}/remove", **_auth(owner)).status_code == 204
    assert api.get(f"/api/vouches/members/{owner.pk}", **_auth(reader)).json()["items"] == []
    assert api.get("/api/vouches/by-me", **_auth(author)).json()["items"][0]["status"] == "removed"


def test_an_author_whose_name_is_hidden_from_me_comes_without_an_id(api, owner, open_member):
    author = open_member("Nora Auteure")
    assert _write(api, author, owner.pk).status_code == 201
    consent_update(profile=author.profile, discoverability=Discoverability.MEMBERS, visibility={"name": "only_me"})
    (about,) = api.get("/api/vouches/about-me", **_auth(owner)).json()["items"]
    assert about["member"] == {"id": None, "name": None} and about["text"] == TEXT


def test_a_decline_reads_pending_to_the_author_who_may_withdraw(api, owner, open_member, vouch_for):
    author = open_member()
    vouch = vouch_for(author, owner)
    assert api.post(f"/api/vouches/{vouch.pk}/remove", **_auth(owner)).status_code == 204
    assert api.get("/api/vouches/by-me", **_auth(author)).json()["items"][0]["status"] == "pending"
    assert api.get("/api/vouches/about-me", **_auth(owner)).json()["items"] == []
    assert api.post(f"/api/vouches/{vouch.pk}/withdraw", **_auth(author)).status_code == 204
    assert api.get("/api/vouches/by-me", **_auth(author)).json()["items"] == []
    response = _write(api, author, owner.pk)
    assert response.status_code == 422 and response.json()["detail"].startswith("You withdrew your vouch")
    assert api.get("/api/vouches/about-me", **_auth(owner)).json()["items"] == []


def test_a_refusal_is_a_422_with_its_message(api, owner, open_member):
    author = open_member()
    response = _write(api, author, owner.pk, worked_with=False)
    assert response.status_code == 422 and response.json()["detail"] == str(services.DECLARATION_REQUIRED)
    response = _write(api, author, owner.pk, text="Bien.")
    assert response.status_code == 422 and response.json()["detail"] == str(services.TEXT_TOO_SHORT)
    response = _write(api, author, owner.pk, ended_on="2021-01-01")
    assert response.status_code == 422 and response.json()["detail"] == str(services.END_BEFORE_START)
    response = _write(api, author, author.pk)
    assert response.status_code == 422 and response.json()["detail"] == str(services.CANNOT_VOUCH_FOR_YOURSELF)
    assert _write(api, author, owner.pk).status_code == 201
    response = _write(api, author, owner.pk)
    assert response.status_code == 422 and response.json()["detail"] == str(services.ALREADY_WRITTEN)


def test_someone_else_s_vouch_is_a_404(api, owner, open_member, stranger, vouch_for):
    author = open_member()
    vouch = vouch_for(author, owner)
    for user in (stranger, author):
        for action in ("approve", "remove"):
            assert api.post(f"/api/vouches/{vouch.pk}/{action}", **_auth(user)).status_code == 404
    for user in (stranger, owner):
        assert api.post(f"/api/vouches/{vouch.pk}/withdraw", **_auth(user)).status_code == 404
    assert api.post("/api/vouches/999999/approve", **_auth(owner)).status_code == 404
    assert Vouch.objects.get().status == Status.PENDING


def test_a_member_one_may_not_find_or_who_blocked_me_is_a_404(api, owner, open_member, stranger):
    consent_update(profile=owner.profile, discoverability=Discoverability.HIDDEN, visibility={})
    for response in (
        _write(api, stranger, owner.pk),
        api.get(f"/api/vouches/members/{owner.pk}", **_auth(stranger)),
    ):
        assert response.status_code == 404 and "Hélène" not in response.content.decode()
    consent_update(profile=owner.profile, discoverability=Discoverability.MEMBERS, visibility={})
    author = open_member()
    block_create(blocker=owner, blocked=author)
    assert _write(api, author, owner.pk).status_code == 404
    assert api.get(f"/api/vouches/members/{owner.pk}", **_auth(author)).status_code == 404
    assert _write(api, author, 999_999).status_code == 404
    assert not Vouch.objects.exists()
