"""iCalendar (RFC 5545) in and out, through the icalendar library.

Out: `calendar_of()` turns events into a calendar with a VTIMEZONE per time zone used, a stable
UID per event, DTSTAMP, SEQUENCE and LAST-MODIFIED, STATUS:CANCELLED for cancelled events and a
URL back to the event's page.

In: `parse_feed()` reads an external feed into plain `ParsedEvent`s, or raises `FeedRejected`
with the reason; it writes nothing (events/feeds.py upserts). A feed is rejected when it is larger
than MAX_FEED_BYTES, not UTF-8 text, not iCalendar at all, truncated (a calendar without its
END:VCALENDAR), unreadable, or when an event
repeats more often than daily or expands into more than MAX_EXPANDED occurrences within the window.
Recurrences are expanded with recurring_ical_events (which also honours X-WR-TIMEZONE) within a
window of WINDOW_DAYS from now; the MAX_OCCURRENCES first occurrences are kept, each with a stable
uid: the event's UID for a single event, "<UID>#<recurrence id>" for an occurrence of a series.
An event without a start or a title, or with an unreadable date or rule, is skipped and counted
as rejected; the rest of the feed is imported.

The format of an imported event is guessed from its SUMMARY (accents and case ignored), first
match wins: "petit-déjeuner"/"breakfast" → breakfast, "déjeuner"/"lunch" → lunch,
"afterwork"/"after-work" → after-work, "barcamp" or "samedi" with "camp" → Saturday camp,
"conférence"/"conference" → conference, anything else → evening.
"""

import datetime as dt
import hashlib
import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from events.agenda import event_page_url, zone_named
from events.models import CalendarToken, Event, new_calendar_token
from events.vocab import EventFormat
from places.text import fold

PRODID = "-//Cercle//Cercle agenda//EN"
MAX_FEED_BYTES = 5 * 1024 * 1024
WINDOW_DAYS = 365
MAX_OCCURRENCES = 500
# Beyond this many occurrences in the window, a feed is not an agenda: an endless recurrence.
MAX_EXPANDED = 20 * MAX_OCCURRENCES
EXPANSION_SECONDS = 20.0
TOO_FREQUENT_RULES = {"SECONDLY", "MINUTELY", "HOURLY"}
DATE_PROPERTIES = {"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"}
SINGLE_PROPERTIES = ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "UID")
TITLE_MAX, VENUE_MAX, UID_MAX, TOPICS_MAX, TOPIC_MAX = 200, 200, 255, 10, 60

# Why a feed is rejected: code -> message (with %(name)s parameters).
TOO_LARGE = "too_large"
WRONG_ENCODING = "wrong_encoding"
NOT_ICALENDAR = "not_icalendar"
TRUNCATED = "truncated"
MALFORMED = "malformed"
TOO_FREQUENT = "too_frequent"
TOO_MANY = "too_many"
TOO_SLOW = "too_slow"
FETCH_FAILED = "fetch_failed"
ADDRESS_REFUSED = "address_refused"
NOT_ALLOWED = "not_allowed"
UNEXPECTED = "unexpected"
REASONS = {
    TOO_LARGE: _("The feed is larger than %(max_mb)s MB."),
    WRONG_ENCODING: _("The feed is not UTF-8 text (%(detail)s)."),
    NOT_ICALENDAR: _("This is not an iCalendar feed: it does not begin with BEGIN:VCALENDAR."),
    TRUNCATED: _("The feed is truncated: it does not end with END:VCALENDAR."),
    MALFORMED: _("The feed cannot be read as iCalendar: %(detail)s"),
    TOO_FREQUENT: _("An event repeats more often than daily (%(frequency)s): an endless recurrence."),
    TOO_MANY: _("The feed expands into more than %(max)s events within a year: an endless recurrence."),
    TOO_SLOW: _("Expanding the feed's recurrences takes too long: an endless recurrence."),
    FETCH_FAILED: _("The feed could not be fetched: %(detail)s"),
    ADDRESS_REFUSED: _("This address is not allowed: %(detail)s"),
    NOT_ALLOWED: _("Only Cercle's operators add feeds to a city's agenda: this feed is no longer fetched."),
    UNEXPECTED: _("The feed could not be imported (unexpected error)."),
}

# Why one event of a feed is skipped (counted as rejected, the feed is still imported).
NO_START = _("An event has no valid start.")
NO_TITLE = _("An event has no title.")
BAD_SERIES = _("A recurring event cannot be read: %(detail)s")
DUPLICATE = _("Two events share the UID %(uid)s.")


