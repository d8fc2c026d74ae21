"""Pages under load: another member's profile, the member search, and /hello as the reference.

A fresh SQLite database in a temporary directory gets the places and the demo data (3000
members); gunicorn serves it with 2 workers and production settings on 127.0.0.1; wrk loads
each page with Camille's cookies, as her browser holds them after a first page: the session
and the CSRF token (the three go through the same middleware stack, signed in); 3 interleaved
rounds, medians. Targets (foundation issue): the profile page serves at least half the
requests/s of /hello, and every page's p95 stays within 150 ms at 32 connections.
"""

import json
import tempfile
from pathlib import Path

from common import (
    BenchError,
    CpuWatch,
    gunicorn,
    http_get,
    isolated_env,
    machine,
    manage,
    median,
    record,
    target,
    utc_now,
    wrk,
    wrk_binary,
)

MEMBERS = 3000
WORKERS = 2
THREADS = 2
CONNECTIONS = 32
DURATION_S = 8
WARMUP_S = 2
ROUNDS = 3
SEARCH = "lyon"
PROFILE_MIN_RATIO = 0.5
P95_MAX_MS = 150.0
OTHER_CPU_WARN = 0.05

# Run by `manage.py shell -c`: a signed-in session for Camille, and the members she may find.
_SESSION_SCRIPT = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.middleware.csrf import get_token
from django.test import RequestFactory
from people.demo import DEMO_LOGIN
from people.models import User
from privacy.selectors import member_search

