"""Event reminders, the day before: to members going, never to remote followers of the circle.

"Tomorrow" is the member's own calendar day (their profile's time zone, Europe/Paris by default),
and a reminder leaves from REMINDER_FROM_HOUR of their day before, not at midnight. Run it every
hour (`manage.py send_reminders`): each run sends only what no run has sent before, because a
reminder is keyed by event and start date (a rescheduled event is reminded again, once).
"""

import datetime as dt

from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from notifications.emails import time_zone_of
from notifications.models import Kind, Notification
from notifications.services import notify

REMINDER_FROM_HOUR = 8
REMINDER_MESSAGE = gettext_noop("Tomorrow: “%(title)s”, %(starts_at)s")


def url_of(obj) -> str:
    """The page of an event (or any object): its get_absolute_url(), else its app's
    `<model>_detail` route taking the primary key, else nothing (a notification without a link)."""
    get_url = getattr(obj, "get_absolute_url", None)
    if callable(get_url):
        return get_url()
    meta = obj._meta
    try:
        return reverse(f"{meta.app_label}:{meta.model_name}_detail", args=[obj.pk])
    except NoReverseMatch:
        return ""


def reminder_key(event, local_day: dt.date) -> str:
    return f"event_reminder:{event.pk}:{local_day.isoformat()}"


def reminders_due(*, now: dt.datetime):
    """(rsvp, key) of the going members whose event is on their tomorrow, not yet reminded."""
    from circles.models import Membership, Participation, Status
    from events.models import Event, Rsvp, RsvpStatus

    remote_follower = Membership.objects.filter(
        circle_id=OuterRef("event__circle_id"),
        member_id=OuterRef("member_id"),
        status=Status.ACTIVE,
        participation=Participation.REMOTE,
    )
    # Tomorrow, in any time zone, starts after now and ends within three days.
    rsvps = (
        Rsvp.objects.filter(
            status=RsvpStatus.GOING,
            member__is_active=True,
            event__state=Event.State.SCHEDULED,
            event__starts_at__gt=now,
            event__starts_at__lt=now + dt.timedelta(days=3),
        )
        .exclude(Exists(remote_follower))
        .select_related("event", "member__profile")
        .order_by("event__starts_at", "id")
    )
    candidates = []
    for rsvp in rsvps:
        zone = time_zone_of(rsvp.member)
        local_now = now.astimezone(zone)
        event_day = rsvp.event.starts_at.astimezone(zone).date()
        if local_now.hour >= REMINDER_FROM_HOUR and event_day == local_now.date() + dt.timedelta(days=1):
            candidates.append((rsvp, reminder_key(rsvp.event, event_day)))
    sent = set(
        Notification.objects.filter(
            recipient_id__in={rsvp.member_id for rsvp, _ in candidates}, key__in={key for _, key in candidates}
        ).values_list("recipient_id", "key")
    )
    return [(rsvp, key) for rsvp, key in candidates if (rsvp.member_id, key) not in sent]


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind every member due a reminder now; returns how many notifications were recorded."""
    now = now or timezone.now()
    count = 0
    for rsvp, key in reminders_due(now=now):
        event = rsvp.event
        notification = notify(
            recipient=rsvp.member,
            kind=Kind.EVENT_REMINDER,
            message=REMINDER_MESSAGE,
            params={"title": event.title, "starts_at": event.starts_at.isoformat()},
            url=url_of(event),
            key=key,
        )
        count += notification is not None
    return count
