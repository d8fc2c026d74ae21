"""Writes of events: create, edit, cancel; RSVPs and seats; check-in; "who did you meet?".

Seats never exceed capacity, whatever the concurrency. Three database guarantees, in order:

1. a seat is claimed by a conditional UPDATE of the event's counter
   (`… SET seats_taken = seats_taken + n WHERE seats_taken <= capacity - n`): of many concurrent
   claims at the last seat, exactly one updates a row, the others update none and go on the
   waitlist;
2. the CHECK constraint `never_more_seats_than_capacity` refuses any write past capacity;
3. the UNIQUE constraint `one_rsvp_per_member_and_event`: a member answers once, a second answer
   updates the first.

Every RSVP transaction first locks the event's row (PostgreSQL; SQLite's IMMEDIATE transactions
take the database's write lock at BEGIN), so RSVPs, releases and promotions of one event happen
one after the other in a single lock order — no deadlock between a release that promotes the
waitlist and a waitlisted member answering again.
"""

import calendar
import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from cercle.public_pages import public_content_changed
from events import selectors
from events.ical import place_of
from events.invitations import CANCEL, REQUEST, invitation_params
from events.models import Event, Recurrence, Rsvp, RsvpStatus
from notifications.models import Kind
from notifications.services import notify

NOT_AN_ORGANIZER = _("Only the organizers of this circle can do this.")
NOT_A_MEMBER = _("Only active members of this circle can answer.")
NOT_RSVPABLE = _("This event comes from an external agenda: answer on the organizer's site.")
EVENT_CANCELLED = _("This event is cancelled.")
EVENT_STARTED = _("This event has already started.")
EVENT_NOT_OVER = _("You can say who you met once the event is over.")
NOT_AN_ATTENDEE = _("Only people who were going can say who they met.")
GUEST_NOT_ALLOWED = _("The organizers did not open this event to guests.")
GUEST_NO_SEAT = _("There is no seat left for your guest.")
CAPACITY_BELOW_TAKEN = _("%(taken)s seats are already taken: the capacity cannot be lower.")
ENDS_BEFORE_START = _("The event must end after it starts.")
UNKNOWN_TIME_ZONE = _("Unknown time zone.")
ALREADY_CANCELLED = _("This event is already cancelled.")
NOBODY_PICKED = _("Pick at least one person you met.")
NOT_A_FELLOW_ATTENDEE = _("Pick only people who were going to this event.")
CHECK_IN_NOT_GOING = _("Only people who are going can be checked in.")

# Notifications are stored as message ids, read in each recipient's language.
MSG_EVENT_CHANGED = gettext_noop("“%(title)s” has changed: check the date, time and place.")
MSG_EVENT_CANCELLED = gettext_noop("“%(title)s” is cancelled.")
MSG_EVENT_CANCELLED_BECAUSE = gettext_noop("“%(title)s” is cancelled. The organizers say: “%(reason)s”")
# A change is written out, old → new, in each recipient's language and time zone.
# (No full stop after a time: English times may end with "a.m.".)
MSG_EVENT_MOVED_IN_TIME = gettext_noop("“%(title)s” moves from %(old_starts_at)s to %(new_starts_at)s")
MSG_EVENT_MOVED_PLACE = gettext_noop("“%(title)s” moves from %(old_place)s to %(new_place)s.")
MSG_EVENT_MOVED = gettext_noop(
    "“%(title)s” moves from %(old_starts_at)s, %(old_place)s, to %(new_starts_at)s, %(new_place)s."
)
CANCEL_REASON_MAX = 500
MSG_WAITLIST_PROMOTED = gettext_noop("A seat freed up: you are going to “%(title)s”.")
MSG_RSVP_GOING = gettext_noop("You are going to “%(title)s”, %(starts_at)s.")
MSG_RSVP_WAITLIST = gettext_noop(
    "You are on the waitlist of “%(title)s”, %(starts_at)s: you will be told if a seat frees up."
)
MSG_RSVP_NOT_GOING = gettext_noop("You are no longer going to “%(title)s”, %(starts_at)s.")

# A series is created up to this horizon: at most this many occurrences, within these months.
SERIES_MAX_OCCURRENCES = 12
SERIES_HORIZON_MONTHS = 6

