"""Requests and connections over the API, with the pages' rules."""

import pytest
from django.test import Client

from intros import selectors, services
from intros.models import ConnectionRequest, RequestStatus
from intros.tests.conftest import REASON
from people.models import Discoverability, Level
from people.services import api_token_create, consent_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return Client()


def _auth(user) -> dict:
    key = api_token_create(user=user, name="script").key
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "en"}


def _send(api, sender, recipient_id, reason=REASON):
    return api.post(
        "/api/intros/requests",
        {"member_id": recipient_id, "reason": reason},
        content_type="application/json",
        **_auth(sender),
    )


def test_the_api_needs_a_token(api):
    for path in ["/api/intros/connections", "/api/intros/requests/incoming", "/api/intros/requests/outgoing"]:
        assert api.get(path).status_code == 401
    assert api.post("/api/intros/requests/1/accept").status_code == 401


def test_send_then_accept(api, owner, member):
    response = _send(api, member, owner.pk)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending" and response.json()["member"]["name"] == "Hélène Dupré"
    (incoming,) = api.get("/api/intros/requests/incoming", **_auth(owner)).json()["items"]
    assert incoming["reason"] == REASON and incoming["member"]["id"] == member.pk
    response = api.post(f"/api/intros/requests/{incoming['id']}/accept", **_auth(owner))
    assert response.status_code == 200 and response.json()["member"]["id"] == member.pk
    (connection,) = api.get("/api/intros/connections", **_auth(member)).json()["items"]
    assert connection["member"]["contact_email"] == "helene.dupre@example.org"


def test_a_refusal_is_a_422_with_its_message(api, owner, member):
    response = _send(api, member, owner.pk, reason="Salut")
    assert response.status_code == 422 and response.json()["detail"] == str(services.REASON_TOO_SHORT)
    assert _send(api, member, owner.pk).status_code == 201
    response = _send(api, member, owner.pk)
    assert response.status_code == 422 and response.json()["detail"] == str(services.ALREADY_ASKED)


def test_a_decline_looks_pending_to_the_sender(api, owner, member):
    request = services.connection_request_send(sender=member, recipient=owner, reason=REASON)
    assert api.post(f"/api/intros/requests/{request.pk}/decline", **_auth(owner)).status_code == 204
    assert ConnectionRequest.objects.get().status == RequestStatus.DECLINED
    (outgoing,) = api.get("/api/intros/requests/outgoing", **_auth(member)).json()["items"]
    assert outgoing["status"] == "pending"
    assert api.get("/api/intros/requests/incoming", **_auth(owner)).json()["items"] == []


def test_someone_else_s_request_is_a_404(api, owner, member, stranger):
    request = services.connection_request_send(sender=member, recipient=owner, reason=REASON)
    for action in ["accept", "decline"]:
        assert api.post(f"/api/intros/requests/{request.pk}/{action}", **_auth(stranger)).status_code == 404
        assert api.post(f"/api/intros/requests/{request.pk}/{action}", **_auth(member)).status_code == 404
    assert not selectors.are_connected(owner, member)


def test_a_member_one_may_not_find_or_who_blocked_me_is_a_404(api, owner, member, stranger):
    consent_update(profile=owner.profile, discoverability=Discoverability.HIDDEN, visibility={})
    assert _send(api, stranger, owner.pk).status_code == 404
    consent_update(profile=owner.profile, discoverability=Discoverability.MEMBERS, visibility={})
    services.block_create(blocker=owner, blocked=member)
    assert _send(api, member, owner.pk).status_code == 404
    assert _send(api, member, 999_999).status_code == 404
    assert not ConnectionRequest.objects.exists()


def test_the_lists_show_names_only_as_their_owners_allow(api, owner, member):
    services.connection_request_send(sender=member, recipient=owner, reason=REASON)
    consent_update(profile=member.profile, discoverability=Discoverability.CIRCLES, visibility={"name": Level.ONLY_ME})
    (incoming,) = api.get("/api/intros/requests/incoming", **_auth(owner)).json()["items"]
    assert incoming["member"]["name"] is None and incoming["reason"] == REASON
