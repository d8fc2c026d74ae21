"""Reads of events: who may see an event, who is going, the brief, the check-in list.

One place decides "may this viewer see this event?" (`may_see_event`, behind
`event_for_viewer_or_404` and the event page's `event_page`): a missing event and a forbidden one
are the same 404, so existence never leaks.

- an event of a public circle, or without a circle (an agenda import): anyone, even logged out;
- an event of a circle listed to members: any signed-in member;
- an event of an unlisted circle: only the circle's active members.

Circle membership is read straight from `circles.models.Membership` (the circles services are
another app's; the two questions asked here are small).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, Membership, Role, Status, Visibility
from events.models import Event, Rsvp, RsvpStatus
from places.text import fold
from privacy.selectors import (
    Audience,
    SeenByOrganizer,
    VisibleProfile,
    profile_as_seen,
    profiles_seen_by,
    seen_by_organizer,
)

BRIEF_SIZE = 5
# A ticket is checked in from a day before the event starts to a day after it ends; outside that, a
# scanned or forwarded ticket checks nobody in.
CHECK_IN_MARGIN = timedelta(hours=24)
CHECK_IN_NOT_YET = _("Check-in opens on %(when)s, 24 hours before the event starts.")
CHECK_IN_CLOSED = _("Check-in closed on %(when)s, 24 hours after the event ended.")


# --- Circles ----------------------------------------------------------------------------------


def is_active_member(user, circle_id: int | None) -> bool:
    """An active member of the circle, organizer or not, taking part or following remotely."""
    if circle_id is None or user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(member=user, circle_id=circle_id, status=Status.ACTIVE).exists()


def is_organizer(user, circle_id: int | None) -> bool:
    if circle_id is None or user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        member=user, circle_id=circle_id, status=Status.ACTIVE, role=Role.ORGANIZER
    ).exists()


def organized_circles(user) -> QuerySet[Circle]:
    """The circles this member runs: where they may create events."""
    if user is None or not user.is_authenticated:
        return Circle.objects.none()
    return Circle.objects.filter(
        memberships__member=user, memberships__status=Status.ACTIVE, memberships__role=Role.ORGANIZER
    ).order_by("name")


def _my_circle_ids(user):
    return Membership.objects.filter(member=user, status=Status.ACTIVE).values("circle_id")


# --- Events -----------------------------------------------------------------------------------


def visible_events(viewer) -> QuerySet[Event]:
    """Every event this viewer may see; unlisted circles' events only for their members."""
    shown = Q(circle__isnull=True) | Q(circle__visibility=Visibility.PUBLIC)
    if viewer is not None and viewer.is_authenticated:
        shown |= Q(circle__visibility=Visibility.MEMBERS) | Q(circle_id__in=_my_circle_ids(viewer))
    return Event.objects.filter(shown).select_related("circle", "city")


def may_see_event(viewer, event: Event, *, is_member: bool | None = None) -> bool:
    """`is_member`: whether the viewer is an active member of the event's circle, when already read."""
    if event.circle_id is None or event.circle.visibility == Visibility.PUBLIC:
        return True
    if viewer is None or not viewer.is_authenticated:
        return False
    if event.circle.visibility == Visibility.MEMBERS:
        return True
    return is_active_member(viewer, event.circle_id) if is_member is None else is_member


def event_for_viewer_or_404(viewer, event_id: int) -> Event:
    event = Event.objects.select_related("circle", "city").filter(pk=event_id).first()
    if event is None or not may_see_event(viewer, event):
        raise Http404
    return event


def event_for_organizer_or_404(user, event_id: int) -> Event:
    """Events managed by this member: those of the circles they organize (agenda imports: nobody)."""
    event = Event.objects.select_related("circle", "city").filter(pk=event_id).first()
    if event is None or not is_organizer(user, event.circle_id):
        raise Http404
    return event


def may_rsvp(member, event: Event) -> bool:
    """Active members of the event's circle, remote followers included; agenda imports take no RSVP."""
    return event.circle_id is not None and is_active_member(member, event.circle_id)


def has_ended(event: Event) -> bool:
    return event.ends_at <= timezone.now()


