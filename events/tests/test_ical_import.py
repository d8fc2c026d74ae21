"""External feeds in: real calendars of real clients, upserts by UID, rejections, the task, the command.

Real calendars are read where the icalendar and recurring-ical-events wheels install them (their
own test data); the rest are small feeds written here. Nothing touches the network: fetchers are
injected, and the one test of the real fetcher talks to a server on 127.0.0.1.
"""

import datetime as dt
import http.server
import threading
from importlib.resources import files
from io import StringIO
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from circles.models import Visibility
from events import feeds
from events.feeds import feed_import, feed_refresh, feed_register, feed_remove, fetch_url
from events.ical import (
    ADDRESS_REFUSED,
    FETCH_FAILED,
    MALFORMED,
    MAX_EXPANDED,
    MAX_FEED_BYTES,
    MAX_OCCURRENCES,
    NOT_ICALENDAR,
    TOO_FREQUENT,
    TOO_LARGE,
    TOO_MANY,
    TRUNCATED,
    UNEXPECTED,
    WRONG_ENCODING,
    FeedRejected,
    infer_format,
    parse_feed,
)
from events.models import Event, IcalFeed, Rsvp, RsvpStatus
from events.tasks import refresh_all_ical_feeds, refresh_ical_feed
from events.tests.test_agenda import agenda_event, make_agenda_circle

pytestmark = pytest.mark.django_db

ICALENDAR_CALENDARS = files("icalendar") / "tests" / "calendars"
RECURRING_CALENDARS = files("recurring_ical_events") / "test" / "calendars"
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2030, 3, 4, 8, 0, tzinfo=dt.UTC)  # a Monday; the small feeds below are around it


def real_calendar(name: str) -> bytes:
    for folder in (RECURRING_CALENDARS, ICALENDAR_CALENDARS):
        path = folder / name
        if path.is_file():
            return path.read_bytes()
    pytest.skip(f"{name} is not shipped with the installed wheels")


def all_real_calendars() -> list[str]:
    names = []
    for folder in (RECURRING_CALENDARS, ICALENDAR_CALENDARS):
        if folder.is_dir():
            names += sorted(path.name for path in folder.iterdir() if path.name.endswith(".ics"))
    return names


def just_before(data: bytes) -> dt.datetime:
    """A day before the calendar's first event: its events are upcoming, as a live feed's are."""
    starts = []
    try:
        calendar = icalendar.Calendar.from_ical(data.decode("utf-8-sig"))
        for component in calendar.walk("VEVENT"):
            value = component.get("DTSTART")
            moment = getattr(value, "dt", None)
            if isinstance(moment, dt.datetime):
                starts.append(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC))
            elif isinstance(moment, dt.date):
                starts.append(dt.datetime.combine(moment, dt.time(), tzinfo=dt.UTC))
    except (ValueError, UnicodeDecodeError):
        pass
    return (min(starts) if starts else NOW) - dt.timedelta(days=1)


def vevent(uid: str, summary: str, start: dt.datetime, *, hours: float = 2, extra: str = "") -> str:
    local = start.astimezone(PARIS).strftime("%Y%m%dT%H%M%S")
    end = (start + dt.timedelta(hours=hours)).astimezone(PARIS).strftime("%Y%m%dT%H%M%S")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20300101T000000Z",
        f"DTSTART;TZID=Europe/Paris:{local}",
        f"DTEND;TZID=Europe/Paris:{end}",
        f"SUMMARY:{summary}",
        *[line for line in extra.splitlines() if line.strip()],
        "END:VEVENT",
    ]
    return "\r\n".join(lines)


def feed_bytes(*events: str, encoding: str = "utf-8") -> bytes:
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Agenda de Marseille//FR\r\n"
    return (head + "\r\n".join(events) + "\r\nEND:VCALENDAR\r\n").encode(encoding)


