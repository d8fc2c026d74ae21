"""The agenda at scale: a city with about 90,000 of the 100,000 events in the database.

A fresh SQLite database in a temporary directory (production-like settings, DEBUG off) gets
15,000 places spread over France (as many as GeoNames gives), 60 circles of every visibility and
100,000 events over two years (one past, one to come), 90 % of them in Marseille, written with
bulk_create. A child process (Django is set up once per process) then measures the server time of
each page with Django's test Client, in-process, signed in as a member of a few circles who lives
in Marseille: GET /hello (the reference, same middleware stack), the agenda of Marseille for the
next 30 days (the default), the same filtered by a word and a format, "near me" within 25 km,
and the agenda as an anonymous visitor sees it; 50 requests each after a warm-up, interleaved.
Target (issue 4): p95 ≤ 100 ms for the agenda of a city with 100,000 events in the database.

    .venv/bin/python bench/run.py agenda
"""

import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    RESULT_PREFIX,
    ROOT,
    BenchError,
    latency_summary,
    machine,
    record,
    run_child,
    target,
    utc_now,
)

EVENTS = 100_000
CITY_SHARE = 0.9
PLACES = 15_000
CIRCLES = 60
REQUESTS = 50
WARMUP = 5
P95_MAX_MS = 100.0
SEED = 100_000
MEMBER_EMAIL = "bench.agenda@example.org"
SEARCH = "growth"

NEIGHBOURS = [
    # name, latitude, longitude: real places around Marseille, for "near me"
    ("Marseille", 43.29695, 5.38107),
    ("Aubagne", 43.29276, 5.56708),
    ("Aix-en-Provence", 43.52828, 5.44973),
    ("La Ciotat", 43.17476, 5.60449),
    ("Cassis", 43.21571, 5.53711),
    ("Martigues", 43.40735, 5.04755),
    ("Vitrolles", 43.46000, 5.24861),
    ("Marignane", 43.41600, 5.21478),
    ("Allauch", 43.33569, 5.48232),
    ("Plan-de-Cuques", 43.34753, 5.46374),
]
TITLES = [
    "Petit-déjeuner des indépendants", "Déjeuner réseau", "Afterwork tech", "Soirée networking",
    "Barcamp du samedi", "Conférence growth marketing", "Atelier pitch", "Apéro des créateurs",
    "Club affaires", "Rencontre femmes entrepreneures", "Meetup data", "Lunch & learn design",
]  # fmt: skip
TOPICS = ["growth", "data", "design", "ia", "immobilier", "santé", "export", "écologie", "finance", "rh"]
FORMATS = ["breakfast", "lunch", "after_work", "evening", "saturday_camp", "conference"]
FAMILIES = ["business", "bloggers", "launches", "tech", "peers", "referral"]
VENUES = ["Le Vieux-Port", "La Friche", "Café de la Plage", "Hôtel de ville", "Station F Sud", "Les Docks"]


# --- the child process: Django set up on the temporary database ----------------------------------


def _build() -> dict:
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from circles.models import Circle, Membership, Role, Status, Visibility
    from events.models import Event
    from events.services import search_text_of
    from people.models import User
    from people.services import profile_create
    from places.models import City
    from places.text import fold

    rng = random.Random(SEED)
    started = time.perf_counter()
    cities = [
        City(
            geoname_id=index + 1,
            name=name,
            search_name=fold(name),
            country_code="FR",
            latitude=lat,
            longitude=lon,
            population=100_000 - index,
            timezone="Europe/Paris",
        )
        for index, (name, lat, lon) in enumerate(NEIGHBOURS)
    ]
    for index in range(len(NEIGHBOURS), PLACES):
        name = f"Commune {index}"
        cities.append(
            City(
                geoname_id=index + 1,
                name=name,
                search_name=fold(name),
                country_code="FR",
                latitude=rng.uniform(42.3, 51.0),
                longitude=rng.uniform(-4.8, 8.2),
                population=rng.randint(500, 20_000),
                timezone="Europe/Paris",
            )
        )
    with transaction.atomic():
        City.objects.bulk_create(cities, batch_size=2000)
    cities = list(City.objects.order_by("geoname_id"))
    marseille, neighbours, elsewhere = cities[0], cities[1 : len(NEIGHBOURS)], cities[len(NEIGHBOURS) :]

    member = User.objects.create_user(email=MEMBER_EMAIL, password="bench-password-0123")
    profile = profile_create(user=member, display_name="Bench Agenda")
    profile.city = marseille
    profile.save(update_fields=["city"])
    visibilities = [Visibility.PUBLIC] * 3 + [Visibility.MEMBERS] * 2 + [Visibility.UNLISTED]
    circles = Circle.objects.bulk_create(
        [
            Circle(
                name=f"Cercle {index}",
                slug=f"cercle-{index}",
                family=rng.choice(FAMILIES),
                visibility=visibilities[index % len(visibilities)],
                city=marseille,
            )
            for index in range(CIRCLES)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(circle=circle, member=member, role=Role.MEMBER, status=Status.ACTIVE)
            for circle in rng.sample(circles, 8)
        ]
    )

    now = timezone.now().replace(microsecond=0)
    events = []
    for _index in range(EVENTS):
        roll = rng.random()
        city = marseille if roll < CITY_SHARE else rng.choice(neighbours if roll < 0.95 else elsewhere)
        starts_at = now + dt.timedelta(minutes=rng.randint(-365 * 24 * 60, 365 * 24 * 60))
        circle = rng.choice(circles) if rng.random() < 0.7 else None
        event = Event(
            title=rng.choice(TITLES),
            description="",
            format=rng.choice(FORMATS),
            family=circle.family if circle else rng.choice(["", *FAMILIES]),
            topics=rng.sample(TOPICS, k=rng.choice([0, 1, 2, 3])),
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=rng.choice([1, 2, 3])),
            time_zone="Europe/Paris",
            venue=rng.choice(VENUES),
            city=city,
            circle=circle,
            language="fr" if rng.random() < 0.85 else "en",
            state="cancelled" if rng.random() < 0.03 else "scheduled",
            created_at=now,
        )
        event.search_text = search_text_of(event)
        events.append(event)
    with transaction.atomic():
        Event.objects.bulk_create(events, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "events": EVENTS,
        "events_in_city": sum(1 for event in events if event.city_id == marseille.pk),
        "places": PLACES,
        "circles": CIRCLES,
        "build_s": round(time.perf_counter() - started, 2),
        "city_id": marseille.pk,
    }