def has_started(event: Event) -> bool:
    return event.starts_at <= timezone.now()


def seats_left(event: Event) -> int | None:
    return None if event.capacity is None else max(event.capacity - event.seats_taken, 0)


# --- RSVPs ------------------------------------------------------------------------------------


def rsvp_of(member, event: Event) -> Rsvp | None:
    if member is None or not member.is_authenticated:
        return None
    return Rsvp.objects.filter(event=event, member=member).first()


def waitlist_position(rsvp: Rsvp | None) -> int | None:
    """1 for the first in line; None when not on the waitlist."""
    if rsvp is None or rsvp.status != RsvpStatus.WAITLIST:
        return None
    ahead = Rsvp.objects.filter(event_id=rsvp.event_id, status=RsvpStatus.WAITLIST).filter(
        Q(waitlisted_at__lt=rsvp.waitlisted_at) | Q(waitlisted_at=rsvp.waitlisted_at, pk__lt=rsvp.pk)
    )
    return ahead.count() + 1


def _waitlist_position_among(rsvp: Rsvp | None, waitlist: list[Rsvp]) -> int | None:
    """`waitlist_position` counted in the event's waitlisted RSVPs already read."""
    if rsvp is None or rsvp.status != RsvpStatus.WAITLIST:
        return None
    mine = rsvp.waitlisted_at
    ahead = [
        r
        for r in waitlist
        if r.waitlisted_at is not None
        and mine is not None
        and (r.waitlisted_at < mine or (r.waitlisted_at == mine and r.pk < rsvp.pk))
    ]
    return len(ahead) + 1


def rsvp_counts(event: Event) -> dict[str, int]:
    going = Rsvp.objects.filter(event=event, status=RsvpStatus.GOING)
    return {
        "going": going.count(),
        "waitlist": Rsvp.objects.filter(event=event, status=RsvpStatus.WAITLIST).count(),
        "seats": event.seats_taken,
    }


def my_rsvps(member, *, upcoming_only: bool = False) -> QuerySet[Rsvp]:
    rsvps = Rsvp.objects.filter(member=member).select_related("event", "event__circle").order_by("event__starts_at")
    if upcoming_only:
        rsvps = rsvps.filter(event__ends_at__gte=timezone.now())
    return rsvps


def rsvp_by_ticket_or_404(organizer, ticket_token: str) -> Rsvp:
    """The RSVP behind a ticket's QR code, for an organizer of its event's circle only."""
    rsvp = (
        Rsvp.objects.select_related("event", "event__circle", "member__profile")
        .filter(ticket_token=ticket_token)
        .first()
    )
    if rsvp is None or not is_organizer(organizer, rsvp.event.circle_id):
        raise Http404
    return rsvp


@dataclass(frozen=True)
class CheckinWindow:
    opens_at: datetime
    closes_at: datetime
    is_open: bool
    refusal: str  # why checking in is refused now, in the active language; "" while open


def _event_zone(event: Event) -> ZoneInfo:
    try:
        return ZoneInfo(event.time_zone or "Europe/Paris")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Paris")


def checkin_window(event: Event, *, now: datetime | None = None) -> CheckinWindow:
    """When this event's tickets may be checked in; the times told in the event's time zone."""
    now = now or timezone.now()
    opens_at, closes_at = event.starts_at - CHECK_IN_MARGIN, event.ends_at + CHECK_IN_MARGIN
    zone = _event_zone(event)
    refusal = ""
    if now < opens_at or now > closes_at:
        moment, text = (opens_at, CHECK_IN_NOT_YET) if now < opens_at else (closes_at, CHECK_IN_CLOSED)
        when = f"{date_format(moment.astimezone(zone), 'DATETIME_FORMAT')} ({zone.key})"
        refusal = str(text) % {"when": when}
    return CheckinWindow(opens_at=opens_at, closes_at=closes_at, is_open=not refusal, refusal=refusal)


def _going(event: Event, *, exclude=None) -> QuerySet[Rsvp]:
    rsvps = Rsvp.objects.filter(event=event, status=RsvpStatus.GOING, member__is_active=True).select_related(
        "member__profile", "member__profile__city"
    )
    if exclude is not None:
        rsvps = rsvps.exclude(member=exclude)
    return rsvps.order_by("created_at", "pk")