def at(days: float, hour: int = 9) -> dt.datetime:
    day = (NOW + dt.timedelta(days=days)).astimezone(PARIS).date()
    return dt.datetime.combine(day, dt.time(hour), tzinfo=PARIS)


@pytest.fixture
def city_feed(cities):
    return IcalFeed.objects.create(url="https://agenda.example.org/marseille.ics", city=cities["Marseille"])


def feed_events(feed) -> dict[str, Event]:
    return {event.uid: event for event in Event.objects.filter(feed=feed)}


# --- Real calendars from real clients ---------------------------------------------------------

REAL_CLIENTS = [
    # file, writer, events expected in the first year at least
    ("x_wr_timezone_simple_events_issue_59.ics", "Google Calendar (X-WR-TIMEZONE)", 2),
    ("issue_62_moved_event.ics", "Google Calendar (a moved occurrence)", 5),
    ("daylight_saving_time.ics", "Google Calendar", 100),
    ("x_location.ics", "Google Calendar", 100),
    ("issue_18_cancel_status.ics", "Thunderbird", 3),
    ("recurring_events_moved.ics", "Thunderbird", 5),
    ("Germany.ics", "Outlook 12", 5),
    ("issue_28_rrule_with_UTC_endinginZ.ics", "Exchange Server 2010", 10),
    ("issue_20_exdate_ignored.ics", "DAVx5 (ical4j)", 5),
    ("recurrence_sequence_number.ics", "Evolution", 10),
    ("discourse_no_dtend.ics", "Discourse (icalendar-ruby)", 4),
    ("fablab_cottbus.ics", "iCalcreator", 10),
    ("issue_61_time_zone_error.ics", "Confluence", 1),
    ("three_events_one_edited.ics", "SabreDAV", 3),
    ("timezone_same_start.ics", "Exchange Server 2010", 1),
    ("issue_348_exception_parsing_value.ics", "Sixt", 1),
    ("issue_350.ics", "Podio (a comment after END:VCALENDAR)", 1),
    ("timezoned.ics", "Plone", 1),
]


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize(("name", "writer", "at_least"), REAL_CLIENTS, ids=[row[0] for row in REAL_CLIENTS])
def test_real_calendars_import_and_a_second_fetch_changes_nothing(city_feed, name, writer, at_least):
    data = real_calendar(name)
    now = just_before(data)
    first = feed_import(feed=city_feed, data=data, now=now)
    assert first.created >= at_least, (writer, first)
    events = list(Event.objects.filter(feed=city_feed))
    assert len(events) == first.created
    assert len({event.uid for event in events}) == len(events)
    for event in events:
        assert timezone.is_aware(event.starts_at) and event.ends_at >= event.starts_at
        assert ZoneInfo(event.time_zone) and event.title and event.city_id == city_feed.city_id
        assert event.circle_id is None and event.format
    again = feed_import(feed=city_feed, data=data, now=now)
    assert (again.created, again.updated, again.cancelled) == (0, 0, 0)
    assert again.unchanged == first.created


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("name", all_real_calendars())
def test_no_calendar_of_the_wheels_crashes_the_reader(name):
    """Every calendar the two libraries test with, good or broken: read, or refused with a reason."""
    data = real_calendar(name)
    try:
        feed = parse_feed(data=data, now=just_before(data))
    except FeedRejected as rejected:
        assert rejected.message()
    else:
        assert len(feed.events) <= MAX_OCCURRENCES


def test_google_x_wr_timezone_puts_events_in_the_calendars_zone(city_feed):
    data = real_calendar("x_wr_timezone_simple_events_issue_59.ics")
    feed_import(feed=city_feed, data=data, now=dt.datetime(2021, 12, 1, tzinfo=dt.UTC))
    noon = Event.objects.get(feed=city_feed, title__startswith="Google Calendar says this is noon")
    assert noon.time_zone == "America/New_York"
    assert noon.starts_at.astimezone(ZoneInfo("America/New_York")).hour == 12


