"""Every route of the intros app, classified and tried: anonymous visitors go to the log-in page;
another member's request ids and members one may not reach are the same 404 as missing ones."""

import pytest
from django.urls import get_resolver, reverse

from intros import services
from intros.models import ConnectionRequest, RequestStatus
from intros.tests.conftest import REASON
from people.models import Discoverability

pytestmark = pytest.mark.django_db

OWN = {"index", "introductions", "introduce"}
# On a request: only its recipient (answers) or its sender (withdraw).
REQUEST_POSTS = {"request_accept", "request_decline", "request_ignore", "request_withdraw"}
# On another member, reached only when the privacy selector allows it.
MEMBER_POSTS = {"request_send", "connection_remove", "block", "unblock", "report"}
# On an introduction: only the two introduced (the introducer has no route on an id).
INTRO_POSTS = {"introduction_accept", "introduction_decline", "introduction_met"}
# Pages about another member, shown only when the privacy selector allows it.
MEMBER_PAGES = {"paths"}
# On an introduction ask: only its mutual (introduce, decline) or its requester (withdraw).
ASK_POSTS = {"ask_introduce", "ask_decline", "ask_withdraw"}
MEMBER_POSTS |= {"ask_create"}
CLASSIFIED = OWN | REQUEST_POSTS | MEMBER_POSTS | INTRO_POSTS | MEMBER_PAGES | ASK_POSTS
KEYS = {**dict.fromkeys(REQUEST_POSTS, "request_id"), **dict.fromkeys(MEMBER_POSTS | MEMBER_PAGES, "user_id")}
KEYS |= dict.fromkeys(INTRO_POSTS, "introduction_id") | dict.fromkeys(ASK_POSTS, "ask_id")


def intros_routes():
    namespace = get_resolver().namespace_dict["intros"][1]
    for pattern in namespace.url_patterns:
        yield pattern.name, set(pattern.pattern.converters)


def test_every_route_is_classified():
    names = [name for name, _args in intros_routes()]
    assert len(names) == len(set(names)), "two routes share a name"
    assert set(names) == CLASSIFIED
    for name, args in intros_routes():
        expected = {KEYS[name]} if name in KEYS else set()
        assert args == expected, name


def _url(name: str, obj_id: int = 0) -> str:
    if name in OWN:
        return reverse(f"intros:{name}")
    return reverse(f"intros:{name}", kwargs={KEYS[name]: obj_id})


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


@pytest.mark.parametrize("name", sorted(CLASSIFIED - OWN - MEMBER_PAGES))
def test_answers_and_actions_are_posts_only(name, client, owner, member):
    client.force_login(member)
    assert client.get(_url(name, owner.pk)).status_code == 405


@pytest.mark.parametrize("name", sorted(INTRO_POSTS))
def test_someone_else_s_introduction_is_a_404(name, client, open_member, connect, stranger):
    from intros.models import Introduction, IntroState

    introducer, first, second = open_member(), open_member(), open_member()
    connect(introducer, first)
    connect(introducer, second)
    intro = services.introduction_create(introducer=introducer, first=first, second=second, reason=REASON)
    for someone in (stranger, introducer):
        client.force_login(someone)
        assert client.post(_url(name, intro.pk), {"met": "yes"}).status_code == 404
    client.force_login(first)
    assert client.post(_url(name, 999_999), {"met": "yes"}).status_code == 404
    intro = Introduction.objects.get(pk=intro.pk)
    assert intro.state == IntroState.PENDING and intro.first_met is None


@pytest.mark.parametrize("name", sorted(MEMBER_PAGES))
def test_a_member_page_one_may_not_reach_is_a_404_without_their_name(name, client, owner, member, stranger):
    client.force_login(stranger)
    assert client.get(_url(name, owner.pk)).status_code == 200
    assert client.get(_url(name, 999_999)).status_code == 404
    assert client.get(_url(name, stranger.pk)).status_code == 404  # oneself
    owner.profile.discoverability = Discoverability.HIDDEN
    owner.profile.save(update_fields=["discoverability"])
    response = client.get(_url(name, owner.pk))
    assert response.status_code == 404 and "Hélène" not in response.content.decode()
    owner.profile.discoverability = Discoverability.MEMBERS
    owner.profile.save(update_fields=["discoverability"])
    services.block_create(blocker=owner, blocked=member)
    client.force_login(member)
    response = client.get(_url(name, owner.pk))
    assert response.status_code == 404 and "Hélène" not in response.content.decode()


@pytest.mark.parametrize("name", sorted(ASK_POSTS))
def test_someone_else_s_ask_is_a_404(name, client, open_member, connect, stranger):
    from intros.models import AskStatus, IntroductionAsk

    requester, mutual, target = open_member(), open_member(), open_member()
    connect(requester, mutual)
    connect(mutual, target)
    ask = services.introduction_ask_create(requester=requester, mutual=mutual, target=target, reason=REASON)
    for someone in (stranger, target):
        client.force_login(someone)
        assert client.post(_url(name, ask.pk), {"reason": REASON}).status_code == 404
    client.force_login(requester if name != "ask_withdraw" else mutual)
    assert client.post(_url(name, ask.pk), {"reason": REASON}).status_code == 404
    assert client.post(_url(name, 999_999), {"reason": REASON}).status_code == 404
    assert IntroductionAsk.objects.get(pk=ask.pk).status == AskStatus.PENDING
