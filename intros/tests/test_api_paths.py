"""Paths, introduction asks and introductions over the API, with the pages' rules: 404 for what is
not yours or not yours to see, 422 with the message for a refusal, names as their owners allow."""

import pytest
from django.test import Client

from intros import services
from intros.graph import graph_rebuild
from intros.models import Answer, AskStatus, Introduction, IntroductionAsk
from intros.tests.conftest import ASK, REASON
from people.models import Discoverability
from people.services import api_token_create, consent_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return Client()


def _auth(user) -> dict:
    key = api_token_create(user=user, name="script").key
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "en"}


def _post(api, user, path, data=None):
    return api.post(f"/api/intros{path}", data or {}, content_type="application/json", **_auth(user))


@pytest.fixture
def trio(trio):
    graph_rebuild()
    return trio


def test_the_new_routes_need_a_token(api):
    for path in ["/paths/1", "/asks/incoming", "/asks/outgoing", "/introductions"]:
        assert api.get(f"/api/intros{path}").status_code == 401
    for path in ["/asks", "/asks/1/introduce", "/asks/1/decline", "/asks/1/withdraw", "/introductions"]:
        assert api.post(f"/api/intros{path}").status_code == 401


def test_paths_then_ask_then_introduce(api, trio):
    vera, anna, tom = trio
    (path,) = api.get(f"/api/intros/paths/{tom.pk}", **_auth(vera)).json()
    assert path["hops"] == 2 and [p["name"] for p in path["intermediaries"]] == ["Anna Passeuse"]
    assert (path["ask_mutual_id"], path["ask_target_id"], path["asked"]) == (anna.pk, tom.pk, False)

    response = _post(api, vera, "/asks", {"mutual_id": anna.pk, "target_id": tom.pk, "reason": ASK})
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending" and response.json()["target"]["name"] == "Tom Cible"
    assert api.get(f"/api/intros/paths/{tom.pk}", **_auth(vera)).json()[0]["asked"] is True

    (incoming,) = api.get("/api/intros/asks/incoming", **_auth(anna)).json()["items"]
    assert incoming["requester"]["name"] == "Vera Demandeuse" and incoming["reason"] == ASK
    response = _post(api, anna, f"/asks/{incoming['id']}/introduce", {"reason": REASON})
    assert response.status_code == 200, response.content
    assert response.json()["first_name"] == "Vera Demandeuse" and response.json()["state"] == "pending"
    (outgoing,) = api.get("/api/intros/asks/outgoing", **_auth(vera)).json()["items"]
    assert outgoing["status"] == "accepted"

    # Tom answers through the API; the other's name appears only once both accepted.
    (for_tom,) = api.get("/api/intros/introductions", **_auth(tom)).json()["for_me"]
    assert for_tom["other"] is None and for_tom["introducer_name"] == "Anna Passeuse"
    assert "Vera" not in str(api.get("/api/intros/introductions", **_auth(tom)).json())
    response = _post(api, tom, f"/introductions/{for_tom['id']}/accept")
    assert response.status_code == 200 and response.json()["other"]["name"] == "Vera Demandeuse"
    response = _post(api, tom, f"/introductions/{for_tom['id']}/met", {"met": True})
    assert response.json()["my_met"] is True


def test_a_decline_reads_pending_to_the_requester(api, trio):
    vera, anna, tom = trio
    ask = services.introduction_ask_create(requester=vera, mutual=anna, target=tom, reason=ASK)
    assert _post(api, anna, f"/asks/{ask.pk}/decline").status_code == 204
    assert IntroductionAsk.objects.get().status == AskStatus.DECLINED
    (outgoing,) = api.get("/api/intros/asks/outgoing", **_auth(vera)).json()["items"]
    assert outgoing["status"] == "pending"
    assert _post(api, vera, f"/asks/{ask.pk}/withdraw").status_code == 204
    assert not IntroductionAsk.objects.exists()


def test_what_is_not_mine_or_not_mine_to_see_is_a_404(api, trio, stranger):
    vera, anna, tom = trio
    ask = services.introduction_ask_create(requester=vera, mutual=anna, target=tom, reason=ASK)
    for who in (stranger, vera, tom):
        for action in ("introduce", "decline"):
            assert _post(api, who, f"/asks/{ask.pk}/{action}").status_code == 404
    assert _post(api, anna, f"/asks/{ask.pk}/withdraw").status_code == 404
    # A mutual who is not my connection, a target I may not find: the same 404 as a missing one.
    assert _post(api, stranger, "/asks", {"mutual_id": anna.pk, "target_id": tom.pk, "reason": ASK}).status_code == 404
    consent_update(profile=tom.profile, discoverability=Discoverability.HIDDEN, visibility={})
    response = api.get(f"/api/intros/paths/{tom.pk}", **_auth(stranger))
    assert response.status_code == 404 and "Tom" not in response.content.decode()
    assert api.get("/api/intros/paths/999999", **_auth(vera)).status_code == 404
    assert IntroductionAsk.objects.get().status == AskStatus.PENDING


def test_a_refusal_is_a_422_with_its_message(api, trio):
    vera, anna, tom = trio
    data = {"mutual_id": anna.pk, "target_id": tom.pk, "reason": "Salut"}
    response = _post(api, vera, "/asks", data)
    assert response.status_code == 422 and response.json()["detail"] == str(services.ASK_REASON_TOO_SHORT)
    assert _post(api, vera, "/asks", data | {"reason": ASK}).status_code == 201
    response = _post(api, vera, "/asks", data | {"reason": ASK})
    assert response.status_code == 422 and response.json()["detail"] == str(services.ASK_ALREADY_ASKED)


def test_introduce_two_of_my_connections(api, trio, open_member, connect):
    vera, anna, tom = trio
    other = open_member("Autre")
    data = {"first_id": vera.pk, "second_id": tom.pk, "reason": REASON}
    response = _post(api, anna, "/introductions", data)
    assert response.status_code == 201 and response.json()["second_name"] == "Tom Cible"
    intro = Introduction.objects.get()
    assert intro.first_answer == Answer.PENDING
    # Not my connection: a 404, whether the member exists or not.
    assert _post(api, anna, "/introductions", data | {"second_id": other.pk}).status_code == 404
    assert _post(api, anna, "/introductions", data | {"second_id": 999_999}).status_code == 404
    (by_me,) = api.get("/api/intros/introductions", **_auth(anna)).json()["by_me"]
    assert by_me["first_name"] == "Vera Demandeuse" and by_me["state"] == "pending"
    assert _post(api, anna, f"/introductions/{intro.pk}/accept").status_code == 404  # not one of the two
    response = _post(api, vera, f"/introductions/{intro.pk}/decline")
    assert response.status_code == 200 and response.json()["state"] == "declined"