def test_a_moved_occurrence_keeps_the_uid_of_its_original_date(city_feed):
    data = real_calendar("issue_62_moved_event.ics")
    feed_import(feed=city_feed, data=data, now=dt.datetime(2021, 11, 20, tzinfo=dt.UTC))
    moved = feed_events(city_feed)["38m812jicsrer5gorh3mlp7qhc@google.com#20211231T203000Z"]
    assert moved.starts_at == dt.datetime(2021, 12, 17, 20, 30, tzinfo=dt.UTC)


def test_thunderbirds_cancelled_occurrence_is_imported_as_cancelled(city_feed):
    data = real_calendar("issue_18_cancel_status.ics")
    feed_import(feed=city_feed, data=data, now=dt.datetime(2020, 1, 27, tzinfo=dt.UTC))
    states = sorted((event.starts_at, event.state) for event in Event.objects.filter(feed=city_feed))
    assert [state for _start, state in states] == ["scheduled", "cancelled", "scheduled"]


def test_davx5_exdates_are_honoured(city_feed):
    data = real_calendar("issue_20_exdate_ignored.ics")
    result = feed_import(feed=city_feed, data=data, now=dt.datetime(2019, 10, 1, tzinfo=dt.UTC))
    assert result.created == 7  # 17 Tuesdays, 10 of them excluded


def test_a_feed_beyond_500_occurrences_keeps_the_first_500(city_feed):
    data = real_calendar("issue_48_dst.ics")  # Google: 648 occurrences within the year
    result = feed_import(feed=city_feed, data=data, now=just_before(data))
    assert result.created == MAX_OCCURRENCES and result.beyond_limit > 0
    again = feed_import(feed=city_feed, data=data, now=just_before(data))
    assert again.cancelled == 0 and again.unchanged == MAX_OCCURRENCES


# --- Upserts by UID ---------------------------------------------------------------------------


def test_changed_events_update_and_vanished_ones_are_cancelled_then_come_back(city_feed):
    breakfast = vevent("a@test", "Petit-déjeuner des freelances", at(1, 8), extra="LOCATION:Café du Port")
    afterwork = vevent("b@test", "Afterwork tech", at(2, 19))
    first = feed_import(feed=city_feed, data=feed_bytes(breakfast, afterwork), now=NOW)
    assert (first.created, first.updated, first.cancelled) == (2, 0, 0)
    events = feed_events(city_feed)
    assert events["a@test"].format == "breakfast" and events["a@test"].venue == "Café du Port"
    assert events["b@test"].format == "after_work" and events["b@test"].city.name == "Marseille"
    assert "cafe du port" in events["a@test"].search_text

    same = feed_import(feed=city_feed, data=feed_bytes(breakfast, afterwork), now=NOW)
    assert (same.created, same.updated, same.unchanged, same.cancelled) == (0, 0, 2, 0)

    moved = vevent("a@test", "Petit-déjeuner des freelances", at(1, 9), extra="LOCATION:La Friche")
    conference = vevent("c@test", "Conférence cybersécurité", at(5, 14))
    second = feed_import(feed=city_feed, data=feed_bytes(moved, conference), now=NOW)
    assert (second.created, second.updated, second.cancelled) == (1, 1, 1)
    events = feed_events(city_feed)
    assert events["a@test"].starts_at == at(1, 9) and events["a@test"].venue == "La Friche"
    assert events["b@test"].state == Event.State.CANCELLED
    assert events["c@test"].format == "conference"
    assert Event.objects.filter(feed=city_feed).count() == 3

    back = feed_import(feed=city_feed, data=feed_bytes(moved, conference, afterwork), now=NOW)
    assert (back.created, back.updated, back.cancelled) == (0, 1, 0)
    assert feed_events(city_feed)["b@test"].state == Event.State.SCHEDULED


