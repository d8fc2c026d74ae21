"""People to meet and coffee pairings over the API, with the pages' rules."""

import pytest
from django.test import Client

from circles.models import Circle, Membership, Status
from circles.vocab import Family
from matching import arrays as matching_arrays
from matching.models import Dismissal, MatchWeights, PairingMember
from matching.pairing import pairing_round_create
from people.models import Level
from people.services import api_token_create, consent_update

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_arrays():
    matching_arrays._memo = None
    yield
    matching_arrays._memo = None


@pytest.fixture
def api():
    return Client()


def _auth(user, language="en") -> dict:
    key = api_token_create(user=user, name="script").key
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": language}


@pytest.fixture
def paired(owner, teacher):
    """The owner and the teacher in one circle with coffee pairing, paired once."""
    circle = Circle.objects.create(name="Café Vieux-Port", slug="cafe-vieux-port", family=Family.BUSINESS)
    for user in (owner, teacher):
        Membership.objects.create(circle=circle, member=user, status=Status.ACTIVE, pairing_opt_in=True)
    pairing_round_create(circle=circle)
    return circle


def test_the_api_needs_a_token(api):
    for path in ["/api/matching/suggestions", "/api/matching/weights", "/api/matching/pairings"]:
        assert api.get(path).status_code == 401
    assert api.post("/api/matching/suggestions/1/dismiss").status_code == 401
    assert api.patch("/api/matching/weights", {"spirit": 2}, content_type="application/json").status_code == 401
    assert api.post("/api/matching/pairings/1/met", {"met": True}, content_type="application/json").status_code == 401


def test_suggestions_come_with_structured_reasons_and_words(api, owner, teacher, hidden):
    response = api.get("/api/matching/suggestions", **_auth(owner))
    assert response.status_code == 200
    [suggestion] = response.json()
    assert suggestion["member"] == {
        "id": teacher.pk,
        "name": "Léa Fontaine",
        "headline": "",
        "profession": "",
        "city": "Aubagne",
    }
    reasons = suggestion["reasons"]
    assert reasons["shared_values"] == ["direct_talk", "openness"] and reasons["can_teach"] == ["growth marketing"]
    assert "Léa Fontaine can teach you growth marketing, which you want to learn" in suggestion["reasons_text"]
    assert suggestion["score"] > 0
    french = api.get("/api/matching/suggestions", **_auth(owner, "fr")).json()[0]["reasons_text"]
    assert "Léa Fontaine peut vous apprendre growth marketing, que vous voulez apprendre" in french


def test_a_field_kept_to_oneself_gives_no_reason_over_the_api(api, owner, teacher):
    matching_arrays.arrays_rebuild()  # built while her values were visible to all members
    consent_update(profile=teacher.profile, discoverability="members", visibility={"values": Level.ONLY_ME})
    [suggestion] = api.get("/api/matching/suggestions", **_auth(owner)).json()
    assert "shared_values" not in suggestion["reasons"]
    assert not any("share" in sentence for sentence in suggestion["reasons_text"])


def test_dismiss_over_the_api(api, owner, teacher):
    response = api.post(f"/api/matching/suggestions/{teacher.pk}/dismiss", **_auth(owner))
    assert response.status_code == 204
    assert Dismissal.objects.filter(member=owner, dismissed=teacher).exists()
    assert api.get("/api/matching/suggestions", **_auth(owner)).json() == []


def test_one_cannot_dismiss_oneself_nor_someone_one_may_not_find(api, owner, hidden):
    for target in (owner.pk, hidden.pk, 999_999):
        response = api.post(f"/api/matching/suggestions/{target}/dismiss", **_auth(owner))
        assert response.status_code == 404
        assert "Inès" not in response.content.decode()
    assert not Dismissal.objects.exists()


def test_weights_read_and_changed_over_the_api(api, owner):
    assert api.get("/api/matching/weights", **_auth(owner)).json()["location"] == 0.8
    response = api.patch("/api/matching/weights", {"spirit": 2.5}, content_type="application/json", **_auth(owner))
    assert response.status_code == 200
    assert response.json()["spirit"] == 2.5 and response.json()["location"] == 0.8
    assert MatchWeights.objects.get(member=owner).spirit == 2.5


@pytest.mark.parametrize("value", [-1, 3.5])
def test_weights_out_of_range_are_refused(api, owner, value):
    response = api.patch("/api/matching/weights", {"gap": value}, content_type="application/json", **_auth(owner))
    assert response.status_code == 422
    assert not MatchWeights.objects.exists()


def test_my_pairings_and_did_you_meet(api, owner, teacher, paired):
    [pairing] = api.get("/api/matching/pairings", **_auth(owner)).json()
    assert pairing["circle"] == {"name": "Café Vieux-Port", "slug": "cafe-vieux-port"}
    assert [p["name"] for p in pairing["partners"]] == ["Léa Fontaine"]
    assert pairing["suggested_format"] == "Breakfast" and pairing["met"] is None
    assert any("Léa Fontaine knows growth marketing" in opener for opener in pairing["openers"])
    url = f"/api/matching/pairings/{pairing['id']}/met"
    response = api.post(url, {"met": True}, content_type="application/json", **_auth(owner))
    assert response.status_code == 200 and response.json()["met"] is True
    again = api.post(url, {"met": False}, content_type="application/json", **_auth(owner))
    assert again.status_code == 422
    assert PairingMember.objects.get(member=owner).met is True


def test_someone_elses_pairing_is_a_404_without_names(api, owner, teacher, member, paired):
    theirs = PairingMember.objects.get(member=owner)
    response = api.post(
        f"/api/matching/pairings/{theirs.pk}/met", {"met": False}, content_type="application/json", **_auth(member)
    )
    assert response.status_code == 404 and "Léa" not in response.content.decode()
    assert api.get("/api/matching/pairings", **_auth(member)).json() == []
    theirs.refresh_from_db()
    assert theirs.met is None