EVENT_FIELDS = (
    "title", "description", "format", "family", "topics", "starts_at", "ends_at", "time_zone", "venue",
    "address", "city", "language", "capacity", "allow_guest", "is_free", "price", "ticket_url",
)  # fmt: skip


def event_url(event: Event) -> str:
    return reverse("events:event_detail", kwargs={"event_id": event.pk})


# --- Events -----------------------------------------------------------------------------------


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def series_starts(*, starts_at: dt.datetime, time_zone: str, recurrence: str) -> list[dt.datetime]:
    """The start of every occurrence, first included: same wall-clock time in the event's zone
    (a weekly 8:00 breakfast stays at 8:00 across a change to summer time)."""
    zone = ZoneInfo(time_zone)
    local = timezone.localtime(starts_at, zone).replace(tzinfo=None)
    horizon = _add_months(local, SERIES_HORIZON_MONTHS)
    starts = []
    for index in range(SERIES_MAX_OCCURRENCES):
        if recurrence == Recurrence.WEEKLY:
            moment = local + dt.timedelta(weeks=index)
        elif recurrence == Recurrence.MONTHLY:
            moment = _add_months(local, index)
        else:
            moment = local if index == 0 else None
        if moment is None or moment > horizon:
            break
        starts.append(timezone.make_aware(moment, zone))
    return starts


def _check_event(fields: dict) -> None:
    try:
        ZoneInfo(fields.get("time_zone") or "Europe/Paris")
    except (ValueError, KeyError):
        raise ValidationError(UNKNOWN_TIME_ZONE) from None
    if fields["ends_at"] < fields["starts_at"]:
        raise ValidationError(ENDS_BEFORE_START)


def search_text_of(event: Event) -> str:
    from places.text import fold

    parts = [event.title, event.venue, event.address, event.city.name if event.city_id else "", *event.topics]
    return fold(" | ".join(p for p in parts if p))


def event_create(*, organizer, circle, recurrence: str = Recurrence.NONE, **fields) -> Event:
    """An event of a circle, by one of its organizers; a weekly or monthly series creates its
    occurrences up to the horizon (the first event heads the series)."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"Not event fields: {sorted(unknown)}")
    if not selectors.is_organizer(organizer, circle.pk):
        raise ValidationError(NOT_AN_ORGANIZER)
    _check_event(fields)
    if not fields.get("family"):
        fields["family"] = circle.family
    starts = series_starts(
        starts_at=fields["starts_at"], time_zone=fields.get("time_zone") or "Europe/Paris", recurrence=recurrence
    )
    duration = fields["ends_at"] - fields["starts_at"]
    with transaction.atomic():
        head = None
        for starts_at in starts:
            event = Event(
                circle=circle,
                created_by=organizer,
                recurrence=recurrence,
                series=head,
                **{**fields, "starts_at": starts_at, "ends_at": starts_at + duration},
            )
            event.full_clean(exclude=["circle", "created_by", "series"])
            event.search_text = search_text_of(event)
            event.save()
            head = head or event
    return head


def _answered(event: Event) -> list[Rsvp]:
    """Those to tell about a change: every member going or on the waitlist."""
    return list(
        event.rsvps.filter(status__in=[RsvpStatus.GOING, RsvpStatus.WAITLIST], member__is_active=True).select_related(
            "member"
        )
    )


def _invitation(event: Event, rsvp: Rsvp, method: str) -> dict:
    """The calendar invitation a notification's e-mail carries: only for those going."""
    return invitation_params(event=event, rsvp=rsvp, method=method) if rsvp.status == RsvpStatus.GOING else {}