def test_a_cancelled_status_in_the_feed_cancels_the_event(city_feed):
    feed_import(feed=city_feed, data=feed_bytes(vevent("a@test", "Déjeuner", at(1, 12))), now=NOW)
    cancelled = vevent("a@test", "Déjeuner", at(1, 12), extra="STATUS:CANCELLED")
    result = feed_import(feed=city_feed, data=feed_bytes(cancelled), now=NOW)
    assert result.updated == 1 and feed_events(city_feed)["a@test"].state == Event.State.CANCELLED


def test_events_that_already_happened_are_left_alone(city_feed):
    feed_import(feed=city_feed, data=feed_bytes(vevent("old@test", "Déjà passé", at(1))), now=NOW)
    later = NOW + dt.timedelta(days=3)
    result = feed_import(feed=city_feed, data=feed_bytes(vevent("new@test", "Plus tard", at(5))), now=later)
    assert result.cancelled == 0
    assert feed_events(city_feed)["old@test"].state == Event.State.SCHEDULED


def test_two_feeds_may_share_a_uid(city_feed, cities):
    other = IcalFeed.objects.create(url="https://agenda.example.org/lyon.ics", city=cities["Lyon"])
    data = feed_bytes(vevent("same@test", "Afterwork", at(1, 19)))
    feed_import(feed=city_feed, data=data, now=NOW)
    feed_import(feed=other, data=data, now=NOW)
    feed_import(feed=other, data=feed_bytes(vevent("else@test", "Autre", at(2))), now=NOW)
    assert feed_events(city_feed)["same@test"].state == Event.State.SCHEDULED
    assert feed_events(other)["same@test"].state == Event.State.CANCELLED


def test_a_circles_feed_makes_events_of_that_circle(owner, cities):
    circle = make_agenda_circle(
        slug="tech-marseille", visibility=Visibility.MEMBERS, city=cities["Marseille"], organizer=owner
    )
    feed = IcalFeed.objects.create(url="https://example.org/c.ics", circle=circle)
    feed_import(feed=feed, data=feed_bytes(vevent("x@test", "Barcamp du samedi", at(5))), now=NOW)
    event = Event.objects.get(feed=feed)
    assert (event.circle, event.family, event.city.name, event.format) == (circle, "tech", "Marseille", "saturday_camp")


def test_recurrences_are_expanded_within_a_year_with_stable_uids(city_feed):
    series = vevent(
        "weekly@test",
        "Lunch & learn",
        at(0, 12),
        extra="RRULE:FREQ=WEEKLY\r\nEXDATE;TZID=Europe/Paris:" + at(7, 12).strftime("%Y%m%dT%H%M%S"),
    )
    recurrence_id = "RECURRENCE-ID;TZID=Europe/Paris:" + at(14, 12).strftime("%Y%m%dT%H%M%S")
    moved = vevent("weekly@test", "Lunch & learn (exceptionally on Wednesday)", at(16, 12), extra=recurrence_id)
    result = feed_import(feed=city_feed, data=feed_bytes(series, moved), now=NOW)
    events = feed_events(city_feed)
    assert 50 <= result.created <= 53  # one a week for a year, less the excluded one
    first_key = at(0, 12).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"weekly@test#{first_key}" in events
    assert f"weekly@test#{at(7, 12).astimezone(dt.UTC).strftime('%Y%m%dT%H%M%SZ')}" not in events
    moved_uid = f"weekly@test#{at(14, 12).astimezone(dt.UTC).strftime('%Y%m%dT%H%M%SZ')}"
    assert events[moved_uid].starts_at == at(16, 12) and events[moved_uid].format == "lunch"
    assert max(event.starts_at for event in events.values()) <= NOW + dt.timedelta(days=365)

    moved_again = vevent("weekly@test", "Lunch & learn (on Thursday)", at(17, 12), extra=recurrence_id)
    again = feed_import(feed=city_feed, data=feed_bytes(series, moved_again), now=NOW)
    assert (again.created, again.updated, again.cancelled) == (0, 1, 0)
    assert feed_events(city_feed)[moved_uid].starts_at == at(17, 12)