def _seen_going(viewer, event: Event, *, exclude=None) -> list[VisibleProfile]:
    """Those going, each as the viewer may see them. Someone the viewer may not find (their
    discoverability, or a block either way) is seen with nothing at all: no name, no field."""
    return _seen(viewer, list(_going(event, exclude=exclude)))


def _seen(viewer, going: list[Rsvp]) -> list[VisibleProfile]:
    """These RSVPs' members (their profiles selected with them), as the viewer may see each."""
    seen = profiles_seen_by(viewer, [r.member_id for r in going], discoverable_only=True)
    return [seen.get(r.member_id) or profile_as_seen(r.member.profile, Audience.NONE) for r in going]


def attendees_for(viewer, event: Event) -> list[VisibleProfile] | None:
    """Who is going, as this viewer may see each of them; None when the viewer may not see the list.

    Only the circle's active members see the list, each attendee through the privacy selector
    (a name kept narrower, or an attendee the viewer may not find, shows as "A Cercle member").
    """
    if not is_active_member(viewer, event.circle_id):
        return None
    return _seen_going(viewer, event)


@dataclass(frozen=True)
class CheckinRow:
    rsvp: Rsvp
    who: SeenByOrganizer


def checkin_list(event: Event) -> list[CheckinRow]:
    """Organizers see the name and profession of those going (privacy.selectors.seen_by_organizer)."""
    rows = [CheckinRow(rsvp=r, who=seen_by_organizer(r.member.profile)) for r in _going(event)]
    return sorted(rows, key=lambda row: fold(row.who.name))


# --- The brief and "who did you meet?" --------------------------------------------------------


@dataclass(frozen=True)
class BriefEntry:
    """Someone going whom the viewer should meet, and why (sentences in the active language)."""

    person: VisibleProfile
    reasons: list[str] = field(default_factory=list)
    score: float = 0.0


def event_brief(viewer, event: Event, *, limit: int = BRIEF_SIZE) -> list[BriefEntry]:
    """Among those going, the few the viewer should meet, ranked by the matching engine, and why.

    Only attendees the viewer may find and whose name they may see take part; the engine's reasons
    are worded from the fields each lets the viewer see now (matching.reasons), and someone with no
    reason in words is left out. Anyone the viewer dismissed from their suggestions is left out too.
    """
    if viewer is None or not viewer.is_authenticated or not is_active_member(viewer, event.circle_id):
        return []
    return _brief_among(viewer, _seen_going(viewer, event, exclude=viewer), limit=limit)


def _brief_among(viewer, others: list[VisibleProfile], *, limit: int = BRIEF_SIZE) -> list[BriefEntry]:
    """The brief among these attendees (the viewer left out), as seen by the viewer."""
    from matching.reasons import reasons_in_words
    from matching.selectors import ranked_among

    people = {p.user_id: p for p in others if p.name is not None}
    entries = []
    for suggestion in ranked_among(viewer, people):
        person = people[suggestion.member_id]
        reasons = reasons_in_words(suggestion.reasons, person)
        if reasons:
            entries.append(BriefEntry(person=person, reasons=reasons, score=suggestion.score))
        if len(entries) == limit:
            break
    return entries


def met_candidates(viewer, event: Event) -> list[VisibleProfile]:
    """Fellow attendees the viewer may pick in "who did you meet?": going, and their name visible."""
    if viewer is None or not viewer.is_authenticated:
        return []
    return _named_by_name(_seen_going(viewer, event, exclude=viewer))


def _named_by_name(people: list[VisibleProfile]) -> list[VisibleProfile]:
    return sorted((p for p in people if p.name), key=lambda p: fold(p.name or ""))


# --- The event page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EventPage:
    """What the event page shows, read once for this viewer: the event, their answer and their
    place in the circle, who is going and the brief. The view only formats it."""

    event: Event
    rsvp: Rsvp | None
    is_member: bool  # an active member of the event's circle
    is_organizer: bool
    may_rsvp: bool  # may answer now: a member, the event scheduled and not started
    started: bool
    ended: bool
    seats_left: int | None
    waitlist_position: int | None
    counts: dict[str, int]
    attendees: list[VisibleProfile] | None  # None: the viewer may not see who is going
    brief: list[BriefEntry]
    met_candidates: list[VisibleProfile] | None  # None: no "who did you meet?" on this page
    series: list[Event]


