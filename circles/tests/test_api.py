"""Circles over the API, with the pages' rules: unlisted circles in no list, 404 where the page is 404."""

import json

import pytest
from django.test import Client

from circles import services
from circles.models import Membership, Status
from people.services import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return Client()


def _auth(user) -> dict:
    key = api_token_create(user=user, name="script").key
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "en"}


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [c["name"] for c in response.json()["items"]]


def test_the_api_needs_a_token(api, world):
    assert api.get("/api/circles").status_code == 401
    assert api.get(f"/api/circles/{world['public'].slug}").status_code == 401


@pytest.mark.parametrize("who", ["stranger", "member", "owner"])
def test_the_list_never_shows_an_unlisted_circle(who, api, world, request):
    auth = _auth(request.getfixturevalue(who))
    names = _names(api.get("/api/circles", **auth))
    assert "Cercle Discret" not in names
    assert {"Déjeuners du Panier", "Femmes Entrepreneures Provence", "Club Affaires Vieux-Port"} <= set(names)
    assert "Cercle Discret" not in _names(api.get("/api/circles?q=discret", **auth))


def test_the_list_filters_like_the_page(api, world, stranger):
    auth = _auth(stranger)
    assert _names(api.get("/api/circles?family=referral", **auth)) == ["Club Affaires Vieux-Port"]
    assert _names(api.get("/api/circles?q=dejeuners", **auth)) == ["Déjeuners du Panier"]
    first = api.get("/api/circles?q=panier", **auth).json()["items"][0]
    assert first["member_count"] == 2 and first["family_label"] and first["city"] == "Marseille"


def test_one_circle_by_its_address(api, world, stranger):
    auth = _auth(stranger)
    data = api.get(f"/api/circles/{world['public'].slug}", **auth).json()
    assert data["charter"] == "Bienveillance et franchise."
    assert data["organizers"] == [{"id": world["public"].created_by_id, "name": "Hélène Dupré", "profession": "Lawyer"}]
    assert data["my_status"] is None
    assert api.get(f"/api/circles/{world['unlisted'].slug}", **auth).status_code == 200  # its link
    assert api.get("/api/circles/no-such-circle", **auth).status_code == 404


def test_joining_and_leaving(api, world, stranger):
    auth = _auth(stranger)
    joined = api.post(
        f"/api/circles/{world['members'].slug}/join",
        data=json.dumps({"message": "Bonjour"}),
        content_type="application/json",
        **auth,
    )
    assert joined.status_code == 200 and joined.json()["status"] == Status.REQUESTED
    mine = api.get("/api/circles/mine", **auth).json()["items"]
    assert [(m["circle_name"], m["status"]) for m in mine] == [("Femmes Entrepreneures Provence", "requested")]
    left = api.post(f"/api/circles/{world['members'].slug}/leave", **auth)
    assert left.json()["status"] == Status.LEFT
    assert api.get("/api/circles/mine", **auth).json() == {"items": [], "count": 0}


def test_joining_a_cooptation_circle_says_why_not(api, world, stranger):
    response = api.post(
        f"/api/circles/{world['cooptation'].slug}/join", data="{}", content_type="application/json", **_auth(stranger)
    )
    assert response.status_code == 422
    assert not Membership.objects.filter(circle=world["cooptation"], member=stranger).exists()


def test_leaving_a_circle_i_am_not_in_is_404(api, world, stranger):
    assert api.post(f"/api/circles/{world['public'].slug}/leave", **_auth(stranger)).status_code == 404


def test_my_circles_include_my_unlisted_circle(api, world, member):
    names = {m["circle_name"] for m in api.get("/api/circles/mine", **_auth(member)).json()["items"]}
    assert names == {c.name for c in world.values()}


def test_an_invited_member_accepts_by_joining(api, world, owner, stranger, with_profession):
    services.invitation_create(circle=world["cooptation"], inviter=owner, email=stranger.email)
    with_profession(stranger, "notary")
    response = api.post(
        f"/api/circles/{world['cooptation'].slug}/join", data="{}", content_type="application/json", **_auth(stranger)
    )
    assert response.json()["status"] == Status.ACTIVE