def test_events_without_a_start_or_a_title_are_skipped_and_counted(city_feed):
    no_title = "BEGIN:VEVENT\r\nUID:t@test\r\nDTSTART:20300310T090000Z\r\nEND:VEVENT"
    no_start = "BEGIN:VEVENT\r\nUID:s@test\r\nSUMMARY:Sans date\r\nEND:VEVENT"
    bad_start = "BEGIN:VEVENT\r\nUID:b@test\r\nSUMMARY:Mauvaise date\r\nDTSTART:2030-03-10\r\nEND:VEVENT"
    bad_rule = vevent("r@test", "Mauvaise règle", at(2), extra="RRULE:FREQ=WEEKLY;UNTIL=nope")
    good = vevent("ok@test", "Soirée networking", at(3, 19))
    result = feed_import(feed=city_feed, data=feed_bytes(no_title, no_start, bad_start, bad_rule, good), now=NOW)
    assert (result.created, result.rejected) == (1, 4)
    assert list(feed_events(city_feed)) == ["ok@test"]


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("Petit-déjeuner des entrepreneurs", "breakfast"),
        ("Business BREAKFAST", "breakfast"),
        ("Déjeuner réseau", "lunch"),
        ("Lunch & learn", "lunch"),
        ("Afterwork du jeudi", "after_work"),
        ("After-Work Tech", "after_work"),
        ("BarCamp Marseille", "saturday_camp"),
        ("Le camp du samedi", "saturday_camp"),
        ("Conférence : l'IA et nous", "conference"),
        ("Conference on privacy", "conference"),
        ("Soirée networking", "evening"),
        ("Samedi au parc", "evening"),
    ],
)
def test_the_format_is_guessed_from_the_title(summary, expected):
    assert infer_format(summary=summary) == expected


# --- Malformed feeds: rejected with a reason, nothing written ----------------------------------