def event_update(*, organizer, event: Event, **fields) -> Event:
    """Edit one event (one occurrence of a series); those who answered are told when it changed.

    A lower capacity is written only if the seats already taken fit (a conditional update, like
    a seat claim); a higher one promotes the waitlist."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"Not event fields: {sorted(unknown)}")
    if not selectors.is_organizer(organizer, event.circle_id):
        raise ValidationError(NOT_AN_ORGANIZER)
    if event.state == Event.State.CANCELLED:
        raise ValidationError(EVENT_CANCELLED)
    _check_event({"starts_at": event.starts_at, "ends_at": event.ends_at, "time_zone": event.time_zone, **fields})
    if "family" in fields and not fields["family"]:
        fields["family"] = event.circle.family  # "as the circle"
    capacity = fields.pop("capacity", event.capacity)
    changed = [name for name, value in fields.items() if getattr(event, name) != value]
    old_starts_at, old_place = event.starts_at, place_of(event)
    promoted: list[Rsvp] = []
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if capacity != locked.capacity:
            if capacity is not None:
                done = Event.objects.filter(pk=event.pk, seats_taken__lte=capacity).update(capacity=capacity)
                if not done:
                    raise ValidationError(CAPACITY_BELOW_TAKEN, params={"taken": locked.seats_taken})
            else:
                Event.objects.filter(pk=event.pk).update(capacity=None)
            changed.append("capacity")
        for name, value in fields.items():
            setattr(event, name, value)
        event.full_clean(exclude=["circle", "created_by", "series", "city", "capacity", "seats_taken"])
        event.search_text = search_text_of(event)
        event.save(update_fields=[*fields, "search_text", "updated_at"])
        if set(changed) - {"capacity"}:
            Event.objects.filter(pk=event.pk).update(sequence=F("sequence") + 1)
        event.refresh_from_db(fields=["capacity", "seats_taken", "sequence"])
        if "capacity" in changed:
            promoted = _promote_waitlist(event_id=event.pk)
    _tell_promoted(event, promoted)
    if set(changed) - {"capacity"}:
        message, params = _change_written_out(event, old_starts_at, old_place)
        for rsvp in _answered(event):
            if rsvp.member_id != organizer.pk:
                notify(
                    recipient=rsvp.member,
                    kind=Kind.EVENT_CHANGED,
                    message=message,
                    params={**params, **_invitation(event, rsvp, REQUEST)},
                    url=event_url(event),
                )
    return event


def _change_written_out(event: Event, old_starts_at: dt.datetime, old_place: str) -> tuple[str, dict]:
    """What moved, old → new (times stored as ISO `…_at`: each recipient reads them in their own
    language and time zone); any other change is only pointed at."""
    params = {"title": event.title}
    moved_in_time = event.starts_at != old_starts_at
    new_place = place_of(event)
    moved_place = new_place != old_place and bool(old_place or new_place)
    if moved_in_time:
        params |= {"old_starts_at": old_starts_at.isoformat(), "new_starts_at": event.starts_at.isoformat()}
    if moved_place:
        params |= {"old_place": old_place or "?", "new_place": new_place or "?"}
    if moved_in_time and moved_place:
        return MSG_EVENT_MOVED, params
    if moved_in_time:
        return MSG_EVENT_MOVED_IN_TIME, params
    if moved_place:
        return MSG_EVENT_MOVED_PLACE, params
    return MSG_EVENT_CHANGED, params


def event_cancel(*, organizer, event: Event, reason: str = "") -> Event:
    """The event is cancelled (kept, with its answers, for the record); those who answered are told,
    with the organizer's reason when one is given."""
    if not selectors.is_organizer(organizer, event.circle_id):
        raise ValidationError(NOT_AN_ORGANIZER)
    reason = " ".join(reason.split())[:CANCEL_REASON_MAX]
    done = Event.objects.filter(pk=event.pk, state=Event.State.SCHEDULED).update(
        state=Event.State.CANCELLED, cancel_reason=reason, sequence=F("sequence") + 1, updated_at=timezone.now()
    )
    if not done:
        raise ValidationError(ALREADY_CANCELLED)
    public_content_changed()  # an UPDATE sends no signal
    event.state = Event.State.CANCELLED
    event.refresh_from_db(fields=["cancel_reason", "sequence", "updated_at"])
    message = MSG_EVENT_CANCELLED_BECAUSE if reason else MSG_EVENT_CANCELLED
    for rsvp in _answered(event):
        if rsvp.member_id != organizer.pk:
            notify(
                recipient=rsvp.member,
                kind=Kind.EVENT_CHANGED,
                message=message,
                params={
                    "title": event.title,
                    **({"reason": reason} if reason else {}),
                    **_invitation(event, rsvp, CANCEL),
                },
                url=event_url(event),
            )
    return event


