"""Circles over the API, with the same rules as the pages: unlisted circles in no list,
a circle the caller may not reach is a 404, members shown as their settings allow."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate

from cercle.api_errors import refused
from cercle.api_pagination import Page, Shown
from cercle.api_types import RowId, Slug
from circles import selectors, services
from circles.models import Circle, Membership, Status

router = Router(tags=["circles"])


class CircleOut(Schema):
    slug: str
    name: str
    family: str
    family_label: str
    city: str
    description: str
    topics: list[str]
    values: list[str]
    visibility: str
    membership_mode: str
    member_count: int


class CirclePersonOut(Schema):
    id: int
    name: str
    profession: str


class CircleDetailOut(CircleOut):
    charter: str
    organizers: list[CirclePersonOut]
    my_status: str | None
    my_role: str | None


class CircleMembershipOut(Schema):
    circle: str
    circle_name: str
    status: str
    role: str
    participation: str
    pairing_opt_in: bool
    joined_or_updated_at: datetime


class CircleJoinIn(Schema):
    message: str = ""


def _circle_out(circle: Circle, member_count: int) -> dict:
    return {
        "slug": circle.slug,
        "name": circle.name,
        "family": circle.family,
        "family_label": str(circle.get_family_display()),
        "city": circle.city.name if circle.city_id else "",
        "description": circle.description,
        "topics": circle.topics,
        "values": circle.values,
        "visibility": circle.visibility,
        "membership_mode": circle.membership_mode,
        "member_count": member_count,
    }


def _membership_out(membership: Membership) -> dict:
    return {
        "circle": membership.circle.slug,
        "circle_name": membership.circle.name,
        "status": membership.status,
        "role": membership.role,
        "participation": membership.participation,
        "pairing_opt_in": membership.pairing_opt_in,
        "joined_or_updated_at": membership.updated_at,
    }


@router.get("", response=list[CircleOut], summary="Browse circles (unlisted ones never appear)")
@paginate(Page)
def list_circles(
    request, q: str = "", city_id: RowId | None = None, family: str = "", value: str = "", topic: str = ""
):
    circles = selectors.circles_browse(
        viewer=request.user, query=q, city_id=city_id, family=family, value=value, topic=topic
    )
    return Shown(circles, lambda page: [_circle_out(c, c.member_count) for c in page])


@router.get("/mine", response=list[CircleMembershipOut], summary="My circles: active, invited, requested")
@paginate(Page)
def my_circles(request):
    return Shown(selectors.my_memberships(user=request.user), lambda page: [_membership_out(m) for m in page])


@router.get("/{slug}", response=CircleDetailOut, summary="One circle, if the caller may reach it")
def get_circle(request, slug: Slug):
    circle = selectors.circle_for_viewer_or_404(request.user, slug)
    organizers = selectors.organizers_of(circle=circle, viewer=request.user)
    mine = selectors.membership_of(circle=circle, user=request.user, status=None)
    total = Membership.objects.filter(circle=circle, status=Status.ACTIVE).count()
    return {
        **_circle_out(circle, total),
        "charter": circle.charter,
        "organizers": [
            {"id": e.membership.member_id, "name": e.name, "profession": e.profession} for e in organizers.entries
        ],
        "my_status": mine.status if mine else None,
        "my_role": mine.role if mine else None,
    }


@router.post("/{slug}/join", response=CircleMembershipOut, summary="Join, ask to join, or accept my invitation")
def join_circle(request, slug: Slug, payload: CircleJoinIn):
    circle = selectors.circle_for_viewer_or_404(request.user, slug)
    try:
        membership = services.membership_join(circle=circle, member=request.user, message=payload.message)
    except ValidationError as exc:
        raise refused(exc) from exc
    return _membership_out(membership)


@router.post("/{slug}/leave", response=CircleMembershipOut, summary="Leave, withdraw a request, decline an invitation")
def leave_circle(request, slug: Slug):
    circle = selectors.circle_for_viewer_or_404(request.user, slug)
    membership = selectors.membership_of(circle=circle, user=request.user, status=None)
    if membership is None:
        raise Http404
    try:
        membership = services.membership_leave(membership=membership)
    except ValidationError as exc:
        raise refused(exc) from exc
    return _membership_out(membership)
