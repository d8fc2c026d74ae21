"""Vouches over the API, with the pages' rules: members are seen through the privacy selector,
someone else's vouch is a 404, a refusal is a 422 with its message."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from cercle.api_errors import refused
from cercle.api_pagination import Page
from people.selectors import active_member_or_404
from privacy.selectors import visible_profile
from vouches import selectors, services
from vouches.models import Status as VouchStatus

router = Router(tags=["vouches"])


class PersonOut(Schema):
    id: int | None  # both unset when the member's name is hidden from me
    name: str | None


class VouchOut(Schema):
    id: int
    member: PersonOut
    relation: str
    relation_text: str
    started_on: date
    ended_on: date | None
    text: str
    status: str
    created_at: datetime


class VouchIn(Schema):
    member_id: int
    worked_with: bool = False
    relation: str
    started_on: date
    ended_on: date | None = None
    text: str


def _out(item: selectors.ShownVouch, *, status: str | None = None) -> dict:
    vouch = item.vouch
    return {
        "id": vouch.pk,
        # An id would tell apart (and follow) a member whose name is hidden from the reader.
        "member": {"id": item.other.user_id if item.other.name is not None else None, "name": item.other.name},
        "relation": vouch.relation,
        "relation_text": item.relation,
        "started_on": vouch.started_on,
        "ended_on": vouch.ended_on,
        "text": vouch.text,
        "status": status or vouch.status,
        "created_at": vouch.created_at,
    }


@router.get("/about-me", response=list[VouchOut], summary="Vouches about me: waiting for my approval, then approved")
@paginate(Page)
def list_about_me(request):
    me = request.user
    return [_out(i) for i in selectors.pending_about(me)] + [_out(i) for i in selectors.approved_about(me)]


@router.get("/by-me", response=list[VouchOut], summary="Vouches I wrote")
@paginate(Page)
def list_by_me(request):
    return [_out(i, status=i.vouch.status_for_author) for i in selectors.written_by(request.user)]


@router.get("/members/{user_id}", response=list[VouchOut], summary="Approved vouches on a member's profile")
@paginate(Page)
def list_of_member(request, user_id: int):
    member = active_member_or_404(user_id)
    if visible_profile(request.user, member) is None:
        raise Http404
    return [_out(i) for i in selectors.approved_vouches_seen_by(request.user, member)]


@router.post("", response={201: VouchOut}, summary="Vouch for a member I worked with (they approve it first)")
def write(request, payload: VouchIn):
    member = active_member_or_404(payload.member_id)
    if member.pk != request.user.pk and visible_profile(request.user, member) is None:
        raise Http404
    try:
        vouch = services.vouch_write(
            author=request.user,
            subject=member,
            worked_with=payload.worked_with,
            relation=payload.relation,
            started_on=payload.started_on,
            ended_on=payload.ended_on,
            text=payload.text,
        )
    except ValidationError as exc:
        raise refused(exc) from exc
    return Status(201, _out(selectors.shown_to(request.user, vouch), status=vouch.status_for_author))


@router.post("/{vouch_id}/approve", response=VouchOut, summary="Approve a vouch about me")
def approve(request, vouch_id: int):
    me = request.user
    vouch = selectors.vouch_about_me_or_404(member=me, vouch_id=vouch_id, statuses=[VouchStatus.PENDING])
    try:
        services.vouch_approve(vouch=vouch, subject=me)
    except ValidationError as exc:
        raise refused(exc) from exc
    return _out(selectors.shown_to(me, vouch))


@router.post("/{vouch_id}/remove", response={204: None}, summary="Decline or remove a vouch about me")
def remove(request, vouch_id: int):
    statuses = [VouchStatus.PENDING, VouchStatus.APPROVED]
    vouch = selectors.vouch_about_me_or_404(member=request.user, vouch_id=vouch_id, statuses=statuses)
    try:
        services.vouch_remove(vouch=vouch, subject=request.user)
    except ValidationError as exc:
        raise refused(exc) from exc
    return Status(204, None)


@router.post("/{vouch_id}/withdraw", response={204: None}, summary="Withdraw a vouch I wrote")
def withdraw(request, vouch_id: int):
    vouch = selectors.vouch_by_me_or_404(member=request.user, vouch_id=vouch_id)
    services.vouch_withdraw(vouch=vouch, author=request.user)
    return Status(204, None)