# --- Seats ------------------------------------------------------------------------------------


def _claim_seats(*, event_id: int, seats: int) -> bool:
    """Take `seats` seats if they are free: one conditional UPDATE, atomic in the database."""
    fits = Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity") - seats)
    public_content_changed()  # the seats left, on the public pages
    return Event.objects.filter(fits, pk=event_id).update(seats_taken=F("seats_taken") + seats) == 1


def _release_seats(*, event_id: int, seats: int) -> None:
    if seats:
        public_content_changed()
        Event.objects.filter(pk=event_id, seats_taken__gte=seats).update(seats_taken=F("seats_taken") - seats)


def _seats_wanted(rsvp: Rsvp) -> int:
    return 2 if rsvp.with_guest else 1


def _promote_waitlist(*, event_id: int) -> list[Rsvp]:
    """First come, first served: promote, in waitlist order, everyone who now fits.

    Each promotion claims its seats with the same conditional update. Someone whose guest does
    not fit keeps their place while the next ones (alone) may take the single seat left.
    Runs inside the caller's transaction, with the event's row locked.
    """
    event = Event.objects.only("capacity", "seats_taken").get(pk=event_id)
    free = None if event.capacity is None else event.capacity - event.seats_taken
    promoted: list[Rsvp] = []
    waiting = (
        Rsvp.objects.filter(event_id=event_id, status=RsvpStatus.WAITLIST)
        .select_related("member")
        .order_by("waitlisted_at", "pk")
    )
    after = Q()
    while free is None or free > 0:
        # Batches read before writing (keyset on the waitlist order): SQLite gives no isolation
        # between a cursor still being read and writes to its rows on the same connection.
        batch = list(waiting.filter(after)[:100])
        if not batch:
            break
        last = batch[-1]
        after = Q(waitlisted_at__gt=last.waitlisted_at) | Q(waitlisted_at=last.waitlisted_at, pk__gt=last.pk)
        for rsvp in batch:
            seats = _seats_wanted(rsvp)
            if free is not None and seats > free:
                if free <= 0:
                    break
                continue  # their guest does not fit; the next one alone may
            if not _claim_seats(event_id=event_id, seats=seats):
                break
            free = None if free is None else free - seats
            rsvp.status, rsvp.seats, rsvp.waitlisted_at = RsvpStatus.GOING, seats, None
            rsvp.moved_up_at = timezone.now()
            rsvp.sequence += 1
            rsvp.save(update_fields=["status", "seats", "waitlisted_at", "moved_up_at", "sequence", "updated_at"])
            promoted.append(rsvp)
    return promoted


def waitlist_promote(*, event_id: int) -> list[Rsvp]:
    """Move the waitlist of an upcoming event up into the free seats (after an account deletion)."""
    with transaction.atomic():
        event = (
            Event.objects.select_for_update()
            .filter(pk=event_id, state=Event.State.SCHEDULED, starts_at__gt=timezone.now())
            .first()
        )
        if event is None:
            return []
        promoted = _promote_waitlist(event_id=event_id)
    _tell_promoted(event, promoted)
    return promoted


def _tell_promoted(event: Event, promoted: list[Rsvp]) -> None:
    for rsvp in promoted:
        notify(
            recipient=rsvp.member,
            kind=Kind.WAITLIST_PROMOTED,
            message=MSG_WAITLIST_PROMOTED,
            params={"title": event.title, **_invitation(event, rsvp, REQUEST)},
            url=event_url(event),
        )


def _confirm_answer(event: Event, rsvp: Rsvp, *, was_going: bool) -> None:
    """Going: confirmed with an invitation for the calendar; no longer going: taken out of it;
    on the waitlist: told so. A "not going" that changes nothing is not confirmed."""
    if rsvp.status == RsvpStatus.GOING:
        message, method = MSG_RSVP_GOING, REQUEST
    elif rsvp.status == RsvpStatus.WAITLIST:
        message, method = MSG_RSVP_WAITLIST, None
    elif was_going:
        message, method = MSG_RSVP_NOT_GOING, CANCEL
    else:
        return
    itip = invitation_params(event=event, rsvp=rsvp, method=method) if method else {}
    notify(
        recipient=rsvp.member,
        kind=Kind.RSVP,
        message=message,
        params={"title": event.title, "starts_at": event.starts_at.isoformat(), **itip},
        url=event_url(event),
    )


