"""Calendar invitations (iTIP, RFC 5546) carried by the e-mails of a member's answers and of event changes.

A member going gets `METHOD:REQUEST` (added to their calendar, updated by each later REQUEST with a
higher SEQUENCE); not going any more, or the event cancelled, gets `METHOD:CANCEL` (removed). The
UID is the event's, as in the .ics feeds, so a calendar subscribed to my feed and an invitation
land on the same entry. Replies are not asked for (RSVP=FALSE): the organizer's address is the
site's no-reply address, and answers are given on Cercle.

The SEQUENCE of one member's copy starts from the feeds' (the same UID may reach a calendar both
ways, and a copy older than the feed's would be ignored) and adds the event's and the answer's
change counters, so two changes within one second still rise.
"""

import datetime as dt
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.utils import timezone

from events.ical import PRODID, feed_sequence, vevent_of
from events.models import Event, Rsvp

REQUEST = "REQUEST"
CANCEL = "CANCEL"
METHODS = (REQUEST, CANCEL)


def invitation_sequence(*, event: Event, rsvp: Rsvp | None) -> int:
    return feed_sequence(event) + event.sequence + (rsvp.sequence if rsvp else 0)


def invitation_params(*, event: Event, rsvp: Rsvp, method: str) -> dict:
    """What a notification keeps to attach the invitation when its e-mail is sent: the SEQUENCE is
    taken now, so a REQUEST and a CANCEL sent late by the worker still come in their order."""
    return {"event_id": event.pk, "itip": method, "sequence": invitation_sequence(event=event, rsvp=rsvp)}


def invitation_ics(*, event: Event, attendee, method: str, sequence: int) -> bytes:
    """One member's copy of the event, to add or update (REQUEST) or to remove (CANCEL)."""
    if method not in METHODS:
        raise ValueError(f"Unknown iTIP method {method!r}")
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    vevent = vevent_of(event=event, stamp=stamp)
    vevent.sequence = sequence
    if method == CANCEL:
        vevent["STATUS"] = "CANCELLED"
    organizer_name = event.circle.name if event.circle_id else settings.SITE_NAME
    vevent.organizer = icalendar.vCalAddress.new(parseaddr(settings.DEFAULT_FROM_EMAIL)[1], cn=organizer_name)
    name = getattr(getattr(attendee, "profile", None), "display_name", "") or attendee.email
    vevent.attendees = [
        icalendar.vCalAddress.new(
            attendee.email,
            cn=name,
            role="REQ-PARTICIPANT",
            partstat="ACCEPTED" if method == REQUEST else "DECLINED",
            rsvp=False,
        )
    ]
    calendar = icalendar.Calendar.new(prodid=PRODID, method=method)
    calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def invitation_attach(notification, message) -> None:
    """The e-mail of an answer or of a change carries the invitation its notification asked for."""
    params = notification.params or {}
    method, event_id, sequence = params.get("itip"), params.get("event_id"), params.get("sequence")
    if method not in METHODS or not isinstance(event_id, int) or not isinstance(sequence, int):
        return
    event = Event.objects.select_related("circle", "city").filter(pk=event_id).first()
    if event is None:
        return
    ics = invitation_ics(event=event, attendee=notification.recipient, method=method, sequence=sequence)
    # In the alternatives, calendar clients show it as an invitation; attached, anyone can open it.
    message.attach_alternative(ics.decode(), f"text/calendar; method={method}")
    message.attach("invitation.ics", ics, "application/ics")
