"""Calendar invitations (iTIP, RFC 5546): going puts the event in my calendar, a change updates it,
not going or a cancellation takes it out — parsed back as a calendar client would."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.core import mail

from events import services
from events.ical import event_uid
from notifications.models import Kind
from notifications.services import preferences_save

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# Saturday 30 October 2027, 10:00 in Paris (summer time): the clocks go back the next night.
BEFORE_DST = dt.datetime(2027, 10, 30, 10, 0, tzinfo=PARIS)


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run the block, then the e-mails it queued (the tests' queue runs them at once)."""

    def run(block):
        with django_capture_on_commit_callbacks(execute=True):
            block()
        return mail.outbox[-1] if mail.outbox else None

    return run


@pytest.fixture
def breakfast(circle, owner, make_event):
    return make_event(circle, owner, starts_at=BEFORE_DST, ends_at=BEFORE_DST + dt.timedelta(hours=2))


def _invitation(message) -> tuple[str, icalendar.Calendar]:
    """The text/calendar alternative: its method parameter and the calendar it holds."""
    [(content, mimetype)] = [(c, m) for c, m in message.alternatives if m.startswith("text/calendar")]
    calendar = icalendar.Calendar.from_ical(content)
    [attachment] = [a for a in message.attachments if a[0] == "invitation.ics"]
    assert icalendar.Calendar.from_ical(attachment[1]).to_ical() == calendar.to_ical()
    return mimetype, calendar


def _event_of(calendar: icalendar.Calendar) -> icalendar.Event:
    [vevent] = calendar.walk("VEVENT")
    return vevent


def test_going_sends_a_request_the_calendar_adds(member, breakfast, sent):
    message = sent(lambda: services.rsvp_submit(member=member, event=breakfast, going=True))

    assert message.to == [member.email]
    mimetype, calendar = _invitation(message)
    assert mimetype == "text/calendar; method=REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    vevent = _event_of(calendar)
    assert str(vevent["UID"]) == event_uid(event=breakfast)
    assert vevent.start == BEFORE_DST and vevent.start.tzinfo.key == "Europe/Paris"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    organizer, [attendee] = vevent["ORGANIZER"], vevent.attendees
    assert str(organizer) == "mailto:no-reply@cercle.local" and organizer.params["CN"] == breakfast.circle.name
    assert str(attendee) == f"mailto:{member.email}"
    assert attendee.params["PARTSTAT"] == "ACCEPTED"
    # No reply asked for: it would go to a no-reply address.
    assert attendee.params["RSVP"] == "FALSE"
    stop = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/notifications/unsubscribe/" in stop and stop in message.body


def test_a_change_across_the_dst_change_sends_an_update_with_a_higher_sequence(owner, member, breakfast, sent):
    first = _event_of(_invitation(sent(lambda: services.rsvp_submit(member=member, event=breakfast, going=True)))[1])
    # Moved to Monday at 10:00, after the clocks went back (UTC+1 instead of UTC+2).
    monday = dt.datetime(2027, 11, 1, 10, 0, tzinfo=PARIS)
    message = sent(
        lambda: services.event_update(
            organizer=owner, event=breakfast, starts_at=monday, ends_at=monday + dt.timedelta(hours=2)
        )
    )

    mimetype, calendar = _invitation(message)
    assert mimetype == "text/calendar; method=REQUEST"
    update = _event_of(calendar)
    assert update["UID"] == first["UID"]
    assert update["SEQUENCE"] > first["SEQUENCE"]
    assert update.start == monday and update.start.strftime("%H:%M") == "10:00"
    assert update.start.astimezone(dt.UTC).hour == 9 and first.start.astimezone(dt.UTC).hour == 8
    offsets = {rule["TZOFFSETTO"].td for rule in calendar.walk("VTIMEZONE")[0].subcomponents}
    assert {dt.timedelta(hours=1), dt.timedelta(hours=2)} <= offsets  # winter and summer rules travel with it


