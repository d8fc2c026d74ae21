"""The agenda: its search by city, dates, filters and distance, and the events of calendar feeds.

What a viewer may see of events is decided in one place, events.selectors (`visible_events`,
`event_for_viewer_or_404`), for every list, search and feed built here:

- events without a circle (agenda imports) and events of public circles: anyone, even logged out;
- events of circles listed to members: signed-in members;
- events of unlisted circles: only that circle's active members.

Events imported from a circle's iCal feed are the circle's only: they are not on the agenda.

Cancelled events stay visible (marked as cancelled): someone who planned to go must learn it.
"""

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.cache import caches
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.functional import cached_property
from django.utils.text import capfirst

from circles.models import Circle, Membership, Status, Visibility
from circles.vocab import Family
from events import selectors
from events.models import Event
from events.vocab import EventFormat
from people.vocab import Language
from places.models import City
from places.text import fold

PAGE_SIZE = 20
COUNT_CAP = 500
DEFAULT_DAYS = 30
MAX_DAYS = 366
RADII_KM = (10, 25, 50, 100)
EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = 111.2
NEAR_CACHE_SECONDS = 600
# Distances are derived from the places table, which only `load_cities` changes: a few minutes in
# the cache that may drop anything (never the one holding the rate-limit counters).
NEAR_CACHE = "derived"
LANGUAGES = dict(Language.choices)


def event_for_viewer_or_404(*, viewer, event_id: int) -> Event:
    """The event if this viewer may see it; 404 alike for a missing and a forbidden event."""
    return selectors.event_for_viewer_or_404(viewer, event_id)


def visible_events(*, viewer) -> QuerySet[Event]:
    return selectors.visible_events(viewer)


def event_page_url(*, event_id: int) -> str | None:
    """The event's page, once the events app serves it; None until then."""
    try:
        return reverse("events:event_detail", kwargs={"event_id": event_id})
    except NoReverseMatch:
        return None


@lru_cache(maxsize=256)
def zone_named(name: str) -> ZoneInfo:
    """The time zone of that name, Europe/Paris when the name is unknown."""
    try:
        return ZoneInfo(name or "Europe/Paris")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Paris")


# --- Distances --------------------------------------------------------------------------------


def haversine_km(*, lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def cities_within(*, center: City, radius_km: float) -> dict[int, float]:
    """City id -> distance in km, for every city within the radius of the center (itself included).

    A latitude/longitude box is filtered in SQL; the exact distance is computed here, on the few
    cities left inside the box. Places hardly ever change: the answer is kept a few minutes.
    """
    key = f"agenda:near:v1:{center.pk}:{center.latitude}:{center.longitude}:{radius_km}"
    cached = caches[NEAR_CACHE].get(key)
    if cached is not None:
        return cached
    dlat = radius_km / KM_PER_DEGREE
    dlon = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(center.latitude)), 0.01))
    boxed = City.objects.filter(
        latitude__range=(center.latitude - dlat, center.latitude + dlat),
        longitude__range=(center.longitude - dlon, center.longitude + dlon),
    ).values_list("pk", "latitude", "longitude")
    found = {center.pk: 0.0}
    for pk, lat, lon in boxed:
        distance = haversine_km(lat1=center.latitude, lon1=center.longitude, lat2=lat, lon2=lon)
        if distance <= radius_km:
            found[pk] = min(found.get(pk, distance), distance)
    caches[NEAR_CACHE].set(key, found, NEAR_CACHE_SECONDS)
    return found


# --- The agenda's search ----------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaQuery:
    """What the agenda form asked for, already validated (see events/forms_agenda.py)."""

    starts_from: datetime
    starts_before: datetime
    city: City | None = None
    near: City | None = None  # the center of "near me": the viewer's own city
    radius_km: int | None = None
    format: str = ""
    family: str = ""
    topic: str = ""
    language: str = ""
    text: str = ""