GOOD = feed_bytes(vevent("a@test", "Petit-déjeuner", at(1, 8)))
DAILY = "RRULE:FREQ=DAILY"
MALFORMED_FEEDS = {
    "truncated": (GOOD[: len(GOOD) // 2], TRUNCATED),
    "truncated after an event": (GOOD.replace(b"END:VCALENDAR\r\n", b""), TRUNCATED),
    "latin-1": (feed_bytes(vevent("l@test", "Petit-déjeuner", at(1))).decode().encode("latin-1"), WRONG_ENCODING),
    "utf-16": (GOOD.decode().encode("utf-16"), WRONG_ENCODING),
    "huge": (GOOD + b"X" * MAX_FEED_BYTES, TOO_LARGE),
    "every second, forever": (feed_bytes(vevent("s@test", "Tick", at(1), extra="RRULE:FREQ=SECONDLY")), TOO_FREQUENT),
    "every minute, forever": (feed_bytes(vevent("m@test", "Tick", at(1), extra="RRULE:FREQ=MINUTELY")), TOO_FREQUENT),
    "too many daily series": (
        feed_bytes(*[vevent(f"d{i}@test", "Daily", at(1), extra=DAILY) for i in range(MAX_EXPANDED // 365 + 2)]),
        TOO_MANY,
    ),
    "an HTML page": (b"<!doctype html><html><body>Agenda</body></html>", NOT_ICALENDAR),
    "JSON": (b'{"events": []}', NOT_ICALENDAR),
    "empty": (b"", NOT_ICALENDAR),
    "a vCard": (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jean\r\nEND:VCARD\r\n", NOT_ICALENDAR),
    "garbage lines": (b"BEGIN:VCALENDAR\r\nthis is not a content line\r\nEND:VCALENDAR\r\n", MALFORMED),
}


@pytest.mark.parametrize("case", list(MALFORMED_FEEDS))
def test_a_malformed_feed_is_rejected_with_its_reason_and_writes_nothing(city_feed, case):
    data, code = MALFORMED_FEEDS[case]
    feed_import(feed=city_feed, data=GOOD, now=NOW)
    before = {(e.uid, e.state, e.title, e.updated_at) for e in Event.objects.all()}

    result = feed_refresh(feed=city_feed, fetcher=lambda *, url: data, now=NOW)

    assert result is None
    assert {(e.uid, e.state, e.title, e.updated_at) for e in Event.objects.all()} == before
    city_feed.refresh_from_db()
    assert city_feed.last_counts["rejected_reason"]["code"] == code
    assert city_feed.last_error and city_feed.last_fetched_at == NOW


def test_a_good_fetch_records_its_counts_and_clears_the_last_error(city_feed):
    city_feed.last_error = "old problem"
    city_feed.save()
    result = feed_refresh(feed=city_feed, fetcher=lambda *, url: GOOD, now=NOW)
    city_feed.refresh_from_db()
    assert result.created == 1 and city_feed.last_error == ""
    assert city_feed.last_counts["created"] == 1 and city_feed.last_counts["rejected"] == 0


def test_fetch_errors_and_bugs_are_recorded_and_never_break_the_agenda(client, city_feed):
    def unreachable(*, url):
        raise FeedRejected(FETCH_FAILED, detail="timed out")

    def buggy(*, url):
        raise RuntimeError("boom")

    assert feed_refresh(feed=city_feed, fetcher=unreachable, now=NOW) is None
    city_feed.refresh_from_db()
    assert city_feed.last_counts["rejected_reason"]["code"] == FETCH_FAILED and "timed out" in city_feed.last_error
    assert feed_refresh(feed=city_feed, fetcher=buggy, now=NOW) is None
    city_feed.refresh_from_db()
    assert city_feed.last_counts["rejected_reason"]["code"] == UNEXPECTED
    assert client.get("/agenda/").status_code == 200


# --- The real fetcher (no network: refusals happen before any connection, and 127.0.0.1) -------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/agenda.ics",
        "http://127.0.0.1:8000/admin/",
        "http://localhost/agenda.ics",
        "http://10.0.0.7/agenda.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/agenda.ics",
    ],
)
def test_the_fetcher_refuses_other_schemes_and_private_addresses(url):
    with pytest.raises(FeedRejected) as refused:
        fetch_url(url=url)
    assert refused.value.code == ADDRESS_REFUSED


class _Feeds(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[bytes, str]] = {}

    def do_GET(self):  # noqa: N802 - the standard library's name
        body, content_type = self.routes.get(self.path, (b"", "text/plain"))
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", content_type)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Feeds)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_fetcher_stops_at_the_size_limit_and_transcodes_a_declared_charset(local_server, settings):
    settings.FEEDS_ALLOW_PRIVATE_ADDRESSES = True  # the test server is on 127.0.0.1
    latin = feed_bytes(vevent("l@test", "Petit-déjeuner", at(1)), encoding="latin-1")
    _Feeds.routes = {
        "/big.ics": (b"BEGIN:VCALENDAR\r\n" + b"X" * 2048, "text/calendar"),
        "/latin.ics": (latin, "text/calendar; charset=ISO-8859-1"),
    }
    with pytest.raises(FeedRejected) as too_big:
        fetch_url(url=f"{local_server}/big.ics", max_bytes=1024)
    assert too_big.value.code == TOO_LARGE
    data = fetch_url(url=f"{local_server}/latin.ics")
    (event,) = parse_feed(data=data, now=NOW).events
    assert event.title == "Petit-déjeuner"
    with pytest.raises(FeedRejected) as missing:
        fetch_url(url=f"{local_server}/nothing.ics")
    assert missing.value.code == FETCH_FAILED


# --- The background task ----------------------------------------------------------------------


def test_the_task_fetches_a_feed_and_records_its_counts(city_feed, monkeypatch):
    monkeypatch.setattr(feeds, "fetch_url", lambda *, url: upcoming_feed())
    refresh_ical_feed.enqueue(feed_id=city_feed.pk)
    city_feed.refresh_from_db()
    assert city_feed.last_counts["created"] == 2 and Event.objects.filter(feed=city_feed).count() == 2
    refresh_ical_feed.enqueue(feed_id=999_999)  # removed meanwhile: nothing to do


def test_refreshing_all_feeds_skips_files_imported_from_a_terminal(city_feed, cities, monkeypatch):
    IcalFeed.objects.create(url="file:///tmp/agenda.ics", city=cities["Lyon"])
    fetched = []
    monkeypatch.setattr(feeds, "fetch_url", lambda *, url: fetched.append(url) or GOOD)
    refresh_all_ical_feeds.enqueue()
    assert fetched == [city_feed.url]


# --- Registering and removing feeds -----------------------------------------------------------


@pytest.fixture
def organizer_circle(owner, cities):
    return make_agenda_circle(
        slug="org-circle", visibility=Visibility.PUBLIC, city=cities["Marseille"], organizer=owner
    )


def test_an_operator_registers_a_city_feed_and_sees_its_status(
    client_of, owner, organizer_circle, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(feeds, "fetch_url", lambda *, url: upcoming_feed())
    owner.is_staff = True
    owner.save(update_fields=["is_staff"])
    client = client_of(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("agenda:feed_add"), {"url": "webcal://agenda.example.org/m.ics", "city_query": "Marseille"}
        )
    assert response.status_code == 302
    feed = IcalFeed.objects.get()
    assert (feed.url, feed.city.name, feed.circle, feed.created_by) == (
        "https://agenda.example.org/m.ics", "Marseille", None, owner,
    )  # fmt: skip
    page = client.get(reverse("agenda:feed_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "https://agenda.example.org/m.ics" in page and "2 new" in page


def test_an_organizer_registers_a_feed_for_their_circle_only(client_of, owner, organizer_circle, cities):
    other = make_agenda_circle(slug="not-mine", visibility=Visibility.PUBLIC, city=cities["Lyon"])
    client = client_of(owner)
    url = reverse("agenda:feed_add")
    assert client.post(url, {"url": "https://a.example.org/1.ics", "circle": other.pk}).status_code == 400
    assert client.post(url, {"url": "https://a.example.org/1.ics"}).status_code == 400  # neither city nor circle
    assert client.post(url, {"url": "javascript:alert(1)", "circle": organizer_circle.pk}).status_code == 400
    assert not IcalFeed.objects.exists()
    assert client.post(url, {"url": "https://a.example.org/1.ics", "circle": organizer_circle.pk}).status_code == 302
    assert client.post(url, {"url": "https://a.example.org/1.ics", "circle": organizer_circle.pk}).status_code == 400
    assert IcalFeed.objects.get().circle == organizer_circle


def test_a_member_who_organizes_nothing_cannot_register_feeds(stranger):
    from events.feeds import FeedError

    circle = make_agenda_circle(slug="someone-elses", visibility=Visibility.PUBLIC)
    with pytest.raises(FeedError):
        feed_register(url="https://a.example.org/x.ics", circle=circle, created_by=stranger)


def test_removing_a_feed_takes_its_upcoming_events_away_but_cancels_those_answered(city_feed, member, cities):
    feed_import(
        feed=city_feed,
        data=feed_bytes(vevent("a@test", "Sans réponse", at(3)), vevent("b@test", "Avec réponse", at(4))),
        now=NOW,
    )
    answered = Event.objects.get(uid="b@test")
    Rsvp.objects.create(event=answered, member=member, status=RsvpStatus.GOING, seats=1)
    past = agenda_event(title="Passé", city=cities["Marseille"], in_days=-10)
    Event.objects.filter(pk=past.pk).update(feed=city_feed, uid="p@test")

    feed_remove(feed=city_feed)

    assert not IcalFeed.objects.filter(pk=city_feed.pk).exists()
    assert not Event.objects.filter(uid="a@test").exists()
    answered.refresh_from_db()
    assert answered.state == Event.State.CANCELLED and answered.feed_id is None
    assert Event.objects.filter(pk=past.pk).exists()


# --- The command ------------------------------------------------------------------------------


def run_command(*args) -> str:
    out = StringIO()
    call_command("import_ical", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def feed_file(tmp_path):
    def write(data: bytes, name: str = "agenda.ics"):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return write


def upcoming_feed() -> bytes:
    soon = timezone.now() + dt.timedelta(days=2)
    return feed_bytes(vevent("cmd-a@test", "Petit-déjeuner", soon), vevent("cmd-b@test", "Conférence", soon))


def test_the_command_dry_run_writes_nothing(feed_file, cities):
    output = run_command(feed_file(upcoming_feed()), "--city", "Marseille", "--dry-run")
    assert "created:   2" in output and "Dry run" in output
    assert not Event.objects.exists() and not IcalFeed.objects.exists()


def test_the_command_imports_into_a_city_and_then_updates(feed_file, cities):
    path = feed_file(upcoming_feed())
    output = run_command(path, "--city", "marseille")
    assert "created:   2" in output and "cancelled: 0" in output and "rejected:  0" in output
    feed = IcalFeed.objects.get()
    assert feed.url.startswith("file://") and feed.city.name == "Marseille" and feed.last_counts["created"] == 2
    output = run_command(path, "--city", "Marseille")
    assert "created:   0" in output and "unchanged: 2" in output
    assert IcalFeed.objects.count() == 1


def test_the_command_imports_into_a_circle(feed_file, owner, cities):
    circle = make_agenda_circle(slug="cmd-circle", visibility=Visibility.PUBLIC, city=cities["Lyon"], organizer=owner)
    run_command(feed_file(upcoming_feed()), "--circle", "cmd-circle")
    assert set(Event.objects.values_list("circle", flat=True)) == {circle.pk}


def test_the_command_exits_non_zero_on_a_rejected_feed_and_writes_no_event(feed_file, cities):
    with pytest.raises(CommandError, match="truncated"):
        run_command(feed_file(upcoming_feed()[:100]), "--city", "Marseille")
    assert not Event.objects.exists()
    feed = IcalFeed.objects.get()
    assert feed.last_counts["rejected_reason"]["code"] == TRUNCATED
    with pytest.raises(CommandError, match="truncated"):
        run_command(feed_file(upcoming_feed()[:100], "b.ics"), "--city", "Marseille", "--dry-run")
    assert IcalFeed.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--city", "Atlantis"], "No city"),
        (["--circle", "nope"], "No circle"),
        ([], "--city"),
    ],
)
def test_the_command_explains_bad_arguments(feed_file, cities, args, message):
    with pytest.raises(CommandError, match=message):
        run_command(feed_file(upcoming_feed()), *args)


def test_the_command_refuses_a_missing_or_huge_file(feed_file, cities):
    with pytest.raises(CommandError, match="No such file"):
        run_command("/nonexistent/agenda.ics", "--city", "Marseille")
    with pytest.raises(CommandError, match="larger than"):
        run_command(feed_file(b"BEGIN:VCALENDAR\r\n" + b"X" * MAX_FEED_BYTES), "--city", "Marseille")


def test_the_command_refreshes_every_registered_feed(city_feed, monkeypatch):
    monkeypatch.setattr(feeds, "fetch_url", lambda *, url: upcoming_feed())
    output = run_command("--registered")
    assert city_feed.url in output and "created 2" in output