def _check_rsvp(*, member, event: Event, going: bool, with_guest: bool) -> None:
    if event.circle_id is None:
        raise ValidationError(NOT_RSVPABLE)
    if event.state == Event.State.CANCELLED:
        raise ValidationError(EVENT_CANCELLED)
    if selectors.has_started(event):
        raise ValidationError(EVENT_STARTED)
    if not selectors.may_rsvp(member, event):
        raise ValidationError(NOT_A_MEMBER)
    if going and with_guest and not event.allow_guest:
        raise ValidationError(GUEST_NOT_ALLOWED)


def rsvp_submit(*, member, event: Event, going: bool, with_guest: bool = False, guest_name: str = "") -> Rsvp:
    """Answer going or not going; the answer replaces any earlier one.

    Going claims one seat (two with a guest); when they are not free, the member joins the
    waitlist (first come, first served). Not going frees the seats and promotes the waitlist.
    """
    _check_rsvp(member=member, event=event, going=going, with_guest=with_guest)
    with_guest = going and with_guest
    guest_name = guest_name.strip()[:120] if with_guest else ""
    with transaction.atomic():
        # One lock order for every writer of this event's seats: the event's row first.
        locked = Event.objects.select_for_update().only("state", "allow_guest").get(pk=event.pk)
        if locked.state == Event.State.CANCELLED:
            raise ValidationError(EVENT_CANCELLED)
        if with_guest and not locked.allow_guest:
            raise ValidationError(GUEST_NOT_ALLOWED)
        before = Rsvp.objects.filter(event=event, member=member).values_list("status", flat=True).first()
        rsvp, promoted = _rsvp_write(
            member=member, event=event, going=going, with_guest=with_guest, guest_name=guest_name
        )
    event.refresh_from_db(fields=["seats_taken", "capacity"])
    _tell_promoted(event, promoted)
    if rsvp.status != before:  # a new guest alone changes no calendar
        _confirm_answer(event, rsvp, was_going=before == RsvpStatus.GOING)
    return rsvp


def _rsvp_write(*, member, event: Event, going: bool, with_guest: bool, guest_name: str) -> tuple[Rsvp, list[Rsvp]]:
    # The event's row is locked: nobody else writes this member's answer meanwhile (the unique
    # constraint would refuse a second row anyway).
    rsvp = Rsvp.objects.select_for_update().filter(event=event, member=member).first()
    created = rsvp is None
    if created:
        rsvp = Rsvp(event=event, member=member, status=RsvpStatus.NOT_GOING)
    wanted = (2 if with_guest else 1) if going else 0
    held = rsvp.seats if rsvp.status == RsvpStatus.GOING else 0
    was_waiting = rsvp.status == RsvpStatus.WAITLIST

    if going and rsvp.status == RsvpStatus.GOING:
        if wanted > held and not _claim_seats(event_id=event.pk, seats=wanted - held):
            raise ValidationError(GUEST_NO_SEAT)
        _release_seats(event_id=event.pk, seats=max(held - wanted, 0))
        rsvp.seats = wanted
    elif going and was_waiting:
        pass  # still waiting, same place in line; a change of guest may let them in below
    elif going and _claim_seats(event_id=event.pk, seats=wanted):
        rsvp.status, rsvp.seats, rsvp.waitlisted_at = RsvpStatus.GOING, wanted, None
    elif going:
        rsvp.status, rsvp.seats, rsvp.waitlisted_at = RsvpStatus.WAITLIST, 0, timezone.now()
    else:
        _release_seats(event_id=event.pk, seats=held)
        rsvp.status, rsvp.seats, rsvp.waitlisted_at = RsvpStatus.NOT_GOING, 0, None

    rsvp.with_guest, rsvp.guest_name = with_guest, guest_name
    if created:
        rsvp.save(force_insert=True)
    else:
        rsvp.sequence += 1
        rsvp.save(
            update_fields=["status", "seats", "waitlisted_at", "with_guest", "guest_name", "sequence", "updated_at"]
        )
    promoted: list[Rsvp] = []
    # Seats freed, or a waiting member changed their guest: whoever fits now moves up.
    if held > rsvp.seats or (was_waiting and going):
        promoted = _promote_waitlist(event_id=event.pk)
        if any(p.pk == rsvp.pk for p in promoted):
            rsvp.refresh_from_db()
            promoted = [p for p in promoted if p.pk != rsvp.pk]
    return rsvp, promoted


