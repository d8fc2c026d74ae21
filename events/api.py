"""Events and RSVPs over the API, with the same rules as the pages (404 for missing and forbidden)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from cercle.api_errors import refused
from cercle.api_pagination import Page, Shown
from cercle.api_types import RowId
from events import selectors, services
from events.models import Event, Rsvp, RsvpStatus

router = Router(tags=["events"])


class CircleRef(Schema):
    id: int
    name: str
    slug: str


class EventOut(Schema):
    id: int
    title: str
    description: str
    format: str
    family: str
    topics: list[str]
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    venue: str
    address: str
    city: str
    city_id: int | None
    language: str
    capacity: int | None
    seats_taken: int
    seats_left: int | None
    allow_guest: bool
    is_free: bool
    price: str
    ticket_url: str
    state: str
    circle: CircleRef | None
    series_id: int | None
    my_rsvp: str | None


class RsvpOut(Schema):
    event_id: int
    event_title: str
    starts_at: datetime
    status: str
    with_guest: bool
    guest_name: str
    seats: int
    waitlist_position: int | None
    checked_in: bool


class RsvpIn(Schema):
    going: bool = True
    with_guest: bool = False
    guest_name: str = ""


def _event_out(event: Event, my_rsvp: str | None) -> dict:
    return {
        **{
            name: getattr(event, name)
            for name in (
                "id",
                "title",
                "description",
                "format",
                "family",
                "topics",
                "starts_at",
                "ends_at",
                "time_zone",
                "venue",
                "address",
                "city_id",
                "language",
                "capacity",
                "seats_taken",
                "allow_guest",
                "is_free",
                "price",
                "ticket_url",
                "state",
                "series_id",
            )
        },  # fmt: skip
        "city": event.city.name if event.city_id else "",
        "seats_left": selectors.seats_left(event),
        "circle": (
            {"id": event.circle.pk, "name": event.circle.name, "slug": event.circle.slug} if event.circle_id else None
        ),
        "my_rsvp": my_rsvp,
    }


def _rsvp_out(rsvp: Rsvp) -> dict:
    return {
        "event_id": rsvp.event_id,
        "event_title": rsvp.event.title,
        "starts_at": rsvp.event.starts_at,
        "status": rsvp.status,
        "with_guest": rsvp.with_guest,
        "guest_name": rsvp.guest_name,
        "seats": rsvp.seats,
        "waitlist_position": selectors.waitlist_position(rsvp),
        "checked_in": rsvp.checked_in_at is not None,
    }


@router.get("", response=list[EventOut], summary="Events I may see (upcoming first)")
@paginate(Page)
def list_events(request, circle_id: RowId | None = None, upcoming: bool = True):
    events = selectors.visible_events(request.user).order_by("starts_at", "pk")
    if circle_id is not None:
        events = events.filter(circle_id=circle_id)
    if upcoming:
        events = events.filter(ends_at__gte=timezone.now())

    def show(page: list[Event]) -> list[dict]:
        mine = dict(
            Rsvp.objects.filter(member=request.user, event__in=[e.pk for e in page]).values_list("event_id", "status")
        )
        return [_event_out(e, mine.get(e.pk)) for e in page]

    return Shown(events, show)


@router.get("/rsvps", response=list[RsvpOut], summary="My answers (going, waitlist, not going)")
@paginate(Page)
def my_rsvps(request, upcoming: bool = True):
    return Shown(selectors.my_rsvps(request.user, upcoming_only=upcoming), lambda page: [_rsvp_out(r) for r in page])


@router.get("/{event_id}", response=EventOut)
def get_event(request, event_id: int):
    event = selectors.event_for_viewer_or_404(request.user, event_id)
    rsvp = selectors.rsvp_of(request.user, event)
    return _event_out(event, rsvp.status if rsvp else None)


def _answer(request, event_id: int, *, going: bool, with_guest: bool = False, guest_name: str = "") -> dict:
    event = selectors.event_for_viewer_or_404(request.user, event_id)
    if not selectors.may_rsvp(request.user, event):
        raise Http404
    try:
        rsvp = services.rsvp_submit(
            member=request.user, event=event, going=going, with_guest=with_guest, guest_name=guest_name
        )
    except ValidationError as exc:
        raise refused(exc) from exc
    rsvp.event = event
    return _rsvp_out(rsvp)


@router.post("/{event_id}/rsvp", response=RsvpOut, summary="Answer: going (a seat, or the waitlist) or not")
def submit_rsvp(request, event_id: int, payload: RsvpIn):
    return _answer(request, event_id, **payload.dict())


@router.delete("/{event_id}/rsvp", response=RsvpOut, summary="Not going after all (frees the seats)")
def cancel_rsvp(request, event_id: int):
    event = selectors.event_for_viewer_or_404(request.user, event_id)
    rsvp = selectors.rsvp_of(request.user, event)
    if rsvp is None or rsvp.status == RsvpStatus.NOT_GOING:
        raise Http404
    return _answer(request, event_id, going=False)