camille = User.objects.get(email=DEMO_LOGIN)
session = SessionStore()
session[SESSION_KEY] = str(camille.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
session[HASH_SESSION_KEY] = camille.get_session_auth_hash()
session.create()
# The CSRF cookie a browser holds after its first page, sent back like the session's.
request = RequestFactory().get("/")
get_token(request)
csrf_cookie = f"{settings.CSRF_COOKIE_NAME}={request.META['CSRF_COOKIE']}"
print(json.dumps({
    "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {csrf_cookie}",
    "camille": camille.pk,
    "candidates": list(member_search(viewer=camille).values_list("user_id", flat=True)[:50]),
    "search_hits": member_search(viewer=camille, query=%(search)r).count(),
}))
"""


def _prepare(var_dir: Path, env: dict) -> dict:
    steps = [
        ("migrate", "--noinput"),
        ("createcachetable",),
        ("load_cities",),
        ("load_demo", "--reset", "--members", str(MEMBERS)),
        ("collectstatic", "--noinput"),
    ]
    for step in steps:
        print(f"  manage.py {' '.join(step)}", flush=True)
        manage(*step, env=env)
    out = manage("shell", "-c", _SESSION_SCRIPT % {"search": SEARCH}, env=env)
    return json.loads(out.strip().splitlines()[-1])


def _pick_profile(port: int, headers: dict, data: dict) -> tuple[int, int]:
    """Another discoverable member whose page answers 200 to Camille; (their id, how many tried)."""
    for tried, user_id in enumerate(data["candidates"], start=1):
        if user_id == data["camille"]:
            continue
        status, _body = http_get(port, f"/members/{user_id}/", headers)
        if status == 200:
            return user_id, tried
    raise BenchError(f"no member profile answers 200 to the demo user among {data['candidates']}")


def _check(port: int, headers: dict, pages: dict) -> None:
    for name, path in pages.items():
        status, body = http_get(port, path, headers)
        if status != 200:
            raise BenchError(f"{name} {path} answered {status}, not 200:\n{body[:500]}")


def run() -> list[dict]:
    wrk_binary()  # fail early, before a minute of setup
    started = utc_now()
    with tempfile.TemporaryDirectory(prefix="cercle-bench-pages-") as tmp:
        var_dir = Path(tmp)
        env = isolated_env(var_dir)
        print(f"  fresh database in {var_dir}", flush=True)
        data = _prepare(var_dir, env)
        if data["search_hits"] == 0:
            raise BenchError(f"the search for {SEARCH!r} finds nobody: the demo data is not what the bench expects")
        headers = {"Cookie": data["cookie"], "Accept-Language": "fr"}
        with CpuWatch() as cpu, gunicorn(env, workers=WORKERS, log_dir=var_dir) as port:
            profile_id, _tried = _pick_profile(port, headers, data)
            pages = {"hello": "/hello", "profile": f"/members/{profile_id}/", "search": f"/members/?q={SEARCH}"}
            _check(port, headers, pages)
            rounds = {name: [] for name in pages}
            for round_no in range(1, ROUNDS + 1):
                for name, path in pages.items():
                    url = f"http://127.0.0.1:{port}{path}"
                    wrk(url, threads=THREADS, connections=CONNECTIONS, duration_s=WARMUP_S, headers=headers)
                    report = wrk(url, threads=THREADS, connections=CONNECTIONS, duration_s=DURATION_S, headers=headers)
                    if report["errors_status"]:
                        raise BenchError(f"{name} {path}: {report['errors_status']} responses 4xx/5xx under load")
                    rounds[name].append(report)
                    print(
                        f"  round {round_no} {name:<8} {report['rps']:9.1f} req/s  p50 {report['p50_ms']:7.1f} ms"
                        f"  p95 {report['p95_ms']:7.1f} ms  p99 {report['p99_ms']:7.1f} ms"
                        + (f"  ({report['errors']} socket errors)" if report["errors"] else ""),
                        flush=True,
                    )
    if cpu.result["other_share"] > OTHER_CPU_WARN:
        print(
            f"  WARNING: other processes used {cpu.result['other_share']:.0%} of the CPUs during the measurement:"
            " the figures are lower than this machine can do",
            flush=True,
        )
    return _records(pages, rounds, started, search_hits=data["search_hits"], cpu=cpu.result)


def _records(pages: dict, rounds: dict, started, *, search_hits: int, cpu: dict) -> list[dict]:
    info = machine()
    setup = {
        # Shares of all CPUs during the measurement; a high other_share means a disturbed run.
        "cpu": cpu,
        "server": f"gunicorn cercle.wsgi -w {WORKERS} (sync), DEBUG=false, SQLite",
        "load": f"wrk -t{THREADS} -c{CONNECTIONS} -d{DURATION_S}s after a {WARMUP_S}s warm-up",
        "rounds": ROUNDS,
        "members": MEMBERS,
        "signed_in": True,
        "cookies": "session and CSRF token, as a browser holds them after its first page",
    }
    medians = {
        name: {key: median([r[key] for r in reports]) for key in ("rps", "p50_ms", "p95_ms", "p99_ms")}
        for name, reports in rounds.items()
    }
    hello = medians["hello"]
    out = []
    for name, path in pages.items():
        reports = rounds[name]
        details = {
            **setup,
            "page": name,
            "path": path,
            "rounds_rps": [round(r["rps"], 1) for r in reports],
            "rounds_p50_ms": [round(r["p50_ms"], 2) for r in reports],
            "rounds_p95_ms": [round(r["p95_ms"], 2) for r in reports],
            "rounds_p99_ms": [round(r["p99_ms"], 2) for r in reports],
            "requests": sum(r["requests"] for r in reports),
            "socket_errors": sum(r["errors"] for r in reports),
        }
        if name == "search":
            details["search_hits"] = search_hits
        common = {"date": started, "machine_info": info, "details": details}
        out += [
            record(
                f"pages.{name}.requests_per_s",
                medians[name]["rps"],
                "req/s",
                target=target(">=", PROFILE_MIN_RATIO, on="ratio") if name == "profile" else None,
                reference={"name": "pages.hello.requests_per_s", "value": round(hello["rps"], 3), "unit": "req/s"},
                **common,
            ),
            record(
                f"pages.{name}.latency_p50",
                medians[name]["p50_ms"],
                "ms",
                reference={"name": "pages.hello.latency_p50", "value": round(hello["p50_ms"], 3), "unit": "ms"},
                **common,
            ),
            record(
                f"pages.{name}.latency_p95",
                medians[name]["p95_ms"],
                "ms",
                target=target("<=", P95_MAX_MS),
                reference={"name": "pages.hello.latency_p95", "value": round(hello["p95_ms"], 3), "unit": "ms"},
                **common,
            ),
        ]
    return out