class FeedRejected(Exception):
    """The whole feed is refused; nothing of it is written."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(self.english())

    def message(self) -> str:
        """In the active language."""
        return reason_text(code=self.code, params=self.params)

    def english(self) -> str:
        with translation.override("en"):
            return self.message()


def reason_text(*, code: str, params: dict | None = None) -> str:
    template = REASONS.get(code, REASONS[UNEXPECTED])
    try:
        return str(template) % (params or {})
    except (KeyError, TypeError, ValueError):
        return str(REASONS[UNEXPECTED])


# --- Out: events as a calendar ----------------------------------------------------------------


def _site_host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "cercle.local"


def event_uid(*, event: Event) -> str:
    return f"event-{event.pk}@{_site_host()}"


def feed_sequence(event: Event) -> int:
    """Grows each time the event is saved: seconds between its creation and its last change."""
    if not event.updated_at or not event.created_at:
        return 0
    return max(0, int((event.updated_at - event.created_at).total_seconds()))


def place_of(event: Event) -> str:
    """Venue, address and town, as written on invitations and change notices."""
    city = event.city.name if event.city_id else ""
    parts = [event.venue, event.address]
    if city and all(city.casefold() not in part.casefold() for part in parts if part):
        parts.append(city)
    return ", ".join(part for part in parts if part)


def vevent_of(*, event: Event, stamp: dt.datetime, tentative: bool = False) -> icalendar.Event:
    zone = zone_named(event.time_zone)
    page = event_page_url(event_id=event.pk)
    cancelled = event.state == Event.State.CANCELLED
    status = "CANCELLED" if cancelled else "TENTATIVE" if tentative else "CONFIRMED"
    component = icalendar.Event.new(
        uid=event_uid(event=event),
        summary=event.title,
        description=event.description or None,
        start=event.starts_at.astimezone(zone),
        end=event.ends_at.astimezone(zone),
        stamp=stamp,
        created=event.created_at.astimezone(dt.UTC) if event.created_at else None,
        last_modified=event.updated_at.astimezone(dt.UTC) if event.updated_at else None,
        sequence=feed_sequence(event),
        location=place_of(event) or None,
        status=status,
        url=f"{settings.SITE_URL}{page}" if page else (event.ticket_url or None),
        categories=[str(topic) for topic in event.topics or []][:TOPICS_MAX],
    )
    return component


def calendar_of(
    *,
    events: list[Event],
    name: str,
    uid: str,
    description: str = "",
    refresh_hours: int | None = None,
    tentative_ids: set[int] | frozenset[int] = frozenset(),
) -> bytes:
    """A whole VCALENDAR for these events, in RFC 5545 bytes (tentative: I am on the waitlist)."""
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    calendar = icalendar.Calendar.new(
        prodid=PRODID,
        name=str(name),
        description=str(description) or None,
        uid=f"{uid}@{_site_host()}",
        refresh_interval=dt.timedelta(hours=refresh_hours) if refresh_hours else None,
        method="PUBLISH",
        calscale="GREGORIAN",
    )
    if refresh_hours:
        # RFC 7986 wants VALUE=DURATION on REFRESH-INTERVAL; Outlook and Google read X-PUBLISHED-TTL.
        calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
        calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(dt.timedelta(hours=refresh_hours)))
    for event in events:
        calendar.add_component(vevent_of(event=event, stamp=stamp, tentative=event.pk in tentative_ids))
    if events:
        first = min(event.starts_at for event in events).date() - dt.timedelta(days=1)
        last = max(event.ends_at for event in events).date() + dt.timedelta(days=400)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def calendar_token_of(*, token: str | None = None, owner=None) -> CalendarToken | None:
    """The private calendar's token, by its value (the feed) or by its owner (the page)."""
    tokens = CalendarToken.objects.select_related("owner").filter(owner__is_active=True)
    if token is not None:
        return tokens.filter(token=token).first() if token else None
    return tokens.filter(owner=owner).first()


def calendar_token_renew(*, owner) -> CalendarToken:
    """A new private address for my calendar; the old one stops working at once."""
    calendar_token, created = CalendarToken.objects.get_or_create(owner=owner)
    if not created:
        calendar_token.token = new_calendar_token()
        calendar_token.created_at = timezone.now()
        calendar_token.save(update_fields=["token", "created_at"])
    return calendar_token


# --- In: a feed read into plain events --------------------------------------------------------


@dataclass(frozen=True)
class ParsedEvent:
    uid: str
    title: str
    description: str
    venue: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    cancelled: bool
    topics: list[str]
    link: str
    format: str


@dataclass
class ParsedFeed:
    events: list[ParsedEvent]
    window_start: dt.datetime
    # The latest start the feed's events were read up to: an event of this feed that starts
    # between window_start and horizon and is no longer in the feed has been removed from it.
    horizon: dt.datetime
    rejected: int = 0
    beyond_limit: int = 0
    problems: list[str] = field(default_factory=list)