# --- Check-in ---------------------------------------------------------------------------------


def rsvp_check_in(*, organizer, rsvp: Rsvp, checked_in: bool = True) -> Rsvp:
    """An organizer checks someone going in (or undoes it); checking in twice changes nothing.
    Checking in only from a day before the event starts to a day after it ends; undoing, always."""
    if not selectors.is_organizer(organizer, rsvp.event.circle_id):
        raise ValidationError(NOT_AN_ORGANIZER)
    if rsvp.status != RsvpStatus.GOING:
        raise ValidationError(CHECK_IN_NOT_GOING)
    if checked_in and rsvp.checked_in_at is None:
        window = selectors.checkin_window(rsvp.event)
        if not window.is_open:
            raise ValidationError(window.refusal)
        rsvp.checked_in_at = timezone.now()
    elif not checked_in:
        rsvp.checked_in_at = None
    rsvp.save(update_fields=["checked_in_at", "updated_at"])
    return rsvp


# --- Who did you meet? ------------------------------------------------------------------------


def how_met_of(event: Event) -> str:
    """ "Breakfast of the Vieux-Port — 12/03/2027", in the active language."""
    from django.utils.formats import date_format

    day = timezone.localtime(event.starts_at, ZoneInfo(event.time_zone)).date()
    return f"{event.title} — {date_format(day, 'SHORT_DATE_FORMAT')}"


def event_met_record(*, member, event: Event, met_ids: Iterable[int]) -> list:
    """ "Who did you meet?": the picked fellow attendees become contacts (how met = this event)
    and one interaction of kind "event". A contact already linked to that member is reused, not
    duplicated; someone already recorded for this event is not logged twice."""
    from django.contrib.auth import get_user_model

    from network.models import Contact, Interaction, InteractionKind, Source
    from network.services import contact_create, interaction_log

    if not selectors.has_ended(event):
        raise ValidationError(EVENT_NOT_OVER)
    if not Rsvp.objects.filter(event=event, member=member, status=RsvpStatus.GOING).exists():
        raise ValidationError(NOT_AN_ATTENDEE)
    met_ids = {int(pk) for pk in met_ids}
    if not met_ids:
        raise ValidationError(NOBODY_PICKED)
    candidates = {p.user_id: p for p in selectors.met_candidates(member, event)}
    if not met_ids <= set(candidates):
        raise ValidationError(NOT_A_FELLOW_ATTENDEE)
    day = timezone.localtime(event.starts_at, ZoneInfo(event.time_zone)).date()
    how_met = how_met_of(event)
    users = get_user_model().objects.in_bulk(met_ids)
    with transaction.atomic():
        contacts = []
        for user_id in sorted(met_ids):
            person = candidates[user_id]
            contact = Contact.objects.filter(owner=member, member_id=user_id).order_by("archived", "pk").first()
            if contact is None:
                contact = contact_create(
                    owner=member,
                    full_name=person.name,
                    position=person.headline[:200],
                    city=person.city[:120],
                    how_met=how_met,
                    met_on=day,
                    source=Source.EVENT,
                    member=users[user_id],
                )
            contacts.append(contact)
        already = set(
            Interaction.objects.filter(
                owner=member, kind=InteractionKind.EVENT, occurred_on=day, contacts__in=contacts
            ).values_list("contacts", flat=True)
        )
        fresh = [c for c in contacts if c.pk not in already]
        if fresh:
            interaction_log(owner=member, contacts=fresh, kind=InteractionKind.EVENT, occurred_on=day, note=event.title)
    return contacts
