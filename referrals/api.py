"""Referrals over the API, with the pages' rules: a referral is its giver's and its receiver's
alone (anything else is a 404), a club's statistics are for its active members, the other member
is named through the privacy selector, and a refusal is a 422 with its message."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from cercle.api_errors import refused
from cercle.api_pagination import Page
from cercle.api_types import Slug
from circles.models import Circle
from people.selectors import active_member_or_404
from referrals import selectors, services

router = Router(tags=["referrals"])


class ProspectOut(Schema):
    name: str
    company: str
    email: str
    phone: str
    need: str


class MemberRef(Schema):
    id: int
    name: str


class ReferralOut(Schema):
    id: int
    direction: str
    circle: str
    circle_name: str
    other_member: MemberRef
    prospect: ProspectOut
    status: str
    value: Decimal | None
    lost_reason: str
    created_at: datetime
    contacted_at: datetime | None
    won_at: datetime | None
    lost_at: datetime | None


class GiveIn(Schema):
    circle: str  # the club's address (slug)
    receiver_id: int
    prospect_name: str
    need: str
    prospect_company: str = ""
    prospect_email: str = ""
    prospect_phone: str = ""


class StatusIn(Schema):
    status: str
    value: Decimal | None = None
    lost_reason: str = ""


class TotalsOut(Schema):
    referrals: int
    open: int
    won: int
    lost: int
    value: Decimal
    conversion: float | None


class MemberStatsOut(Schema):
    member: MemberRef | None  # None: other and former members, counted together
    given: int
    value_given: Decimal
    received: int
    won: int
    value_won: Decimal
    conversion: float | None


class PeriodOut(Schema):
    totals: TotalsOut
    members: list[MemberStatsOut]


class StatsOut(Schema):
    circle: str
    since: datetime
    last_12_months: PeriodOut
    all_time: PeriodOut


def _out(row) -> dict:
    r = row.referral
    return {
        "id": r.pk,
        "direction": row.direction,
        "circle": r.circle.slug,
        "circle_name": r.circle.name,
        "other_member": {"id": row.other_id, "name": row.other_name},
        "prospect": {
            "name": r.prospect_name,
            "company": r.prospect_company,
            "email": r.prospect_email,
            "phone": r.prospect_phone,
            "need": r.need,
        },
        "status": r.status,
        "value": r.value,
        "lost_reason": r.lost_reason,
        "created_at": r.created_at,
        "contacted_at": r.contacted_at,
        "won_at": r.won_at,
        "lost_at": r.lost_at,
    }


def _member_stats(stats) -> dict:
    return {
        "member": {"id": stats.user_id, "name": stats.name} if stats.user_id else None,
        "given": stats.given,
        "value_given": stats.value_given,
        "received": stats.received,
        "won": stats.won,
        "value_won": stats.value_won,
        "conversion": stats.conversion,
    }


def _period(period) -> dict:
    t = period.totals
    rows = [_member_stats(s) for s in period.rows]
    if period.others is not None:
        rows.append(_member_stats(period.others))
    return {
        "totals": {
            "referrals": t.referrals,
            "open": t.open,
            "won": t.won,
            "lost": t.lost,
            "value": t.value,
            "conversion": t.conversion,
        },
        "members": rows,
    }


@router.get("", response=list[ReferralOut], summary="My referrals, given and received")
@paginate(Page)
def list_referrals(request, direction: str = "", status: str = ""):
    """`direction`: given or received; `status`: given, contacted, won, lost, or open."""
    if direction not in ("", *selectors.DIRECTIONS) or status not in ("", *selectors.STATUS_FILTERS):
        raise HttpError(422, _("Unknown direction or status."))
    return [_out(row) for row in selectors.my_referrals(member=request.user, direction=direction, status=status)]


@router.get("/{referral_id}", response=ReferralOut, summary="One of my referrals")
def get_referral(request, referral_id: int):
    referral = selectors.referral_for_member_or_404(member=request.user, referral_id=referral_id)
    return _out(selectors.referral_row(member=request.user, referral=referral))


@router.post("", response={201: ReferralOut}, summary="Give a referral to a fellow member of a referral club")
def give_referral(request, payload: GiveIn):
    circle = selectors.referral_club_for_member_or_404(request.user, payload.circle)
    receiver = active_member_or_404(payload.receiver_id)
    if receiver.pk != request.user.pk and receiver.pk not in selectors.receiver_ids_for(
        giver=request.user, circle=circle
    ):
        raise Http404
    try:
        referral = services.referral_give(
            giver=request.user,
            circle=circle,
            receiver=receiver,
            prospect_name=payload.prospect_name,
            need=payload.need,
            prospect_company=payload.prospect_company,
            prospect_email=payload.prospect_email,
            prospect_phone=payload.prospect_phone,
        )
    except ValidationError as exc:
        raise refused(exc) from exc
    referral = selectors.referral_for_member_or_404(member=request.user, referral_id=referral.pk)
    return Status(201, _out(selectors.referral_row(member=request.user, referral=referral)))


@router.post("/{referral_id}/status", response=ReferralOut, summary="Move a referral I received along")
def update_status(request, referral_id: int, payload: StatusIn):
    referral = selectors.referral_for_member_or_404(member=request.user, referral_id=referral_id)
    try:
        services.referral_update_status(
            referral=referral,
            member=request.user,
            status=payload.status,
            value=payload.value,
            lost_reason=payload.lost_reason,
        )
    except ValidationError as exc:
        raise refused(exc) from exc
    referral = selectors.referral_for_member_or_404(member=request.user, referral_id=referral.pk)
    return _out(selectors.referral_row(member=request.user, referral=referral))


@router.post("/{referral_id}/withdraw", response={204: None}, summary="Withdraw a referral I gave, not yet contacted")
def withdraw(request, referral_id: int):
    referral = selectors.referral_for_member_or_404(member=request.user, referral_id=referral_id)
    try:
        services.referral_withdraw(referral=referral, member=request.user)
    except ValidationError as exc:
        raise refused(exc) from exc
    return Status(204, None)


@router.get("/clubs/{slug}/statistics", response=StatsOut, summary="A referral club's statistics (its members only)")
def club_stats(request, slug: Slug):
    circle: Circle = selectors.referral_club_for_member_or_404(request.user, slug)
    stats = selectors.circle_stats(circle=circle, viewer=request.user)
    return {
        "circle": circle.slug,
        "since": stats.since,
        "last_12_months": _period(stats.recent),
        "all_time": _period(stats.all_time),
    }
