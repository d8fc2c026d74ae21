"""Connection requests and connections over the API, with the pages' rules: other members are
seen through the privacy selector, someone else's request is a 404, a refusal is a 422 with its
message."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

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


def _refused(exc: ValidationError) -> HttpError:
    return HttpError(422, "; ".join(str(m) for m in exc.messages))


@router.get("/connections", response=list[ConnectionOut], summary="My connections")
def list_connections(request):
    return [
        {"member": _person(seen_by(request.user, profile)), "created_at": connection.created_at}
        for connection, profile in selectors.connections_of(request.user)
    ]


@router.get("/requests/incoming", response=list[RequestOut], summary="Requests waiting for my answer")
def list_incoming(request):
    return [_request_out(request, r, r.sender, as_sender=False) for r in selectors.incoming_requests(request.user)]


@router.get("/requests/outgoing", response=list[RequestOut], summary="My requests waiting for an answer")
def list_outgoing(request):
    return [_request_out(request, r, r.recipient, as_sender=True) for r in selectors.outgoing_requests(request.user)]


@router.post("/requests", response={201: RequestOut}, summary="Ask a member to connect, with a reason")
def send_request(request, payload: RequestIn):
    member = active_member_or_404(payload.member_id)
    if member.pk != request.user.pk and visible_profile(request.user, member) is None:
        raise Http404
    try:
        req = services.connection_request_send(sender=request.user, recipient=member, reason=payload.reason)
    except ValidationError as exc:
        raise _refused(exc) from exc
    return Status(201, _request_out(request, req, member, as_sender=True))


@router.post("/requests/{request_id}/accept", response=ConnectionOut, summary="Accept a request")
def accept_request(request, request_id: int):
    req = selectors.incoming_request_or_404(member=request.user, request_id=request_id)
    try:
        connection = services.connection_request_accept(request=req, recipient=request.user)
    except ValidationError as exc:
        raise _refused(exc) from exc
    return {"member": _person(seen_by(request.user, req.sender.profile)), "created_at": connection.created_at}


@router.post("/requests/{request_id}/decline", response={204: None}, summary="Decline a request (not told)")
def decline_request(request, request_id: int):
    req = selectors.incoming_request_or_404(member=request.user, request_id=request_id)
    try:
        services.connection_request_decline(request=req, recipient=request.user)
    except ValidationError as exc:
        raise _refused(exc) from exc
    return Status(204, None)