def _matching(path: str, *, viewer) -> int:
    """How many events the page's search matches (its first page shows 20 of them)."""
    from django.http import QueryDict

    from events.agenda import agenda_events
    from events.forms_agenda import AgendaForm
    from places.models import City

    home_city = City.objects.filter(profile__user=viewer).first() if viewer.is_authenticated else None
    form = AgendaForm(QueryDict(path.split("?", 1)[1]), home_city=home_city)
    if not form.is_valid():
        raise BenchError(f"{path}: {form.errors.as_json()}")
    events, _distances = agenda_events(viewer=viewer, query=form.agenda_query())
    return events.count()


def _measure_child(var_dir: str) -> None:
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from people.models import User

    for command, args in (("migrate", ["--noinput"]), ("createcachetable", []), ("collectstatic", ["--noinput"])):
        call_command(command, *args, verbosity=0)
    data = _build()
    member = User.objects.get(email=MEMBER_EMAIL)
    signed_in = Client(HTTP_ACCEPT_LANGUAGE="fr")
    signed_in.force_login(member)
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="fr")
    city = f"/agenda/?city={data['city_id']}&city_query=Marseille"
    paths = {
        "hello": (signed_in, "/hello"),
        "city": (signed_in, city),
        "city_search": (signed_in, f"{city}&q={SEARCH}&format=conference"),
        "near": (signed_in, "/agenda/?near=25"),
        "city_anonymous": (anonymous, city),
    }
    queries, sizes, counts = {}, {}, {}
    for name, (client, path) in paths.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise BenchError(f"{name} ({path}) answered {response.status_code}, not 200")
        queries[name] = len(captured)
        sizes[name] = len(response.content)
        if name != "hello":
            if b'class="agenda-event' not in response.content:
                raise BenchError(f"{name} ({path}) shows no event: {response.content[:300]!r}")
            counts[name] = _matching(path, viewer=member if client is signed_in else AnonymousUser())
        for _ in range(WARMUP - 1):
            client.get(path)
    timings: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(REQUESTS):
        for name, (client, path) in paths.items():  # interleaved: all see the same machine noise
            start = time.perf_counter()
            client.get(path)
            timings[name].append((time.perf_counter() - start) * 1000)
    result = {
        "data": data,
        "paths": {name: path for name, (_client, path) in paths.items()},
        "queries": queries,
        "bytes": sizes,
        "matching": counts,
        "ms": latency_summary(timings),
    }
    print(RESULT_PREFIX + json.dumps(result))


# --- the parent: a temporary directory, the child, the records ----------------------------------


def run() -> list[dict]:
    started = utc_now()
    print(f"  fresh database in a temporary directory: {EVENTS:,} events, {PLACES:,} places", flush=True)
    result = run_child(__file__, prefix="cercle-bench-agenda-")
    return _records(result, started)


def _records(result: dict, started) -> list[dict]:
    info = machine()
    ms, data, paths = result["ms"], result["data"], result["paths"]
    for name in paths:
        print(
            f"  {name:<15} p50 {ms[name]['p50']:7.2f} ms  p95 {ms[name]['p95']:7.2f} ms"
            f"  max {ms[name]['max']:7.2f} ms  ({result['queries'][name]} queries,"
            f" {result['matching'].get(name, '-')} events matching)",
            flush=True,
        )
    out = []
    for name in paths:
        details = {
            "server": "Django test Client in-process (server time, no network), DEBUG=false, SQLite",
            "requests": REQUESTS,
            "warmup": WARMUP,
            "path": paths[name],
            "viewer": "anonymous" if name.endswith("anonymous") else "a member of 8 circles living in Marseille",
            "queries": result["queries"][name],
            "response_bytes": result["bytes"][name],
            "events_matching": result["matching"].get(name),
            "max_ms": round(ms[name]["max"], 2),
            **data,
        }
        common = {"date": started, "machine_info": info, "details": details}
        for percentile in ("p50", "p95"):
            out.append(
                record(
                    f"agenda.{name}.latency_{percentile}",
                    ms[name][percentile],
                    "ms",
                    target=target("<=", P95_MAX_MS) if percentile == "p95" and name != "hello" else None,
                    reference={
                        "name": f"agenda.hello.latency_{percentile}",
                        "value": round(ms["hello"][percentile], 3),
                        "unit": "ms",
                    },
                    **common,
                )
            )
    return out


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cercle.settings")
        _measure_child(sys.argv[2])
    else:
        records = run()
        print(json.dumps(records, indent=2, ensure_ascii=False))
