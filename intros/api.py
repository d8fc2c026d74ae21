"""Connection requests and connections over the API, with the pages' rules: other members are
seen through the privacy selector, someone else's request is a 404, a refusal is a 422 with its
message."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from cercle.api_errors import refused
from cercle.api_pagination import Page, Shown
from intros import selectors, services
from people.selectors import active_member_or_404
from privacy.selectors import seen_by, visible_profile

router = Router(tags=["intros"])


class PersonOut(Schema):
    id: int
    name: str | None
    headline: str
    contact_email: str
    phone: str


class ConnectionOut(Schema):
    member: PersonOut
    created_at: datetime


class RequestOut(Schema):
    id: int
    member: PersonOut
    reason: str
    status: str
    created_at: datetime


class RequestIn(Schema):
    member_id: int
    reason: str


def _person(seen) -> dict:
    return {
        "id": seen.user_id,
        "name": seen.name,
        "headline": seen.headline,
        "contact_email": seen.contact_email,
        "phone": seen.phone,
    }


def _request_out(request, req, other, *, as_sender: bool) -> dict:
    return {
        "id": req.pk,
        "member": _person(seen_by(request.user, other.profile)),
        "reason": req.reason,
        # The sender is not told of a decline or an ignore.
        "status": "pending" if as_sender else req.status,
        "created_at": req.created_at,
    }


@router.get("/connections", response=list[ConnectionOut], summary="My connections")
@paginate(Page)
def list_connections(request):
    return Shown(
        selectors.connections_of(request.user),
        lambda page: [
            {"member": _person(seen_by(request.user, profile)), "created_at": connection.created_at}
            for connection, profile in page
        ],
    )


@router.get("/requests/incoming", response=list[RequestOut], summary="Requests waiting for my answer")
@paginate(Page)
def list_incoming(request):
    return Shown(
        selectors.incoming_requests(request.user),
        lambda page: [_request_out(request, r, r.sender, as_sender=False) for r in page],
    )


@router.get("/requests/outgoing", response=list[RequestOut], summary="My requests waiting for an answer")
@paginate(Page)
def list_outgoing(request):
    return Shown(
        selectors.outgoing_requests(request.user),
        lambda page: [_request_out(request, r, r.recipient, as_sender=True) for r in page],
    )


@router.post("/requests", response={201: RequestOut}, summary="Ask a member to connect, with a reason")
def send_request(request, payload: RequestIn):
    member = active_member_or_404(payload.member_id)
    if member.pk != request.user.pk and visible_profile(request.user, member) is None:
        raise Http404
    try:
        req = services.connection_request_send(sender=request.user, recipient=member, reason=payload.reason)
    except ValidationError as exc:
        raise refused(exc) from exc
    return Status(201, _request_out(request, req, member, as_sender=True))


@router.post("/requests/{request_id}/accept", response=ConnectionOut, summary="Accept a request")
def accept_request(request, request_id: int):
    req = selectors.incoming_request_or_404(member=request.user, request_id=request_id)
    try:
        connection = services.connection_request_accept(request=req, recipient=request.user)
    except ValidationError as exc:
        raise refused(exc) from exc
    return {"member": _person(seen_by(request.user, req.sender.profile)), "created_at": connection.created_at}


@router.post("/requests/{request_id}/decline", response={204: None}, summary="Decline a request (not told)")
def decline_request(request, request_id: int):
    req = selectors.incoming_request_or_404(member=request.user, request_id=request_id)
    try:
        services.connection_request_decline(request=req, recipient=request.user)
    except ValidationError as exc:
        raise refused(exc) from exc
    return Status(204, None)


# Introduction paths, asks and introductions ------------------------------------------------------


class PathOut(Schema):
    hops: int
    intermediaries: list[PersonOut]
    ask_mutual_id: int
    ask_target_id: int
    asked: bool


class AskOut(Schema):
    id: int
    requester: PersonOut | None
    mutual: PersonOut | None
    target: PersonOut
    reason: str
    status: str
    created_at: datetime
    expires_at: datetime


class AskIn(Schema):
    mutual_id: int
    target_id: int
    reason: str


class ReasonIn(Schema):
    reason: str = ""


class RevealedOut(Schema):
    id: int
    name: str
    email: str


class IntroductionForMeOut(Schema):
    id: int
    introducer_name: str
    reason: str
    state: str
    my_answer: str
    my_met: bool | None
    other: RevealedOut | None
    created_at: datetime
    expires_at: datetime


class IntroductionByMeOut(Schema):
    id: int
    first_id: int
    first_name: str
    second_id: int
    second_name: str
    state: str
    created_at: datetime


class IntroductionsOut(Schema):
    for_me: list[IntroductionForMeOut]
    by_me: list[IntroductionByMeOut]


class IntroductionIn(Schema):
    first_id: int
    second_id: int
    reason: str


class MetIn(Schema):
    met: bool


@router.get("/paths/{member_id}", response=list[PathOut], summary="Who can introduce me to this member?")
def list_paths(request, member_id: int):
    target = active_member_or_404(member_id)
    if target.pk == request.user.pk or visible_profile(request.user, target) is None:
        raise Http404
    if selectors.are_connected(request.user, target):
        return []
    found = selectors.intro_paths(request.user, target)
    asked = selectors.pending_ask_target_ids(request.user)
    return [
        {
            "hops": path.hops,
            "intermediaries": [_person(step) for step in path.intermediaries],
            "ask_mutual_id": path.first_hop.user_id,
            "ask_target_id": path.ask_target.user_id,
            "asked": path.ask_target.user_id in asked,
        }
        for path in found
    ]


def _ask_out(item, *, as_requester: bool) -> dict:
    ask = item.ask
    return {
        "id": ask.pk,
        "requester": None if as_requester else _person(item.other),
        "mutual": _person(item.other) if as_requester else None,
        "target": _person(item.target),
        "reason": ask.reason,
        "status": item.state,
        "created_at": ask.created_at,
        "expires_at": ask.expires_at,
    }


@router.get("/asks/incoming", response=list[AskOut], summary="Introductions asked of me, waiting for my answer")
@paginate(Page)
def list_asks_incoming(request):
    return [_ask_out(item, as_requester=False) for item in selectors.asks_received(request.user)]


@router.get("/asks/outgoing", response=list[AskOut], summary="Introductions I asked for")
@paginate(Page)
def list_asks_outgoing(request):
    return [_ask_out(item, as_requester=True) for item in selectors.asks_made(request.user)]


@router.post("/asks", response={201: AskOut}, summary="Ask a connection to introduce me to one of theirs")
def create_ask(request, payload: AskIn):
    from intros.models import AskStatus
    from privacy.selectors import profiles_seen_by

    target = active_member_or_404(payload.target_id)
    if target.pk == request.user.pk or visible_profile(request.user, target) is None:
        raise Http404
    if payload.mutual_id not in selectors.connected_ids(request.user):
        raise Http404
    mutual = active_member_or_404(payload.mutual_id)
    try:
        ask = services.introduction_ask_create(
            requester=request.user, mutual=mutual, target=target, reason=payload.reason
        )
    except ValidationError as exc:
        raise refused(exc) from exc
    seen = profiles_seen_by(request.user, [mutual.pk, target.pk])
    item = selectors.AskShown(ask=ask, other=seen[mutual.pk], target=seen[target.pk], state=AskStatus.PENDING)
    return Status(201, _ask_out(item, as_requester=True))


@router.post("/asks/{ask_id}/introduce", response=IntroductionByMeOut, summary="Introduce them (as the mutual)")
def introduce_ask(request, ask_id: int, payload: ReasonIn | None = None):
    ask = selectors.ask_received_or_404(mutual=request.user, ask_id=ask_id)
    try:
        ask = services.introduction_ask_introduce(
            ask=ask, mutual=request.user, reason=payload.reason if payload else ""
        )
    except ValidationError as exc:
        raise refused(exc) from exc
    return _by_me_out(request, ask.introduction)


@router.post("/asks/{ask_id}/decline", response={204: None}, summary="Decline an ask (the requester is not told)")
def decline_ask(request, ask_id: int):
    ask = selectors.ask_received_or_404(mutual=request.user, ask_id=ask_id)
    try:
        services.introduction_ask_decline(ask=ask, mutual=request.user)
    except ValidationError as exc:
        raise refused(exc) from exc
    return Status(204, None)


@router.post("/asks/{ask_id}/withdraw", response={204: None}, summary="Withdraw one of my asks")
def withdraw_ask(request, ask_id: int):
    ask = selectors.ask_made_or_404(requester=request.user, ask_id=ask_id)
    services.introduction_ask_withdraw(ask=ask, requester=request.user)
    return Status(204, None)


def _for_me_out(item) -> dict:
    intro = item.introduction
    other = item.other
    return {
        "id": intro.pk,
        "introducer_name": item.introducer_name,
        "reason": intro.reason,
        "state": item.state,
        "my_answer": item.my_answer,
        "my_met": item.my_met,
        "other": {"id": other.user_id, "name": other.display_name, "email": other.email} if other else None,
        "created_at": intro.created_at,
        "expires_at": intro.expires_at,
    }


def _by_me_out(request, intro) -> dict:
    from privacy.selectors import seen_by

    return {
        "id": intro.pk,
        "first_id": intro.first_id,
        "first_name": seen_by(request.user, intro.first.profile).display_name,
        "second_id": intro.second_id,
        "second_name": seen_by(request.user, intro.second.profile).display_name,
        "state": intro.state,
        "created_at": intro.created_at,
    }


@router.get("/introductions", response=IntroductionsOut, summary="Introductions for me and by me")
def list_introductions(request):
    by_me = [
        {
            "id": item.introduction.pk,
            "first_id": item.introduction.first_id,
            "first_name": item.first_name,
            "second_id": item.introduction.second_id,
            "second_name": item.second_name,
            "state": item.state,
            "created_at": item.introduction.created_at,
        }
        for item in selectors.introductions_by(request.user)
    ]
    return {"for_me": [_for_me_out(i) for i in selectors.introductions_for(request.user)], "by_me": by_me}


@router.post("/introductions", response={201: IntroductionByMeOut}, summary="Introduce two of my connections")
def create_introduction(request, payload: IntroductionIn):
    mine = selectors.connected_ids(request.user)
    if payload.first_id not in mine or payload.second_id not in mine:
        raise Http404
    first, second = active_member_or_404(payload.first_id), active_member_or_404(payload.second_id)
    try:
        intro = services.introduction_create(introducer=request.user, first=first, second=second, reason=payload.reason)
    except ValidationError as exc:
        raise refused(exc) from exc
    return Status(201, _by_me_out(request, intro))


def _for_me_item(request, introduction_id: int):
    """The introduction as I see it now (hidden from me by a block since: a 404 like any other)."""
    for item in selectors.introductions_for(request.user):
        if item.introduction.pk == introduction_id:
            return item
    raise Http404


def _answer_introduction(request, introduction_id: int, accept: bool) -> dict:
    intro = selectors.introduction_for_me_or_404(member=request.user, introduction_id=introduction_id)
    try:
        services.introduction_answer(member=request.user, introduction=intro, accept=accept)
    except ValidationError as exc:
        raise refused(exc) from exc
    return _for_me_out(_for_me_item(request, intro.pk))


@router.post("/introductions/{introduction_id}/accept", response=IntroductionForMeOut, summary="Accept")
def accept_introduction(request, introduction_id: int):
    return _answer_introduction(request, introduction_id, True)


@router.post("/introductions/{introduction_id}/decline", response=IntroductionForMeOut, summary="Decline")
def decline_introduction(request, introduction_id: int):
    return _answer_introduction(request, introduction_id, False)


@router.post("/introductions/{introduction_id}/met", response=IntroductionForMeOut, summary="Say whether we met")
def introduction_met(request, introduction_id: int, payload: MetIn):
    intro = selectors.introduction_for_me_or_404(member=request.user, introduction_id=introduction_id)
    try:
        services.introduction_record_met(member=request.user, introduction=intro, met=payload.met)
    except ValidationError as exc:
        raise refused(exc) from exc
    return _for_me_out(_for_me_item(request, intro.pk))
