"""Pages under a realistic mix of traffic, on PostgreSQL and SQLite, the cache starting cold.

Per database (SQLite in a temporary directory; PostgreSQL when 127.0.0.1:5432 answers, in a
database of its own, dropped afterwards): the places and the demo data (2,000 members), a signed-in
session and a CSRF cookie for every member, and request lists drawn with a fixed seed: each member
views 5 other members' profiles, runs one search of 1 to 3 words, opens the dashboard, the agenda,
one event page and /meet/; anonymous visitors open public event pages, public circle pages and the
agenda. gunicorn (2 sync workers, production settings, every cache cleared and the server just
started) serves it; wrk (Lua: one line per request, path and cookies) loads each page kind at 4
connections, starting cold, then at 32, then all kinds interleaved at 32; one more run loads a
single profile page for a single session (the figure of the older bench). With
BENCH_BASELINE_REV=<git revision>, the same runs on that revision (a clone of this repository)
just before, on the same machine, and each page's requests/s is compared with it.

Targets (issue 13), on PostgreSQL: every signed-in page's p95 ≤ 100 ms at 4 connections; at 32
connections the profile page ≥ 0.3 of /hello's requests/s, anonymous pages ≥ 0.5, and no page
below 0.9 of the baseline. bench/README.md describes the records.
"""

import hashlib
import json
import os
import random
import tempfile
import time
from pathlib import Path

from common import (
    ROOT,
    BenchError,
    CpuWatch,
    checkout,
    code_version,
    gunicorn,
    http_get,
    isolated_env,
    machine,
    manage,
    postgres_available,
    postgres_database,
    record,
    target,
    utc_now,
    wrk,
    wrk_binary,
    wrk_requests,
)

MEMBERS = 2000
PROFILES_PER_MEMBER = 5
SEED = 13
WORKERS = 2
THREADS = 2
CONNECTIONS = (4, 32)
# Seconds per measurement, and of the warm-up before each one at 32 connections (none at 4: that
# first pass is the one that starts cold). BENCH_SECONDS shortens them for a trial run.
DURATION_S = float(os.environ.get("BENCH_SECONDS") or 6)
WARMUP_S = min(2.0, DURATION_S)
# Requests checked for a 200 before measuring (the loads then fail on any other status).
CHECK_SIGNED_IN, CHECK_ANONYMOUS = 120, 40
# Anonymous requests per kind in the lists (each one a page picked at random).
ANONYMOUS_REQUESTS = 2000
OTHER_CPU_WARN = 0.05

SIGNED_IN = ("profile", "search", "dashboard", "agenda", "event", "meet")
ANONYMOUS = ("anon_event", "anon_circle", "anon_agenda")
KINDS = ("hello", *SIGNED_IN, *ANONYMOUS)

# Targets, on the databases of TARGETED only (the issue's figures are PostgreSQL's).
TARGETED = {"postgresql"}
SIGNED_IN_P95_MAX_MS = 100.0  # at 4 connections
PROFILE_MIN_RATIO = 0.3  # of hello's requests/s, at 32 connections
ANONYMOUS_MIN_RATIO = 0.5
BASELINE_MIN_RATIO = 0.9

CLEAR_CACHES = "from django.conf import settings\nfrom django.core.cache import caches\n" + (
    "for alias in settings.CACHES:\n    caches[alias].clear()\n"
)

