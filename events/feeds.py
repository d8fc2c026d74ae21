"""External iCal feeds: registering them, fetching them, and upserting their events by UID.

A feed belongs to a city (its events are circle-less agenda events, public) or to a circle (its
events are the circle's, seen as the circle is). Importing is all or nothing: a rejected feed
(events/ical.py says why) writes no event; its reason is recorded on the feed, and the agenda
never notices. Within a feed, an event is identified by its UID ("<UID>#<recurrence id>" for an
occurrence of a series): a changed event is updated, an event that vanished from the feed and had
not started yet is marked cancelled (and scheduled again if it comes back).
"""

import contextlib
import ipaddress
import logging
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, Membership, Role, Status
from events.ical import (
    ADDRESS_REFUSED,
    FETCH_FAILED,
    MAX_FEED_BYTES,
    TOO_LARGE,
    UNEXPECTED,
    FeedRejected,
    ParsedEvent,
    parse_feed,
    reason_text,
)
from events.models import Event, IcalFeed
from events.services import search_text_of
from places.models import City

logger = logging.getLogger(__name__)

FETCH_TIMEOUT_S = 15
MAX_FEEDS_PER_MEMBER = 20
USER_AGENT = "Cercle-agenda/1.0 (+iCalendar feed import)"

NEEDS_ONE_TARGET = _("Choose a city or one of your circles, not both.")
ALREADY_REGISTERED = _("This feed is already registered for this city or circle.")
TOO_MANY_FEEDS = _("You have registered %(max)s feeds already; remove one first.")
NOT_AN_ORGANIZER = _("Only the organizers of a circle can add feeds to it.")

Fetcher = Callable[..., bytes]


class FeedError(Exception):
    """A registration refused, with a message for the person who asked."""


# --- Who may manage feeds ---------------------------------------------------------------------


def circles_organized_by(*, user) -> QuerySet[Circle]:
    if not user.is_authenticated:
        return Circle.objects.none()
    return Circle.objects.filter(
        memberships__member=user, memberships__role=Role.ORGANIZER, memberships__status=Status.ACTIVE
    ).order_by("name")


def may_manage_feeds(*, user) -> bool:
    """Operators (staff) and the organizers of at least one circle."""
    if not user.is_authenticated:
        return False
    return user.is_staff or Membership.objects.filter(member=user, role=Role.ORGANIZER, status=Status.ACTIVE).exists()


def feeds_managed_by(*, user) -> QuerySet[IcalFeed]:
    """The feeds this member registered, and those of the circles they organize."""
    if not may_manage_feeds(user=user):
        return IcalFeed.objects.none()
    organized = circles_organized_by(user=user).values("pk")
    return (
        IcalFeed.objects.filter(Q(created_by=user) | Q(circle__in=organized))
        .select_related("city", "circle")
        .order_by("-created_at", "-id")
    )


def feed_managed_or_404(*, user, feed_id: int) -> IcalFeed:
    feed = feeds_managed_by(user=user).filter(pk=feed_id).first()
    if feed is None:
        raise Http404
    return feed


# --- Registering and removing -----------------------------------------------------------------


def feed_register(*, url: str, created_by, city: City | None = None, circle: Circle | None = None) -> IcalFeed:
    """Register a feed for a city or a circle and fetch it in the background."""
    if (city is None) == (circle is None):
        raise FeedError(NEEDS_ONE_TARGET)
    organized = circle is None or circles_organized_by(user=created_by).filter(pk=circle.pk).exists()
    if not (created_by.is_staff or organized):
        raise FeedError(NOT_AN_ORGANIZER)
    if IcalFeed.objects.filter(url=url, city=city, circle=circle).exists():
        raise FeedError(ALREADY_REGISTERED)
    if not created_by.is_staff and IcalFeed.objects.filter(created_by=created_by).count() >= MAX_FEEDS_PER_MEMBER:
        raise FeedError(TOO_MANY_FEEDS % {"max": MAX_FEEDS_PER_MEMBER})
    feed = IcalFeed.objects.create(url=url, city=city, circle=circle, created_by=created_by)
    feed_refresh_later(feed=feed)
    return feed