FORMAT_KEYWORDS = (
    (EventFormat.BREAKFAST, ("petit-dejeuner", "petit dejeuner", "petit dej", "breakfast")),
    (EventFormat.LUNCH, ("dejeuner", "lunch")),
    (EventFormat.AFTER_WORK, ("afterwork", "after-work", "after work")),
    (EventFormat.SATURDAY_CAMP, ("barcamp", "bar camp", "saturday camp")),
    (EventFormat.CONFERENCE, ("conference",)),
)


def infer_format(*, summary: str) -> str:
    """The event's format guessed from its title (see the module's docstring)."""
    text = fold(summary)
    for event_format, keywords in FORMAT_KEYWORDS:
        if any(keyword in text for keyword in keywords):
            return event_format
        if event_format == EventFormat.SATURDAY_CAMP and "samedi" in text and "camp" in text:
            return event_format
    return EventFormat.EVENING


def _decode(data: bytes) -> str:
    if len(data) > MAX_FEED_BYTES:
        raise FeedRejected(TOO_LARGE, max_mb=MAX_FEED_BYTES // (1024 * 1024))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FeedRejected(WRONG_ENCODING, detail=f"byte {error.start}") from None
    if "\x00" in text:
        raise FeedRejected(WRONG_ENCODING, detail="NUL")
    head = text.lstrip()[:15].upper()
    if head != "BEGIN:VCALENDAR":
        raise FeedRejected(NOT_ICALENDAR)
    # Every calendar begun must end (a few servers add a comment line after the last one).
    lines = [line.strip().upper() for line in text.splitlines()]
    if lines.count("END:VCALENDAR") < max(1, lines.count("BEGIN:VCALENDAR")):
        raise FeedRejected(TRUNCATED)
    return text


def _calendars(text: str) -> list[icalendar.Calendar]:
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise FeedRejected(MALFORMED, detail=str(error).splitlines()[0][:200]) from None
    calendars = [cal for cal in calendars if cal.name == "VCALENDAR"]
    if not calendars:
        raise FeedRejected(NOT_ICALENDAR)
    return calendars


def _as_aware(value, zone: ZoneInfo) -> dt.datetime:
    """A DTSTART/DTEND value as an aware datetime: floating times and dates in `zone`."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    return dt.datetime.combine(value, dt.time(), tzinfo=zone)


def _recurrence_key(value, zone: ZoneInfo) -> str:
    if isinstance(value, dt.datetime):
        return _as_aware(value, zone).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def _zone_name(value, default: str) -> str:
    tzinfo = getattr(value, "tzinfo", None)
    key = getattr(tzinfo, "key", None)
    return key if isinstance(key, str) and zone_named(key).key == key else default


def _text(component, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0]
    return str(value).strip()


def _categories(component) -> list[str]:
    found: list[str] = []
    values = component.get("CATEGORIES")
    for item in values if isinstance(values, list) else [values] if values is not None else []:
        for category in getattr(item, "cats", []) or []:
            category = str(category).strip()[:TOPIC_MAX]
            if category and category not in found:
                found.append(category)
    return found[:TOPICS_MAX]


def _check_series(calendar: icalendar.Calendar, feed: ParsedFeed) -> set[str]:
    """UIDs of the recurring series. Events whose dates or rules cannot be read are taken out
    (and counted as rejected); a rule repeating more often than daily rejects the feed."""
    recurring: set[str] = set()
    unreadable: list = []
    for component in calendar.walk("VEVENT"):
        broken = {name for name, _message in getattr(component, "errors", [])}
        repeated = any(isinstance(component.get(name), list) for name in SINGLE_PROPERTIES)
        if component.get("DTSTART") is None or broken & DATE_PROPERTIES or repeated:
            unreadable.append(component)
            continue
        rules = component.get("RRULE")
        for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
            frequency = str((rule.get("FREQ") or [""])[0] if hasattr(rule, "get") else "").upper()
            if frequency in TOO_FREQUENT_RULES:
                raise FeedRejected(TOO_FREQUENT, frequency=frequency)
        if rules is not None or component.get("RDATE") is not None or component.get("RECURRENCE-ID") is not None:
            recurring.add(_text(component, "UID"))
    if unreadable:
        for parent in calendar.walk():
            parent.subcomponents = [sub for sub in parent.subcomponents if all(sub is not c for c in unreadable)]
        feed.rejected += len(unreadable)
        feed.problems += [str(NO_START)] * len(unreadable)
    return recurring


def _occurrences(calendar: icalendar.Calendar, feed: ParsedFeed, start: dt.datetime, end: dt.datetime, deadline):
    """Every occurrence within [start, end], series by series; bounded in number and in time."""
    try:
        query = recurring_ical_events.of(calendar, skip_bad_series=False)
    except Exception as error:  # noqa: BLE001 - whatever the library trips on, the feed is unreadable
        raise FeedRejected(MALFORMED, detail=str(error)[:200]) from None
    found = []
    for series in query.series:
        try:
            for occurrence in series.between(start, end):
                found.append(occurrence)
                if len(found) > MAX_EXPANDED:
                    raise FeedRejected(TOO_MANY, max=MAX_EXPANDED)
                if time.monotonic() > deadline:
                    raise FeedRejected(TOO_SLOW)
        except FeedRejected:
            raise
        except Exception as error:  # noqa: BLE001 - one unreadable series does not sink the feed
            feed.rejected += 1
            feed.problems.append(str(BAD_SERIES) % {"detail": str(error)[:120]})
    return found


def _stable_uid(uid: str) -> str:
    if len(uid) <= UID_MAX:
        return uid
    return "sha256:" + hashlib.sha256(uid.encode()).hexdigest()


def parse_feed(*, data: bytes, now: dt.datetime | None = None, default_time_zone: str = "Europe/Paris") -> ParsedFeed:
    """The feed's events within the window, or FeedRejected (see the module's docstring)."""
    now = now or timezone.now()
    zone = zone_named(default_time_zone)
    window_start, window_end = now, now + dt.timedelta(days=WINDOW_DAYS)
    feed = ParsedFeed(events=[], window_start=window_start, horizon=window_end)
    deadline = time.monotonic() + EXPANSION_SECONDS
    occurrences = []
    for calendar in _calendars(_decode(data)):
        if calendar.get("CALSCALE", "GREGORIAN").upper() != "GREGORIAN":
            raise FeedRejected(MALFORMED, detail="CALSCALE")
        recurring = _check_series(calendar, feed)
        for occurrence in _occurrences(calendar, feed, window_start, window_end, deadline):
            occurrences.append((occurrence, recurring))

    def start_of(item) -> dt.datetime:
        return _as_aware(item[0].start, zone)

    occurrences.sort(key=start_of)
    seen: set[str] = set()
    for occurrence, recurring in occurrences:
        if len(feed.events) >= MAX_OCCURRENCES:
            feed.beyond_limit += 1
            continue
        component = occurrence.as_component(False)
        parsed = _parsed_event(component, occurrence, recurring, zone, default_time_zone)
        if isinstance(parsed, str):
            feed.rejected += 1
            feed.problems.append(parsed)
            continue
        if parsed.uid in seen:
            feed.rejected += 1
            feed.problems.append(str(DUPLICATE) % {"uid": parsed.uid[:80]})
            continue
        seen.add(parsed.uid)
        feed.events.append(parsed)
    if feed.beyond_limit:
        feed.horizon = max(event.starts_at for event in feed.events)
    feed.problems = feed.problems[:10]
    return feed


def _parsed_event(component, occurrence, recurring: set[str], zone: ZoneInfo, default_tz: str) -> ParsedEvent | str:
    """The occurrence as a ParsedEvent, or why it is skipped."""
    title = _text(component, "SUMMARY")
    if not title:
        return str(NO_TITLE)
    start_value, end_value = occurrence.start, occurrence.end
    if isinstance(end_value, dt.timedelta):
        end_value = start_value + end_value
    try:
        starts_at = _as_aware(start_value, zone).astimezone(dt.UTC)
        ends_at = _as_aware(end_value, zone).astimezone(dt.UTC) if end_value is not None else starts_at
    except (TypeError, ValueError, OverflowError):
        return str(NO_START)
    ends_at = max(ends_at, starts_at)
    uid = _text(component, "UID")
    if not uid:
        # No UID (RFC 5545 requires one): the title and start stand for it, stable across fetches.
        uid = "nouid:" + hashlib.sha256(f"{title}|{starts_at.isoformat()}".encode()).hexdigest()[:32]
    if uid in recurring:
        # The original start identifies an occurrence even once moved; a change "this and
        # future" shares one RECURRENCE-ID between many occurrences, so their start is used.
        recurrence_id = component.get("RECURRENCE-ID")
        this_and_future = recurrence_id is not None and "RANGE" in getattr(recurrence_id, "params", {})
        key_value = recurrence_id.dt if recurrence_id is not None and not this_and_future else start_value
        uid = f"{uid}#{_recurrence_key(key_value, zone)}"
    link = _text(component, "URL")
    return ParsedEvent(
        uid=_stable_uid(uid),
        title=title[:TITLE_MAX],
        description=_text(component, "DESCRIPTION"),
        venue=_text(component, "LOCATION")[:VENUE_MAX],
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=_zone_name(start_value, default_tz),
        cancelled=_text(component, "STATUS").upper() == "CANCELLED",
        topics=_categories(component),
        link=link if link.startswith(("https://", "http://")) and len(link) <= 200 else "",
        format=infer_format(summary=title),
    )