# Run by `manage.py shell -c` in the code under test: sessions for every member, and the requests.
_SETUP_SCRIPT = r"""
import json, random, time
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.utils import timezone
from django.utils.crypto import get_random_string

from circles.models import Circle, Membership, Status, Visibility
from events.models import Event
from events.selectors import visible_events
from people import demo_data
from people.demo import DEMO_LOGIN
from people.models import User
from places.models import City
from places.text import fold
from privacy.selectors import member_search

config = json.loads(%(config)r)
rng = random.Random(config["seed"])
members = list(User.objects.filter(is_active=True, profile__isnull=False).order_by("pk"))
ids = [user.pk for user in members]

# A session and a CSRF cookie per member, as their browser holds them after a first page. The
# idle-timeout stamps (people/session_timeout.py) are set so that no request of the run rewrites
# its session: the last-seen stamp an hour ahead.
now = int(time.time())
stamps = {"cercle_signed_in": now, "cercle_last_seen": now + 3600}
encoder = SessionStore()
expire = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
factory = RequestFactory()
rows, cookies = [], {}
for user in members:
    key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
    data = {
        SESSION_KEY: str(user.pk),
        BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
        HASH_SESSION_KEY: user.get_session_auth_hash(),
        **stamps,
    }
    rows.append(Session(session_key=key, session_data=encoder.encode(data), expire_date=expire))
    request = factory.get("/")
    get_token(request)
    cookies[user.pk] = (
        f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={request.META['CSRF_COOKIE']}"
    )
Session.objects.bulk_create(rows, batch_size=500)

# Search words from the demo's vocabulary: its cities, and the words of its skills (fr and en).
cities = [name for name, _weight in demo_data.CITIES]
skills = [pair[lang] for _p, (_fr, _en, pairs) in demo_data.PROFESSIONS.items() for pair in pairs for lang in (0, 1)]
skills += [pair[lang] for pair in demo_data.EXTRA_LEARNING for lang in (0, 1)]
skills = sorted(set(skills))
words = sorted({w for s in skills for w in s.replace("'", " ").split() if len(w) >= 3})
phrases = [s for s in skills if len(s.split()) >= 2]

def search_query():
    n = rng.choices([1, 2, 3], weights=[45, 35, 20])[0]
    if n == 1:
        return rng.choice(cities + words)
    if n == 2:
        return rng.choice([rng.choice(phrases), rng.choice(cities) + " " + rng.choice(words)])
    return rng.choice(cities) + " " + " ".join(rng.choice(phrases).split()[:2])

my_circles = {}
for member_id, circle_id in Membership.objects.filter(status=Status.ACTIVE).values_list("member_id", "circle_id"):
    my_circles.setdefault(member_id, set()).add(circle_id)
event_circle = dict(Event.objects.values_list("pk", "circle_id"))

out_members, empty_searches = [], 0
for user in members:
    profiles = []
    while len(profiles) < config["profiles"]:
        sample = [i for i in rng.sample(ids, 3 * config["profiles"]) if i != user.pk and i not in profiles]
        seen = set(member_search(viewer=user).filter(user_id__in=sample).values_list("user_id", flat=True))
        profiles += [i for i in sample if i in seen][: config["profiles"] - len(profiles)]
    query = search_query()
    if not member_search(viewer=user, query=query).exists():
        empty_searches += 1
    visible = sorted(visible_events(user).values_list("pk", flat=True))
    mine = [e for e in visible if event_circle.get(e) in my_circles.get(user.pk, ())]
    event = rng.choice(mine) if mine and rng.random() < 0.6 else rng.choice(visible)
    out_members.append({
        "id": user.pk,
        "cookie": cookies[user.pk],
        "profiles": [f"/members/{i}/" for i in profiles],
        "search": "/members/?" + urlencode({"q": query}),
        "event": f"/events/{event}/",
    })

public = Q(circle__isnull=True) | Q(circle__visibility=Visibility.PUBLIC)
anon_events = [f"/events/{pk}/" for pk in Event.objects.filter(public).order_by("pk").values_list("pk", flat=True)]
anon_circles = [
    f"/circles/{slug}/"
    for slug in Circle.objects.filter(visibility=Visibility.PUBLIC).order_by("slug").values_list("slug", flat=True)
]
anon_agenda = ["/agenda/"]
for name in cities:
    city = City.objects.filter(search_name=fold(name), country_code="FR").order_by("-population").first()
    if city is not None:
        anon_agenda.append("/agenda/?" + urlencode({"city": city.pk, "city_query": city.name}))

with open(config["out"], "w") as out:
    json.dump({
        "members": out_members,
        "camille": User.objects.get(email=DEMO_LOGIN).pk,
        "anon_event": anon_events,
        "anon_circle": anon_circles,
        "anon_agenda": anon_agenda,
        "empty_searches": empty_searches,
    }, out)
print("SETUP-DONE", len(out_members))
"""