def day_start(day) -> datetime:
    """Midnight of that day in the current time zone, aware."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _topic_q(topic: str) -> Q:
    """The topic as one element of the event's topics (JSON list), letter case ignored.

    SQLite keeps the JSON with \\u escapes, PostgreSQL with the characters themselves: both
    spellings are asked for.
    """
    topic = topic.strip()
    return Q(topics__icontains=json.dumps(topic, ensure_ascii=False)) | Q(topics__icontains=json.dumps(topic))


def agenda_events(*, viewer, query: AgendaQuery) -> tuple[QuerySet[Event], dict[int, float]]:
    """The events this viewer may see that match the query, by start time; and the distances (km)
    by city id when searching near a place."""
    events = visible_events(viewer=viewer).filter(starts_at__gte=query.starts_from, starts_at__lt=query.starts_before)
    # A circle's feed fills that circle only: its events stay off the agenda (city feeds, which
    # only operators add, have no circle).
    events = events.filter(Q(feed__isnull=True) | Q(circle__isnull=True))
    distances: dict[int, float] = {}
    if query.near is not None and query.radius_km:
        distances = cities_within(center=query.near, radius_km=query.radius_km)
        events = events.filter(city_id__in=list(distances))
    elif query.city is not None:
        events = events.filter(city=query.city)
    if query.format:
        events = events.filter(format=query.format)
    if query.family:
        events = events.filter(family=query.family)
    if query.language:
        events = events.filter(language=query.language)
    if query.topic:
        events = events.filter(_topic_q(query.topic))
    for word in fold(query.text).split()[:8]:
        # Events saved without their search text still match on their title.
        events = events.filter(Q(search_text__contains=word) | Q(search_text="", title__icontains=word))
    return events.order_by("starts_at", "id"), distances


@dataclass(frozen=True)
class AgendaRow:
    """One event as the agenda shows it, everything already formatted (the page is hot)."""

    pk: int
    title: str
    when: str
    starts_iso: str
    page_url: str | None
    ics_url: str
    format: str
    family: str
    city: str
    distance_km: float | None
    venue: str
    language_code: str
    language: str
    circle: str
    topics: list
    cancelled: bool


ROW_FIELDS = (
    "pk", "title", "format", "family", "topics", "starts_at", "ends_at", "time_zone", "venue", "language", "state",
    "city_id", "city__name", "circle__name",
)  # fmt: skip
FORMATS = dict(EventFormat.choices)
FAMILIES = dict(Family.choices)
_SENTINEL_ID = 987654321


def _url_maker(name: str) -> Callable[[int], str] | None:
    """One reverse() for a whole page: the URL of any event id from the URL of a sentinel id."""
    try:
        pattern = reverse(name, kwargs={"event_id": _SENTINEL_ID})
    except NoReverseMatch:
        return None
    return lambda event_id: pattern.replace(str(_SENTINEL_ID), str(event_id))


def _when(*, starts_at: datetime, ends_at: datetime, time_zone: str) -> str:
    """ "Mardi 12 mars 2030, 08:30 – 10:00" in the event's own time zone and the reader's language."""
    zone = zone_named(time_zone)
    starts, ends = starts_at.astimezone(zone), ends_at.astimezone(zone)
    text = f"{capfirst(date_format(starts, 'l'))} {date_format(starts, 'DATE_FORMAT')}, {time_format(starts)}"
    if ends.date() == starts.date():
        return f"{text} – {time_format(ends)}"
    return f"{text} – {date_format(ends, 'DATE_FORMAT')}, {time_format(ends)}"


def agenda_rows(*, event_ids: list[int], distances: dict[int, float]) -> list[AgendaRow]:
    """The rows of one page of the agenda, in the page's order: one query for plain values (no
    model instances), one reverse() per kind of link."""
    found = {values["pk"]: values for values in Event.objects.filter(pk__in=event_ids).values(*ROW_FIELDS)}
    page_url, ics_url = _url_maker("events:event_detail"), _url_maker("agenda:event_ics")
    rows = []
    for pk in event_ids:
        values = found.get(pk)
        if values is None:  # deleted between the two queries
            continue
        rows.append(
            AgendaRow(
                pk=pk,
                title=values["title"],
                when=_when(starts_at=values["starts_at"], ends_at=values["ends_at"], time_zone=values["time_zone"]),
                starts_iso=values["starts_at"].isoformat(),
                page_url=page_url(pk) if page_url else None,
                ics_url=ics_url(pk),
                format=FORMATS.get(values["format"], values["format"]),
                family=FAMILIES.get(values["family"], "") if values["family"] else "",
                city=values["city__name"] or "",
                distance_km=distances.get(values["city_id"]) if distances else None,
                venue=values["venue"],
                language_code=values["language"],
                language=LANGUAGES.get(values["language"], values["language"].upper()),
                circle=values["circle__name"] or "",
                topics=values["topics"] or [],
                cancelled=values["state"] == Event.State.CANCELLED,
            )
        )
    return rows


class AgendaPaginator(Paginator):
    """Counts at most COUNT_CAP events: a page costs the same in a city of 100 or 100,000 events.

    `capped` says that there are more; the pages then stop at COUNT_CAP / per_page.
    """

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        # Unordered: the database stops at COUNT_CAP + 1 rows instead of sorting them all first.
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        return max(1, math.ceil(min(self.count, self.cap) / self.per_page))

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.cap)
        return self._get_page(self.object_list[bottom:top], number, self)


# --- Calendars --------------------------------------------------------------------------------

FEED_PAST_DAYS = 30
FEED_MAX_EVENTS = 500


def circle_feed_events(*, circle, now: datetime | None = None) -> list[Event]:
    """A circle's events for its calendar feed: from a month ago on, cancelled ones included."""
    since = (now or timezone.now()) - timedelta(days=FEED_PAST_DAYS)
    events = Event.objects.filter(circle=circle, ends_at__gte=since).select_related("city")
    return list(events.order_by("starts_at", "id")[:FEED_MAX_EVENTS])


def my_calendar_events(*, owner, now: datetime | None = None) -> tuple[list[Event], set[int]]:
    """The events I am going to or waitlisted for, that I may still see; and the waitlisted ones."""
    from events.models import Rsvp, RsvpStatus

    since = (now or timezone.now()) - timedelta(days=FEED_PAST_DAYS)
    rsvps = list(
        Rsvp.objects.filter(
            member=owner,
            status__in=[RsvpStatus.GOING, RsvpStatus.WAITLIST],
            event__ends_at__gte=since,
            event__in=visible_events(viewer=owner).values("pk"),
        )
        .select_related("event__city")
        .order_by("event__starts_at", "event_id")[:FEED_MAX_EVENTS]
    )
    return [rsvp.event for rsvp in rsvps], {rsvp.event_id for rsvp in rsvps if rsvp.status == RsvpStatus.WAITLIST}


def public_circles_of(*, member) -> QuerySet:
    """My circles whose calendar feed is open to anyone."""
    mine = Membership.objects.filter(member=member, status=Status.ACTIVE).values("circle_id")
    return Circle.objects.filter(visibility=Visibility.PUBLIC, pk__in=mine).order_by("name")