def feed_refresh_later(*, feed: IcalFeed) -> None:
    from events.tasks import refresh_ical_feed

    feed_id = feed.pk
    transaction.on_commit(lambda: refresh_ical_feed.enqueue(feed_id=feed_id))


@transaction.atomic
def feed_remove(*, feed: IcalFeed, now: datetime | None = None) -> int:
    """Remove a feed. Its upcoming events go too, except those someone answered: they are marked
    cancelled, so that whoever planned to go learns it. Past events stay. Returns how many went."""
    now = now or timezone.now()
    upcoming = Event.objects.filter(feed=feed, starts_at__gte=now)
    answered = set(upcoming.filter(rsvps__isnull=False).values_list("pk", flat=True))
    Event.objects.filter(pk__in=answered).update(state=Event.State.CANCELLED, updated_at=now)
    deleted, _by_model = upcoming.exclude(pk__in=answered).delete()
    feed.delete()
    return deleted


# --- Fetching ---------------------------------------------------------------------------------


def _check_address(url: str, *, allow_private: bool) -> None:
    """Only http(s) to public addresses: a feed address must not reach into our own network."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FeedRejected(ADDRESS_REFUSED, detail=parts.scheme or url[:60])
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError) as error:
        raise FeedRejected(FETCH_FAILED, detail=str(error)[:120]) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global:
            raise FeedRejected(ADDRESS_REFUSED, detail=parts.hostname)


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, *, allow_private: bool):
        super().__init__()
        self.allow_private = allow_private

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _check_address(newurl, allow_private=self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def feed_address(*, url: str) -> str:
    """webcal:// is http(s) for calendar applications."""
    url = url.strip()
    if url.lower().startswith("webcal://"):
        return "https://" + url[len("webcal://") :]
    return url


