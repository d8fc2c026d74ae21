"""Every route of the intros app, classified and tried: anonymous visitors go to the log-in page;
another member's request ids and members one may not reach are the same 404 as missing ones."""

import pytest
from django.urls import get_resolver, reverse

from intros import services
from intros.models import ConnectionRequest, RequestStatus
from intros.tests.conftest import REASON
from people.models import Discoverability

pytestmark = pytest.mark.django_db

OWN = {"index"}
# On a request: only its recipient (answers) or its sender (withdraw).
REQUEST_POSTS = {"request_accept", "request_decline", "request_ignore", "request_withdraw"}
# On another member, reached only when the privacy selector allows it.
MEMBER_POSTS = {"request_send", "connection_remove", "block", "unblock", "report"}
CLASSIFIED = OWN | REQUEST_POSTS | MEMBER_POSTS


def intros_routes():
    namespace = get_resolver().namespace_dict["intros"][1]
    for pattern in namespace.url_patterns:
        yield pattern.name, set(pattern.pattern.converters)


def test_every_route_is_classified():
    names = [name for name, _args in intros_routes()]
    assert len(names) == len(set(names)), "two routes share a name"
    assert set(names) == CLASSIFIED
    for name, args in intros_routes():
        expected = {"request_id"} if name in REQUEST_POSTS else {"user_id"} if name in MEMBER_POSTS else set()
        assert args == expected, name


def _url(name: str, obj_id: int = 0) -> str:
    if name in OWN:
        return reverse(f"intros:{name}")
    key = "request_id" if name in REQUEST_POSTS else "user_id"
    return reverse(f"intros:{name}", kwargs={key: obj_id})


@pytest.mark.parametrize("name", sorted(CLASSIFIED))
def test_an_anonymous_visitor_is_sent_to_log_in(name, client, owner):
    response = client.post(_url(name, owner.pk), {"reason": REASON})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", sorted(REQUEST_POSTS))
def test_someone_else_s_request_is_a_404(name, client, owner, member, stranger):
    request = services.connection_request_send(sender=member, recipient=owner, reason=REASON)
    client.force_login(stranger)
    assert client.post(_url(name, request.pk)).status_code == 404
    assert client.post(_url(name, 999_999)).status_code == 404
    assert ConnectionRequest.objects.get(pk=request.pk).status == RequestStatus.PENDING


def test_the_sender_cannot_answer_their_own_request_nor_the_recipient_withdraw_it(client, owner, member):
    request = services.connection_request_send(sender=member, recipient=owner, reason=REASON)
    client.force_login(member)
    for name in REQUEST_POSTS - {"request_withdraw"}:
        assert client.post(_url(name, request.pk)).status_code == 404
    client.force_login(owner)
    assert client.post(_url("request_withdraw", request.pk)).status_code == 404
    assert ConnectionRequest.objects.get(pk=request.pk).status == RequestStatus.PENDING


@pytest.mark.parametrize("name", sorted(MEMBER_POSTS))
def test_a_member_one_may_not_reach_is_a_404(name, client, owner, stranger):
    owner.profile.discoverability = Discoverability.HIDDEN
    owner.profile.save(update_fields=["discoverability"])
    client.force_login(stranger)
    assert client.post(_url(name, owner.pk), {"reason": REASON}).status_code == 404
    assert client.post(_url(name, 999_999), {"reason": REASON}).status_code == 404
    assert not ConnectionRequest.objects.exists()


@pytest.mark.parametrize("name", sorted(MEMBER_POSTS - {"unblock"}))
def test_a_member_who_blocked_me_is_a_404(name, client, owner, member):
    services.block_create(blocker=owner, blocked=member)
    client.force_login(member)
    assert client.post(_url(name, owner.pk), {"reason": REASON}).status_code == 404


@pytest.mark.parametrize("name", sorted(CLASSIFIED - OWN))
def test_answers_and_actions_are_posts_only(name, client, owner, member):
    client.force_login(member)
    assert client.get(_url(name, owner.pk)).status_code == 405
