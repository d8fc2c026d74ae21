"""External iCal feeds: registering them, fetching them, and upserting their events by UID.

A feed belongs to a city (its events are circle-less agenda events, public) or to a circle (its
events are the circle's, seen as the circle is, and never on the public agenda). Only operators
(staff) and the members they trust with the `events.publish_city_feeds` permission (given in the
admin) register city feeds: anyone can start a circle, so a circle's organizer cannot speak for a
city.

Importing is all or nothing: a rejected feed (events/ical.py says why) writes no event; its reason
is recorded on the feed, and the agenda never notices. Within a feed, an event is identified by its
UID ("<UID>#<recurrence id>" for an occurrence of a series): a changed event is updated, an event
that vanished from the feed and had not started yet is marked cancelled (and scheduled again if it
comes back).
"""

import contextlib
import http.client
import ipaddress
import logging
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cercle.public_pages import public_content_changed
from circles.models import Circle, Membership, Role, Status
from events.ical import (
    ADDRESS_REFUSED,
    FETCH_FAILED,
    MAX_FEED_BYTES,
    NOT_ALLOWED,
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
CITY_FEEDS_FOR_OPERATORS = _("Only Cercle's operators add feeds to a city's agenda: choose one of your circles.")
PUBLISH_CITY_FEEDS = "events.publish_city_feeds"

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


def may_publish_to_cities(*, user) -> bool:
    """Operators (staff), and the members an operator trusts with the permission: a city feed's
    events are on the public agenda, for everyone."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or user.has_perm(PUBLISH_CITY_FEEDS)


def may_manage_feeds(*, user) -> bool:
    """Those who may publish to cities, and the organizers of at least one circle."""
    if not user.is_authenticated:
        return False
    # The organizers first: one query answers for them, where the permissions take two (the
    # user's and their groups', read by the authentication backend).
    organizes = Membership.objects.filter(member=user, role=Role.ORGANIZER, status=Status.ACTIVE).exists()
    return organizes or may_publish_to_cities(user=user)


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
    if city is not None and not may_publish_to_cities(user=created_by):
        raise FeedError(CITY_FEEDS_FOR_OPERATORS)
    organized = circle is None or circles_organized_by(user=created_by).filter(pk=circle.pk).exists()
    if not (created_by.is_staff or organized):
        raise FeedError(NOT_AN_ORGANIZER)
    if IcalFeed.objects.filter(url=url, city=city, circle=circle).exists():
        raise FeedError(ALREADY_REGISTERED)
    if not created_by.is_staff and IcalFeed.objects.filter(created_by=created_by).count() >= MAX_FEEDS_PER_MEMBER:
        raise FeedError(TOO_MANY_FEEDS % {"max": MAX_FEEDS_PER_MEMBER})
    problem = feed_address_problem(url=url)
    if problem:
        raise FeedError(problem)
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
    public_content_changed()  # bulk writes send no signal
    deleted, _by_model = upcoming.exclude(pk__in=answered).delete()
    feed.delete()
    return deleted


# --- Fetching ---------------------------------------------------------------------------------
#
# A feed's address is resolved once; every address it resolves to must be public, and the
# connection goes to the address that was checked (the host name still goes in the Host header and
# in TLS, for SNI and the certificate). Resolving again on connect would let a name that changes
# its answer between the two (DNS rebinding) reach into our own network. Each redirect is a new
# address, checked the same way.

MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
READ_CHUNK = 64 * 1024
NAT64 = ipaddress.ip_network("64:ff9b::/96")

PRIVATE_ADDRESS = _(
    "This address leads to a private or local network (%(host)s): only feeds at public addresses can be added."
)
HOST_NOT_FOUND = _("No server called %(host)s could be found: check the address.")


@dataclass(frozen=True)
class CheckedAddress:
    """Where a URL leads, once checked: the IP address to connect to, and what to ask it."""

    scheme: str
    host: str  # as written in the URL (ASCII): the Host header, and the name TLS checks
    port: int
    ip: str
    target: str  # path and query


def _is_refused_ip(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    # An IPv6 address may carry an IPv4 one (::ffff:127.0.0.1, 2002:7f00:1::, 64:ff9b::7f00:1):
    # the IPv4 one decides.
    if address.version == 6:
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            address = embedded
    return (
        not address.is_global
        or address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def check_address(url: str, *, allow_private: bool | None = None) -> CheckedAddress:
    """Resolve the URL's host once; FeedRejected unless it is http(s) and every address is public.

    allow_private defaults to the FEEDS_ALLOW_PRIVATE_ADDRESSES setting (off)."""
    if allow_private is None:
        allow_private = settings.FEEDS_ALLOW_PRIVATE_ADDRESSES
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"} or not parts.hostname:
        raise FeedRejected(ADDRESS_REFUSED, detail=parts.scheme or url[:60])
    try:
        port = parts.port or (443 if scheme == "https" else 80)
        host = parts.hostname.encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        raise FeedRejected(ADDRESS_REFUSED, detail=url[:60]) from None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FeedRejected(FETCH_FAILED, detail=f"{host}: {error}"[:120]) from None
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    if not addresses:
        raise FeedRejected(FETCH_FAILED, detail=host)
    if not allow_private and any(_is_refused_ip(address) for address in addresses):
        raise FeedRejected(ADDRESS_REFUSED, detail=host)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return CheckedAddress(scheme=scheme, host=host, port=port, ip=str(addresses[0]), target=target)


def feed_address_problem(*, url: str) -> str:
    """Why this feed address cannot be registered, in the reader's language; "" when it can."""
    try:
        check_address(url)
    except FeedRejected as refused:
        host = urllib.parse.urlsplit(url).hostname or url[:60]
        return str((HOST_NOT_FOUND if refused.code == FETCH_FAILED else PRIVATE_ADDRESS) % {"host": host})
    return ""


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address, whatever the host name resolves to by now."""

    def __init__(self, checked: CheckedAddress, *, timeout: float):
        super().__init__(checked.host, checked.port, timeout=timeout)
        self.checked_ip = checked.ip
        self.pinned_socket = None

    def connect(self):
        self.sock = self.pinned_socket = socket.create_connection((self.checked_ip, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS: the certificate must be valid for the host name of the URL."""

    def __init__(self, checked: CheckedAddress, *, timeout: float):
        self.tls = ssl.create_default_context()
        super().__init__(checked.host, checked.port, timeout=timeout, context=self.tls)
        self.checked_ip = checked.ip
        self.pinned_socket = None

    def connect(self):
        sock = socket.create_connection((self.checked_ip, self.port), self.timeout)
        try:
            self.sock = self.pinned_socket = self.tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def feed_address(*, url: str) -> str:
    """webcal:// is http(s) for calendar applications."""
    url = url.strip()
    if url.lower().startswith("webcal://"):
        return "https://" + url[len("webcal://") :]
    return url


def _time_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FeedRejected(FETCH_FAILED, detail="timed out")
    return left


def _cut(connection: _PinnedHTTPConnection | _PinnedHTTPSConnection) -> None:
    """Interrupt whatever the connection is waiting for (a shutdown wakes a blocked read)."""
    if connection.pinned_socket is not None:
        with contextlib.suppress(OSError):
            connection.pinned_socket.shutdown(socket.SHUT_RDWR)


def _get(checked: CheckedAddress, *, deadline: float, max_bytes: int) -> tuple[int, str, bytes, str | None]:
    """One GET: (status, Location, body, charset); the body only for a 200, at most max_bytes."""
    pinned = _PinnedHTTPSConnection if checked.scheme == "https" else _PinnedHTTPConnection
    connection = pinned(checked, timeout=_time_left(deadline))
    # The socket's timeout bounds each read; a server sending a byte at a time (headers included)
    # could still hold a worker for long: the connection is cut at the deadline.
    watchdog = threading.Timer(_time_left(deadline), _cut, args=[connection])
    watchdog.daemon = True
    watchdog.start()
    response = None
    try:
        connection.request(
            "GET", checked.target, headers={"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
        )
        response = connection.getresponse()
        if response.status != 200:
            return response.status, response.getheader("Location", ""), b"", None
        length = response.getheader("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise FeedRejected(TOO_LARGE, max_mb=max_bytes // (1024 * 1024))
        chunks, size = [], 0
        while True:
            chunk = response.read1(READ_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise FeedRejected(TOO_LARGE, max_mb=max_bytes // (1024 * 1024))
            chunks.append(chunk)
        if time.monotonic() >= deadline:  # cut by the watchdog: the end seen is not the feed's
            raise FeedRejected(FETCH_FAILED, detail="timed out")
        return 200, "", b"".join(chunks), response.headers.get_content_charset()
    except FeedRejected:
        raise
    except (OSError, http.client.HTTPException, ValueError) as error:
        detail = "timed out" if time.monotonic() >= deadline else (str(error) or type(error).__name__)[:200]
        raise FeedRejected(FETCH_FAILED, detail=detail) from None
    finally:
        watchdog.cancel()
        if response is not None:
            response.close()
        connection.close()


def fetch_url(
    *, url: str, timeout: float = FETCH_TIMEOUT_S, max_bytes: int = MAX_FEED_BYTES, allow_private: bool | None = None
) -> bytes:
    """The feed's bytes (UTF-8 when the server declared another charset), at most max_bytes, within
    timeout seconds in all, following at most MAX_REDIRECTS redirects (each one checked)."""
    url = feed_address(url=url)
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        checked = check_address(url, allow_private=allow_private)
        status, location, data, charset = _get(checked, deadline=deadline, max_bytes=max_bytes)
        if status in REDIRECT_STATUSES and location:
            url = urllib.parse.urljoin(url, location)
            continue
        if status != 200:
            raise FeedRejected(FETCH_FAILED, detail=f"HTTP {status}")
        break
    else:
        raise FeedRejected(FETCH_FAILED, detail=f"more than {MAX_REDIRECTS} redirects")
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
        public_content_changed()  # bulk writes send no signal
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
        # A city feed is fetched while its registrant may still publish to cities (feeds added by
        # an operator at a terminal have no registrant).
        if feed.city_id and feed.created_by_id and not may_publish_to_cities(user=feed.created_by):
            raise FeedRejected(NOT_ALLOWED)
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