def run() -> list[dict]:
    wrk_binary()  # fail early, before minutes of setup
    started, info = utc_now(), machine()
    databases = ["sqlite"]
    wanted = [d.strip() for d in os.environ.get("BENCH_PAGES_DATABASES", "sqlite,postgresql").split(",") if d.strip()]
    why_not = postgres_available()
    if why_not:
        print(f"  PostgreSQL: {why_not}; SQLite only", flush=True)
    else:
        databases.append("postgresql")
    unknown = sorted(set(wanted) - {"sqlite", "postgresql"})
    if unknown:
        raise BenchError(f"BENCH_PAGES_DATABASES: unknown {unknown} (sqlite, postgresql)")
    databases = [d for d in databases if d in wanted]
    if not databases:
        raise BenchError(f"no database to run on (BENCH_PAGES_DATABASES={wanted}, PostgreSQL: {why_not or 'ok'})")
    baseline_rev = os.environ.get("BENCH_BASELINE_REV", "").strip()
    current = {"label": "current", "dir": ROOT, **code_version(ROOT)}
    out = []
    with tempfile.TemporaryDirectory(prefix="cercle-bench-pages-") as tmp:
        codes = []
        if baseline_rev:
            base_dir = Path(tmp) / "baseline-code"
            print(f"  baseline: {baseline_rev} cloned into {base_dir}", flush=True)
            sha = checkout(baseline_rev, base_dir)
            codes.append({"label": "baseline", "dir": base_dir, "sha": sha, "dirty": False, "rev": baseline_rev})
        codes.append(current)
        for database in databases:
            results = {}
            for code in codes:
                run_dir = Path(tmp) / f"{database}-{code['label']}"
                run_dir.mkdir()
                began = time.monotonic()
                print(
                    f"== {database}, {code['label']} code ({code['sha'][:10]}{' + changes' if code['dirty'] else ''})",
                    flush=True,
                )
                results[code["label"]] = _run_one(database, code, run_dir)
                results[code["label"]]["elapsed_s"] = round(time.monotonic() - began, 1)
                print(f"  {database}, {code['label']}: {results[code['label']]['elapsed_s']:.0f} s", flush=True)
            out += _records(database, results, started, info)
    if why_not and "postgresql" in wanted:
        print(f"  NOTE: no PostgreSQL figures ({why_not})", flush=True)
    return out


# --- One code version on one database ------------------------------------------------------------


def _run_one(database: str, code: dict, run_dir: Path) -> dict:
    if database == "postgresql":
        with postgres_database(f"cercle_bench_{os.getpid()}_{code['label']}") as url:
            return _measure(database, code, run_dir, {"DATABASE_URL": url})
    return _measure(database, code, run_dir, {})


def _measure(database: str, code: dict, run_dir: Path, extra_env: dict) -> dict:
    env = isolated_env(run_dir, CACHE_STATUS_HEADER="true", **extra_env)
    code_dir = code["dir"]
    data = _prepare(env, code_dir, run_dir)
    files, sizes, digest = _request_files(data, run_dir)
    camille = next(m for m in data["members"] if m["id"] == data["camille"])
    with gunicorn(env, workers=WORKERS, log_dir=run_dir, code_dir=code_dir) as port:
        checked = _check(port, files)
    # The cache starts cold: every alias cleared (the database tables; the per-process ones go
    # with the processes), then a server just started.
    manage("shell", "-c", CLEAR_CACHES, env=env, code_dir=code_dir)
    runs: dict = {}
    with CpuWatch() as cpu, gunicorn(env, workers=WORKERS, log_dir=run_dir, code_dir=code_dir) as port:
        base_url = f"http://127.0.0.1:{port}"
        offsets = dict.fromkeys([*KINDS, "mix"], 0)
        for connections in CONNECTIONS:
            for kind in KINDS:
                runs[(kind, connections)] = _load(base_url, files, kind, connections, offsets, warm_up=connections > 4)
        runs[("mix", 32)] = _load(base_url, files, "mix", 32, offsets, warm_up=True)
        single = camille["profiles"][0]
        headers = {"Cookie": camille["cookie"], "Accept-Language": "fr"}
        status, body = http_get(port, single, headers)
        if status != 200:
            raise BenchError(f"single viewer: {single} answered {status}, not 200:\n{body[:500]}")
        wrk(base_url + single, threads=THREADS, connections=32, duration_s=WARMUP_S, headers=headers)
        _drain(base_url)
        report = wrk(base_url + single, threads=THREADS, connections=32, duration_s=DURATION_S, headers=headers)
        _drain(base_url)
        if report["errors_status"]:
            raise BenchError(f"single viewer {single}: {report['errors_status']} responses 4xx/5xx under load")
        _print("single viewer profile", 32, report)
        runs[("profile_single_viewer", 32)] = {**report, "path": single}
    if cpu.result["other_share"] > OTHER_CPU_WARN:
        print(
            f"  WARNING: other processes used {cpu.result['other_share']:.0%} of the CPUs during the measurement:"
            " the figures are lower than this machine can do",
            flush=True,
        )
    return {
        "runs": runs,
        "cpu": cpu.result,
        "code": code,
        "sizes": sizes,
        "digest": digest,
        "checked": checked,
        "empty_searches": data["empty_searches"],
        "examples": {kind: _example_paths(files[kind]) for kind in [*KINDS, "mix"]},
    }