def event_page(viewer, event_id: int) -> EventPage:
    """The event page of this viewer (404 for a missing event and a forbidden one alike), in a few
    queries whatever the number going: the event with the viewer's role in its circle, the RSVPs
    that count (with the profiles of those going when the page shows them), then the privacy
    selector and the matching engine once for the attendee list, the brief and "who did you meet?".
    Each answer is the one the single-purpose selectors above give."""
    signed_in = viewer is not None and viewer.is_authenticated
    events = Event.objects.select_related("circle", "city").filter(pk=event_id)
    if signed_in:
        mine = Membership.objects.filter(member=viewer, circle_id=OuterRef("circle_id"), status=Status.ACTIVE)
        events = events.annotate(viewer_role=Subquery(mine.values("role")[:1]))
    event = events.first()
    role = getattr(event, "viewer_role", None)
    is_member = event is not None and event.circle_id is not None and role is not None
    if event is None or not may_see_event(viewer, event, is_member=is_member):
        raise Http404
    started, ended = has_started(event), has_ended(event)
    page = {
        "event": event,
        "is_member": is_member,
        "is_organizer": is_member and role == Role.ORGANIZER,
        "may_rsvp": event.state == Event.State.SCHEDULED and not started and is_member,
        "started": started,
        "ended": ended,
        "seats_left": seats_left(event),
        "series": series_dates(event),
    }
    if not signed_in:
        counts = Rsvp.objects.filter(event=event).aggregate(
            going=Count("pk", filter=Q(status=RsvpStatus.GOING)),
            waitlist=Count("pk", filter=Q(status=RsvpStatus.WAITLIST)),
        )
        return EventPage(
            **page,
            rsvp=None,
            waitlist_position=None,
            counts={**counts, "seats": event.seats_taken},
            attendees=None,
            brief=[],
            met_candidates=None,
        )
    rsvps = Rsvp.objects.filter(event=event).filter(
        Q(member=viewer) | Q(status__in=[RsvpStatus.GOING, RsvpStatus.WAITLIST])
    )
    if is_member or ended:  # who is going may show: the attendee list, the brief or "who did you meet?"
        rsvps = rsvps.select_related("member__profile", "member__profile__city")
    rows = list(rsvps.order_by("created_at", "pk"))
    rsvp = next((r for r in rows if r.member_id == viewer.pk), None)
    going = [r for r in rows if r.status == RsvpStatus.GOING]
    waitlist = [r for r in rows if r.status == RsvpStatus.WAITLIST]
    i_go = rsvp is not None and rsvp.status == RsvpStatus.GOING
    answered = rsvp is not None and rsvp.status != RsvpStatus.NOT_GOING
    seen = []  # (member id, as the viewer sees them) of those going, in the order they answered
    if is_member or (ended and i_go):
        going_members = [r for r in going if r.member.is_active]
        seen = list(zip([r.member_id for r in going_members], _seen(viewer, going_members), strict=True))
    others = [person for member_id, person in seen if member_id != viewer.pk]
    return EventPage(
        **page,
        rsvp=rsvp,
        waitlist_position=_waitlist_position_among(rsvp, waitlist),
        counts={"going": len(going), "waitlist": len(waitlist), "seats": event.seats_taken},
        attendees=[person for _, person in seen] if is_member else None,
        brief=_brief_among(viewer, others) if is_member and answered and not ended else [],
        met_candidates=_named_by_name(others) if ended and i_go else None,
    )


def series_dates(event: Event, *, limit: int = 12) -> list[Event]:
    """The other dates of the event's series (none when it is not one), the first `limit`."""
    head_id = event.series_id or (event.pk if event.recurrence else None)
    if head_id is None:
        return []
    others = Event.objects.filter(pk=head_id) | Event.objects.filter(series_id=head_id)
    return list(others.exclude(pk=event.pk).order_by("starts_at")[:limit])