def test_not_going_any_more_sends_a_cancel_that_outranks_the_request(member, breakfast, sent):
    request = _event_of(_invitation(sent(lambda: services.rsvp_submit(member=member, event=breakfast, going=True)))[1])
    message = sent(lambda: services.rsvp_submit(member=member, event=breakfast, going=False))

    mimetype, calendar = _invitation(message)
    assert mimetype == "text/calendar; method=CANCEL" and calendar["METHOD"] == "CANCEL"
    cancel = _event_of(calendar)
    assert cancel["UID"] == request["UID"] and cancel["SEQUENCE"] > request["SEQUENCE"]
    assert cancel["STATUS"] == "CANCELLED"
    # Going again: a new request, newer than the cancellation.
    again = sent(lambda: services.rsvp_submit(member=member, event=breakfast, going=True))
    assert _event_of(_invitation(again)[1])["SEQUENCE"] > cancel["SEQUENCE"]


def test_a_cancelled_event_is_taken_out_of_the_calendars_of_those_going_only(
    owner, member, circle, make_event, members_of, sent
):
    full = make_event(circle, owner, capacity=1)
    (waiting,) = members_of(circle, 1)
    sent(lambda: services.rsvp_submit(member=member, event=full, going=True))
    sent(lambda: services.rsvp_submit(member=waiting, event=full, going=True))
    mail.outbox.clear()

    sent(lambda: services.event_cancel(organizer=owner, event=full))

    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert _invitation(by_recipient[member.email])[0] == "text/calendar; method=CANCEL"
    assert not by_recipient[waiting.email].alternatives  # never in their calendar: nothing to take out


def test_the_waitlist_gets_the_invitation_once_a_seat_frees_up(owner, member, circle, make_event, members_of, sent):
    full = make_event(circle, owner, capacity=1)
    (waiting,) = members_of(circle, 1)
    sent(lambda: services.rsvp_submit(member=member, event=full, going=True))
    waitlisted = sent(lambda: services.rsvp_submit(member=waiting, event=full, going=True))
    assert waitlisted.to == [waiting.email] and not waitlisted.alternatives
    mail.outbox.clear()

    sent(lambda: services.rsvp_submit(member=member, event=full, going=False))

    promoted = next(m for m in mail.outbox if m.to == [waiting.email])
    assert _invitation(promoted)[0] == "text/calendar; method=REQUEST"


def test_the_confirmation_is_in_the_members_language_and_follows_their_preference(member, breakfast, sent):
    member.profile.language = "fr"
    member.profile.save(update_fields=["language"])
    message = sent(lambda: services.rsvp_submit(member=member, event=breakfast, going=True))
    assert "Vous participez à « Petit-déjeuner du Vieux-Port »" in message.subject

    preferences_save(member=member, choices={Kind.RSVP: (True, False)})
    mail.outbox.clear()
    sent(lambda: services.rsvp_submit(member=member, event=breakfast, going=False))
    assert mail.outbox == []  # in the app only, as chosen
    assert member.notifications.filter(kind=Kind.RSVP).count() == 2

    preferences_save(member=member, choices={Kind.RSVP: (False, False)})
    sent(lambda: services.rsvp_submit(member=member, event=breakfast, going=True))
    assert mail.outbox == [] and member.notifications.filter(kind=Kind.RSVP).count() == 2


def test_an_invitation_is_never_older_than_the_feeds_copy_of_the_same_event(client, member, breakfast, sent):
    from django.urls import reverse

    # Edited five minutes after its creation (by a feed, say): the feed's SEQUENCE has moved on.
    type(breakfast).objects.filter(pk=breakfast.pk).update(updated_at=breakfast.created_at + dt.timedelta(minutes=5))
    breakfast.refresh_from_db()
    invitation = _event_of(
        _invitation(sent(lambda: services.rsvp_submit(member=member, event=breakfast, going=True)))[1]
    )
    feed = icalendar.Calendar.from_ical(client.get(reverse("agenda:event_ics", args=[breakfast.pk])).content)
    [in_feed] = feed.walk("VEVENT")
    assert in_feed["UID"] == invitation["UID"]
    assert invitation["SEQUENCE"] >= in_feed["SEQUENCE"]


def test_an_event_in_montreal_carries_montreals_time_zone(owner, member, circle, make_event, sent):
    montreal = zoneinfo.ZoneInfo("America/Montreal")
    starts = dt.datetime(2027, 11, 20, 18, 30, tzinfo=montreal)
    event = make_event(
        circle, owner, starts_at=starts, ends_at=starts + dt.timedelta(hours=2), time_zone="America/Montreal"
    )

    calendar = _invitation(sent(lambda: services.rsvp_submit(member=member, event=event, going=True)))[1]

    assert _event_of(calendar).start == starts
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Montreal"]