def _prepare(env: dict, code_dir: Path, run_dir: Path) -> dict:
    steps = [
        ("migrate", "--noinput"),
        ("createcachetable",),
        ("load_cities",),
        ("load_demo", "--reset", "--members", str(MEMBERS)),
        ("collectstatic", "--noinput"),
    ]
    began = time.monotonic()
    for step in steps:
        print(f"  manage.py {' '.join(step)}", flush=True)
        manage(*step, env=env, code_dir=code_dir)
    print(f"  sessions and requests for {MEMBERS} members ({time.monotonic() - began:.0f} s so far)", flush=True)
    out = run_dir / "setup.json"
    config = {"seed": SEED, "profiles": PROFILES_PER_MEMBER, "out": str(out)}
    manage("shell", "-c", _SETUP_SCRIPT % {"config": json.dumps(config)}, env=env, code_dir=code_dir)
    data = json.loads(out.read_text())
    print(f"  set up in {time.monotonic() - began:.0f} s", flush=True)
    if len(data["members"]) < MEMBERS:
        raise BenchError(
            f"{len(data['members'])} active members, not {MEMBERS}: the demo data is not what the bench expects"
        )
    for kind in ANONYMOUS:
        if not data[kind]:
            raise BenchError(f"no page for {kind}: the demo data is not what the bench expects")
    return data


def _request_files(data: dict, run_dir: Path) -> tuple[dict[str, Path], dict[str, int], str]:
    """One file per kind, and the mix (every signed-in and anonymous line, interleaved); each line
    `path<TAB>cookie`. Fixed seed: the same data gives the same files."""
    rng = random.Random(SEED)
    lines: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for member in data["members"]:
        cookie = member["cookie"]
        lines["hello"].append(f"/hello\t{cookie}")
        lines["profile"] += [f"{path}\t{cookie}" for path in member["profiles"]]
        lines["search"].append(f"{member['search']}\t{cookie}")
        lines["dashboard"].append(f"/network/\t{cookie}")
        lines["agenda"].append(f"/agenda/\t{cookie}")
        lines["event"].append(f"{member['event']}\t{cookie}")
        lines["meet"].append(f"/meet/\t{cookie}")
    for kind in ANONYMOUS:
        lines[kind] = [f"{rng.choice(data[kind])}\t" for _ in range(ANONYMOUS_REQUESTS)]
    for kind in KINDS:
        rng.shuffle(lines[kind])
    mix = [line for kind in (*SIGNED_IN, *ANONYMOUS) for line in lines[kind]]
    rng.shuffle(mix)
    lines["mix"] = mix
    files = {}
    for kind, kind_lines in lines.items():
        files[kind] = run_dir / f"requests-{kind}.txt"
        files[kind].write_text("\n".join(kind_lines) + "\n")
    # The paths only (cookies are new every run): equal digests mean the same requests.
    digest = hashlib.sha256("\n".join(line.split("\t")[0] for line in mix).encode()).hexdigest()[:16]
    return files, {kind: len(kind_lines) for kind, kind_lines in lines.items()}, digest


def _read_lines(path: Path) -> list[tuple[str, str]]:
    return [tuple(line.split("\t", 1)) for line in path.read_text().splitlines() if line]


def _example_paths(path: Path, n: int = 3) -> list[str]:
    return [p for p, _cookie in _read_lines(path)[:n]]


