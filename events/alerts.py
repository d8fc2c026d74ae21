"""Organizers hear of the answers to their events: one summary per event and hour at most (the
scheduler's hourly run, operations/jobs.py) — going, on the waitlist (moves up included), not going."""

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_noop

from circles.models import Membership, Role, Status
from events.models import Event, Rsvp, RsvpStatus
from events.services import event_url
from notifications.models import Kind
from notifications.services import notify

MSG_RSVP_ACTIVITY = gettext_noop(
    "New answers to “%(title)s” since the last summary — going: %(going)s, waitlist: %(waitlist)s, "
    "not going: %(not_going)s."
)


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
        .values_list("event_id", "status")
    )
    counts: dict[int, Counter] = defaultdict(Counter)
    for event_id, status in answers:
        counts[event_id][status] += 1
    if not counts:
        return 0
    events = Event.objects.in_bulk(counts)
    organizers = defaultdict(list)
    circle_ids = {event.circle_id for event in events.values()}
    for membership in Membership.objects.filter(
        circle_id__in=circle_ids, role=Role.ORGANIZER, status=Status.ACTIVE, member__is_active=True
    ).select_related("member__profile"):
        organizers[membership.circle_id].append(membership.member)
    sent = 0
    for event_id, count in counts.items():
        event = events[event_id]
        params = {
            "title": event.title,
            "going": count[RsvpStatus.GOING],
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