def fetch_url(
    *, url: str, timeout: float = FETCH_TIMEOUT_S, max_bytes: int = MAX_FEED_BYTES, allow_private: bool = False
) -> bytes:
    """The feed's bytes (UTF-8 when the server declared another charset), at most max_bytes."""
    url = feed_address(url=url)
    _check_address(url, allow_private=allow_private)
    opener = urllib.request.build_opener(_CheckedRedirects(allow_private=allow_private))
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"})
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FeedRejected(TOO_LARGE, max_mb=max_bytes // (1024 * 1024))
            data = response.read(max_bytes + 1)
            charset = response.headers.get_content_charset()
    except FeedRejected:
        raise
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise FeedRejected(FETCH_FAILED, detail=str(getattr(error, "reason", error))[:200]) from None
    if len(data) > max_bytes:
        raise FeedRejected(TOO_LARGE, max_mb=max_bytes // (1024 * 1024))
    if charset and charset.lower().replace("_", "-") not in {"utf-8", "utf8", "us-ascii", "ascii"}:
        # Left as it came when that fails: the UTF-8 check of the import says what is wrong.
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            data = data.decode(charset).encode("utf-8")
    return data


# --- Importing --------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    rejected: int = 0
    beyond_limit: int = 0
    problems: list[str] = field(default_factory=list)

    def counts(self) -> dict:
        return asdict(self)


UPSERTED_FIELDS = (
    "title", "description", "venue", "starts_at", "ends_at", "time_zone", "state", "topics", "ticket_url",
    "format", "city_id", "circle_id", "family",
)  # fmt: skip


def _values(parsed: ParsedEvent, feed: IcalFeed) -> dict:
    city_id = feed.city_id or (feed.circle.city_id if feed.circle_id else None)
    return {
        "title": parsed.title,
        "description": parsed.description,
        "venue": parsed.venue,
        "starts_at": parsed.starts_at,
        "ends_at": parsed.ends_at,
        "time_zone": parsed.time_zone,
        "state": Event.State.CANCELLED if parsed.cancelled else Event.State.SCHEDULED,
        "topics": parsed.topics,
        "ticket_url": parsed.link,
        "format": parsed.format,
        "city_id": city_id,
        "circle_id": feed.circle_id,
        "family": feed.circle.family if feed.circle_id else "",
    }


def _default_time_zone(feed: IcalFeed) -> str:
    city = feed.city if feed.city_id else (feed.circle.city if feed.circle_id and feed.circle.city_id else None)
    return (city.timezone if city is not None else "") or "Europe/Paris"


def feed_import(*, feed: IcalFeed, data: bytes, now: datetime | None = None, dry_run: bool = False) -> ImportResult:
    """Upsert the feed's events by UID, all or nothing; FeedRejected when the feed is refused.

    With dry_run, everything is computed and counted, then rolled back.
    """
    now = now or timezone.now()
    with translation.override("en"):  # what is recorded on the feed is read by operators
        parsed = parse_feed(data=data, now=now, default_time_zone=_default_time_zone(feed))
    result = ImportResult(rejected=parsed.rejected, beyond_limit=parsed.beyond_limit, problems=parsed.problems)
    with transaction.atomic():
        # One import of a feed at a time (the task and "fetch now" may meet): the second waits.
        list(IcalFeed.objects.select_for_update().filter(pk=feed.pk).values_list("pk"))
        uids = [event.uid for event in parsed.events]
        existing = {
            event.uid: event
            for event in Event.objects.filter(feed=feed)
            .filter(Q(uid__in=uids) | Q(starts_at__gte=parsed.window_start))
            .select_related("city")
        }
        city = feed.city if feed.city_id else (feed.circle.city if feed.circle_id else None)
        to_create = []
        for item in parsed.events:
            values = _values(item, feed)
            event = existing.get(item.uid)
            if event is None:
                event = Event(feed=feed, uid=item.uid, created_at=now, **values)
                event.city = city
                event.search_text = search_text_of(event)
                to_create.append(event)
                continue
            changed = [name for name in UPSERTED_FIELDS if getattr(event, name) != values[name]]
            if not changed:
                result.unchanged += 1
                continue
            for name in changed:
                setattr(event, name, values[name])
            event.search_text = search_text_of(event)
            event.save(update_fields=[*changed, "search_text", "updated_at"])
            result.updated += 1
        Event.objects.bulk_create(to_create, batch_size=500)
        result.created = len(to_create)
        seen = set(uids)
        vanished = [
            event.pk
            for event in existing.values()
            if event.uid not in seen
            and event.state == Event.State.SCHEDULED
            and parsed.window_start <= event.starts_at <= parsed.horizon
        ]
        result.cancelled = Event.objects.filter(pk__in=vanished).update(state=Event.State.CANCELLED, updated_at=now)
        if dry_run:
            transaction.set_rollback(True)
    return result


def feed_refresh(*, feed: IcalFeed, fetcher: Fetcher | None = None, now: datetime | None = None) -> ImportResult | None:
    """Fetch and import one feed, and record how it went on the feed. Never raises for the feed's
    sake: a fetch error, a rejected feed or a bug leaves the feed's events as they were."""
    now = now or timezone.now()
    fetch = fetcher or fetch_url
    result, error = None, None
    try:
        result = feed_import(feed=feed, data=fetch(url=feed.url), now=now)
    except FeedRejected as rejected:
        error = rejected
    except Exception:  # noqa: BLE001 - a feed must never break anything else
        logger.exception("Importing the iCal feed %s failed", feed.pk)
        error = FeedRejected(UNEXPECTED)
    feed_record(feed=feed, result=result, error=error, now=now)
    return result


def feed_record(*, feed: IcalFeed, result: ImportResult | None, error: FeedRejected | None, now: datetime) -> None:
    """What the last fetch did: counts, or the reason for the rejection (English in last_error for
    operators; the code and parameters in last_counts, shown translated to organizers)."""
    feed.last_fetched_at = now
    if error is not None:
        feed.last_error = error.english()
        feed.last_counts = {"rejected_reason": {"code": error.code, "params": error.params}}
    else:
        feed.last_error = ""
        feed.last_counts = result.counts() if result is not None else {}
    feed.save(update_fields=["last_fetched_at", "last_error", "last_counts"])


def feed_status(*, feed: IcalFeed) -> dict:
    """For the feeds page: the last fetch's counts, or its reason in the reader's language."""
    counts = feed.last_counts or {}
    reason = counts.get("rejected_reason")
    if reason:
        return {"ok": False, "reason": reason_text(code=reason.get("code", ""), params=reason.get("params"))}
    return {"ok": feed.last_fetched_at is not None and not feed.last_error, "counts": counts}