def _check(port: int, files: dict[str, Path]) -> dict:
    """A sample of the requests, each of which must answer 200 (wrk counts a redirect as a fast
    page); every kind is in the sample."""
    rng = random.Random(SEED + 1)
    sample: list[tuple[str, str, str]] = []
    per_signed_in = max(1, CHECK_SIGNED_IN // len(SIGNED_IN))
    per_anonymous = max(1, CHECK_ANONYMOUS // len(ANONYMOUS))
    for kind in KINDS:
        lines = _read_lines(files[kind])
        n = 1 if kind == "hello" else per_signed_in if kind in SIGNED_IN else per_anonymous
        sample += [(kind, path, cookie) for path, cookie in rng.sample(lines, min(n, len(lines)))]
    print(f"  checking {len(sample)} requests for a 200", flush=True)
    began = time.monotonic()
    for kind, path, cookie in sample:
        headers = {"Accept-Language": "fr", **({"Cookie": cookie} if cookie else {})}
        status, body = http_get(port, path, headers, timeout=30)
        if status != 200:
            who = "a signed-in member" if cookie else "an anonymous visitor"
            raise BenchError(f"{kind} {path} answered {status} to {who}, not 200:\n{body[:500]}")
    return {"requests": len(sample), "seconds": round(time.monotonic() - began, 1)}


def _load(base_url: str, files: dict, kind: str, connections: int, offsets: dict, *, warm_up: bool) -> dict:
    """One wrk run of this kind's requests, going on where the previous run of that kind stopped."""

    def one(duration_s: float) -> dict:
        report = wrk_requests(
            base_url,
            files[kind],
            threads=THREADS,
            connections=connections,
            duration_s=duration_s,
            start=offsets[kind],
        )
        offsets[kind] += report["requests"] // THREADS
        _drain(base_url)
        if report["non_2xx"]:
            raise BenchError(
                f"{kind}: answers other than 2xx under load at {connections} connections: {report['statuses']}"
            )
        return report

    if warm_up:
        one(WARMUP_S)
    report = one(DURATION_S)
    _print(kind, connections, report)
    return report


def _drain(base_url: str) -> float:
    """Wait until the server has answered what wrk left in flight: sync workers go on serving the
    requests queued when wrk stopped (up to one per connection), and the next run would wait
    behind them. One request queued after them answers once they are served."""
    began = time.monotonic()
    port = int(base_url.rsplit(":", 1)[1])
    status, _body = http_get(port, "/hello", timeout=120)
    if status != 200:
        raise BenchError(f"/hello answered {status} after a run")
    return time.monotonic() - began


def _print(kind: str, connections: int, report: dict) -> None:
    cache = report.get("cache") or {}
    hits = sum(c["hits"] for c in cache.values())
    lookups = hits + sum(c["misses"] for c in cache.values())

    def ms(value) -> str:
        return "      -" if value is None else f"{value:7.1f}"

    print(
        f"  {kind:<22} c{connections:<3} {report['rps']:8.1f} req/s  p50 {ms(report['p50_ms'])} ms"
        f"  p95 {ms(report['p95_ms'])} ms  p99 {ms(report['p99_ms'])} ms"
        + (f"  cache hits {hits / lookups:.0%} of {lookups}" if lookups else "")
        + (f"  ({report['errors']} socket errors)" if report["errors"] else ""),
        flush=True,
    )


# --- Records ---------------------------------------------------------------------------------------


def _records(database: str, results: dict, started, info: dict) -> list[dict]:
    out = []
    current = results["current"]
    baseline = results.get("baseline")
    for label, result in results.items():
        out += _code_records(database, label, result, started, info)
    if baseline is None:
        return out
    targeted = database in TARGETED
    for kind in [*KINDS, "mix"]:
        now, before = current["runs"][(kind, 32)], baseline["runs"][(kind, 32)]
        name = f"pages.{database}.{kind}.c32"
        out.append(
            record(
                f"{name}.vs_baseline",
                now["rps"],
                "req/s",
                target=target(">=", BASELINE_MIN_RATIO, on="ratio") if targeted else None,
                reference={
                    "name": f"baseline.{name}.requests_per_s",
                    "value": round(before["rps"], 3),
                    "unit": "req/s",
                },
                details={
                    **_common_details(database, current),
                    "baseline_code": baseline["code"]["sha"],
                    "baseline_rev": baseline["code"].get("rev"),
                    "same_requests": current["digest"] == baseline["digest"],
                    "baseline_cpu": baseline["cpu"],
                },
                date=started,
                machine_info=info,
            )
        )
    return out


def _common_details(database: str, result: dict) -> dict:
    code = result["code"]
    return {
        "database": database,
        "code": code["sha"],
        "code_dirty": code["dirty"],
        "code_label": code["label"],
        **({"code_rev": code["rev"]} if code.get("rev") else {}),
        # Shares of all CPUs during the measurement; a high other_share means a disturbed run.
        "cpu": result["cpu"],
        "server": f"gunicorn cercle.wsgi -w {WORKERS} (sync), DEBUG=false, CACHE_STATUS_HEADER=true",
        "members": MEMBERS,
        "seed": SEED,
        "requests_digest": result["digest"],
        "elapsed_s": result.get("elapsed_s"),
    }


def _code_records(database: str, label: str, result: dict, started, info: dict) -> list[dict]:
    prefix = "baseline.pages" if label == "baseline" else "pages"
    targeted = database in TARGETED and label == "current"
    base = _common_details(database, result)
    runs = result["runs"]
    out = []

    def add(name: str, value, unit: str, *, goal=None, reference=None, details: dict) -> None:
        out.append(
            record(
                name, value, unit, target=goal, reference=reference, details=details, date=started, machine_info=info
            )
        )

    for (kind, connections), report in runs.items():
        name = f"{prefix}.{database}.{kind}.c{connections}"
        if kind == "profile_single_viewer":
            name = f"{prefix}.{database}.{kind}"
        hello = runs[("hello", connections)]
        details = {
            **base,
            "page": kind,
            "connections": connections,
            "load": f"wrk -t{THREADS} -c{connections} -d{DURATION_S:g}s"
            + (
                f" after a {WARMUP_S:g}s warm-up"
                if connections > 4 or kind == "profile_single_viewer"
                else ", first pass after the caches were cleared, no warm-up"
            ),
            "requests": report["requests"],
            "socket_errors": report["errors"],
            "statuses": report.get("statuses"),
        }
        if kind == "profile_single_viewer":
            details.update(path=report["path"], viewer="the demo user (one session), as the older bench")
        else:
            details.update(requests_in_list=result["sizes"][kind], example_paths=result["examples"][kind])
        if kind == "search":
            details["searches_without_result"] = result["empty_searches"]
        rps_goal = None
        if targeted and connections == 32:
            if kind == "profile":
                rps_goal = target(">=", PROFILE_MIN_RATIO, on="ratio")
            elif kind in ANONYMOUS:
                rps_goal = target(">=", ANONYMOUS_MIN_RATIO, on="ratio")
        hello_name = f"{prefix}.{database}.hello.c{connections}"
        add(
            f"{name}.requests_per_s",
            report["rps"],
            "req/s",
            goal=rps_goal,
            reference={"name": f"{hello_name}.requests_per_s", "value": round(hello["rps"], 3), "unit": "req/s"},
            details=details,
        )
        if kind == "profile_single_viewer":
            continue
        for figure in ("p50", "p95", "p99"):
            goal = None
            if figure == "p95" and targeted and connections == 4 and kind in SIGNED_IN:
                goal = target("<=", SIGNED_IN_P95_MAX_MS)
            add(
                f"{name}.latency_{figure}",
                report[f"{figure}_ms"],
                "ms",
                goal=goal,
                reference={
                    "name": f"{hello_name}.latency_{figure}",
                    "value": _rounded(hello[f"{figure}_ms"]),
                    "unit": "ms",
                },
                details=details,
            )
        cache = report["cache"]
        hits = sum(c["hits"] for c in cache.values())
        lookups = hits + sum(c["misses"] for c in cache.values())
        add(
            f"{name}.cache_hit_ratio",
            hits / lookups if lookups else None,
            "ratio",
            details={
                **details,
                "hits": hits,
                "lookups": lookups,
                "by_cache": cache,
                **(
                    {}
                    if lookups
                    else {"note": "no X-Cercle-Cache entry in the answers (no lookup, or code without it): no ratio"}
                ),
            },
        )
        for cache_name, counts in cache.items():
            total = counts["hits"] + counts["misses"]
            add(
                f"{name}.cache_hit_ratio.{cache_name}",
                counts["hits"] / total,
                "ratio",
                details={**details, **counts},
            )
    return out


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
