"""Organizers hear of the answers to their events: one summary per event and hour at most (the
scheduler's hourly run, operations/jobs.py) — going, moved up from the waitlist, on the waitlist, not
going."""

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_noop

from circles.alerts import organizers_by_circle
from circles.models import Membership, Participation, Role, Status
from events.models import Event, Rsvp, RsvpStatus
from events.services import event_url
from notifications.models import Kind
from notifications.parts import message_part
from notifications.plurals import ngettext_noop
from notifications.services import notify

MSG_RSVP_ACTIVITY = gettext_noop(
    "New answers to “%(title)s” since the last summary — going: %(going)s, moved up from the waitlist: "
    "%(moved_up)s, waitlist: %(waitlist)s, not going: %(not_going)s."
)
MOVED_UP = "moved_up"


def rsvp_activity_alert(*, since: dt.datetime, until: dt.datetime) -> int:
    """Tell the organizers of each event answered in (since, until]; their own answers don't count.
    Returns how many notifications were recorded (once per event and window)."""
    by_organizer = Membership.objects.filter(
        circle_id=OuterRef("event__circle_id"), member_id=OuterRef("member_id"), role=Role.ORGANIZER
    )
    answers = (
        Rsvp.objects.filter(
            updated_at__gt=since,
            updated_at__lte=until,
            event__state=Event.State.SCHEDULED,
            event__circle__isnull=False,
            event__starts_at__gt=until,
        )
        .exclude(Exists(by_organizer))
        .values_list("event_id", "status", "moved_up_at")
    )
    counts: dict[int, Counter] = defaultdict(Counter)
    for event_id, status, moved_up_at in answers:
        moved_up = status == RsvpStatus.GOING and moved_up_at is not None and since < moved_up_at <= until
        counts[event_id][MOVED_UP if moved_up else status] += 1
    if not counts:
        return 0
    events = Event.objects.in_bulk(counts)
    organizers = organizers_by_circle({event.circle_id for event in events.values()})
    sent = 0
    for event_id, count in counts.items():
        event = events[event_id]
        params = {
            "title": event.title,
            "going": count[RsvpStatus.GOING],
            "moved_up": count[MOVED_UP],
            "waitlist": count[RsvpStatus.WAITLIST],
            "not_going": count[RsvpStatus.NOT_GOING],
        }
        for organizer in organizers[event.circle_id]:
            notification = notify(
                recipient=organizer,
                kind=Kind.RSVP_ACTIVITY,
                message=MSG_RSVP_ACTIVITY,
                params=params,
                url=event_url(event),
                key=f"rsvp_activity:{event_id}:{until.isoformat()}",
            )
            sent += notification is not None
    return sent


MSG_NEW_EVENTS = ngettext_noop(
    "A new event in your circles: %(events)s.",
    "%(count)s new events in your circles: %(events)s.",
)


MSG_EVENT_IN_LIST = gettext_noop("“%(title)s” (%(circle)s)")
MORE_EVENTS = 5


def _titles(events: list[Event]) -> list:
    """The first few events, each quoted as the reader's language quotes («…» in French), then "…"."""
    listed = [message_part(MSG_EVENT_IN_LIST, title=event.title, circle=event.circle.name) for event in events]
    return listed[:MORE_EVENTS] + (["…"] if len(listed) > MORE_EVENTS else [])


def new_events_alert(*, since: dt.datetime, until: dt.datetime) -> int:
    """Tell the members of each circle of the events created there in (since, until]: one message
    per member and window, listing them all; a series counts once (its first date). Remote
    followers hear only if they chose to (a kind off by default); the organizer who created an
    event is not told of it."""
    created = list(
        Event.objects.filter(
            created_at__gt=since,
            created_at__lte=until,
            state=Event.State.SCHEDULED,
            circle__isnull=False,
            series__isnull=True,
            starts_at__gt=until,
        )
        .select_related("circle")
        .order_by("starts_at", "pk")
    )
    if not created:
        return 0
    by_circle = defaultdict(list)
    for event in created:
        by_circle[event.circle_id].append(event)
    news: dict[int, list[Event]] = defaultdict(list)
    remote: dict[int, bool] = {}
    members = {}
    memberships = Membership.objects.filter(
        circle_id__in=by_circle, status=Status.ACTIVE, member__is_active=True
    ).select_related("member__profile")
    for membership in memberships:
        for event in by_circle[membership.circle_id]:
            if event.created_by_id != membership.member_id:
                news[membership.member_id].append(event)
        members[membership.member_id] = membership.member
        # A member active in one circle and remote in another hears as an active member.
        remote[membership.member_id] = remote.get(membership.member_id, True) and (
            membership.participation == Participation.REMOTE
        )
    sent = 0
    for member_id, events in news.items():
        if not events:
            continue
        events.sort(key=lambda event: (event.starts_at, event.pk))
        notification = notify(
            recipient=members[member_id],
            kind=Kind.NEW_EVENTS_FOLLOWED if remote[member_id] else Kind.NEW_EVENTS,
            message=MSG_NEW_EVENTS,
            params={"count": len(events), "events": _titles(events)},
            url=event_url(events[0]) if len(events) == 1 else reverse("agenda:agenda"),
            key=f"new_events:{until.isoformat()}",
        )
        sent += notification is not None
    return sent
