"""1,000 concurrent RSVP attempts from 1,000 distinct members on an event with 50 seats, over HTTP.

As bench_pages: a fresh SQLite database in a temporary directory with production-like settings
(`common.isolated_env`), served by gunicorn (2 sync workers) on 127.0.0.1. A `manage.py shell`
script creates 1,000 members of one public circle, an event with 50 seats, and a signed-in
session for each member (Django's session store, as a log-in would). Then 32 client threads
(urllib-free `http.client`, a new connection per request as gunicorn's sync workers close them)
post "going" to the event's RSVP page, each member once, the 1,000 requests as fast as the
server answers them, CSRF token and session cookie as a browser would send them.

Checked afterwards in the database: exactly 50 going and 950 on the waitlist, seats_taken = 50,
and no error response (a 302 back to the event page is a success). Figures: those counts, the
error responses, the throughput (requests/s over the whole burst) and p50/p95 latency.

With BENCH_RSVP_POSTGRES=postgres://user@host:5432/<name>, the same runs on PostgreSQL too: the
database <name> is DROPPED and created again, so give it a throwaway name.
"""

import http.client
import json
import os
import secrets
import string
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
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
)

MEMBERS = 1000
SEATS = 50
CLIENT_THREADS = 32
WORKERS = 2
TIMEOUT_S = 60

# Run by `manage.py shell -c`: members, circle, event and sessions; prints what the clients need.
_SETUP_SCRIPT = """
import datetime as dt, json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils.crypto import get_random_string
from django.utils import timezone
from circles.models import Circle, Membership, Role, Status, Visibility
from events.models import Event
from people.models import Profile, User
from people.session_timeout import LAST_SEEN, SIGNED_IN

n, seats = %(members)d, %(seats)d
password = make_password("bench-rsvp-password")
users = User.objects.bulk_create(
    [User(email=f"rsvp{i}@bench.cercle.local", password=password) for i in range(n)], batch_size=500
)
Profile.objects.bulk_create([Profile(user=u, display_name=f"Membre {i}") for i, u in enumerate(users)], batch_size=500)
circle = Circle.objects.create(name="Bench RSVP", slug="bench-rsvp", family="tech", visibility=Visibility.PUBLIC)
Membership.objects.bulk_create(
    [Membership(circle=circle, member=u, status=Status.ACTIVE, role=Role.ORGANIZER if i == 0 else Role.MEMBER)
     for i, u in enumerate(users)], batch_size=500
)
start = timezone.now() + dt.timedelta(days=7)
event = Event.objects.create(
    circle=circle, title="Afterwork bench", format="after_work", starts_at=start,
    ends_at=start + dt.timedelta(hours=2), capacity=seats, created_by=users[0],
)
store = SessionStore()
expire = timezone.now() + dt.timedelta(days=1)
signed_in = int(timezone.now().timestamp())  # as a log-in stamps it (people/session_timeout.py)
sessions, keys = [], []
for user in users:
    key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
    data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: user.get_session_auth_hash(), SIGNED_IN: signed_in, LAST_SEEN: signed_in}
    sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
    keys.append(key)
Session.objects.bulk_create(sessions, batch_size=500)
print(json.dumps({"event_id": event.pk, "cookie_name": settings.SESSION_COOKIE_NAME, "sessions": keys}))
"""

_COUNT_SCRIPT = """
import json
from django.db.models import Sum
from events.models import Event, Rsvp
event = Event.objects.get(pk=%(event_id)d)
rsvps = Rsvp.objects.filter(event=event)
waiting = list(rsvps.filter(status="waitlist").order_by("waitlisted_at", "pk").values_list("waitlisted_at", flat=True))
print(json.dumps({
    "going": rsvps.filter(status="going").count(),
    "waitlist": len(waiting),
    "not_going": rsvps.filter(status="not_going").count(),
    "rows": rsvps.count(),
    "seats_taken": event.seats_taken,
    "going_seats": rsvps.filter(status="going").aggregate(n=Sum("seats"))["n"] or 0,
    "waitlist_without_time": sum(1 for w in waiting if w is None),
}))
"""


def _last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def _prepare(env: dict) -> dict:
    for step in (("migrate", "--noinput"), ("createcachetable",), ("collectstatic", "--noinput")):
        print(f"  manage.py {' '.join(step)}", flush=True)
        manage(*step, env=env)
    print(f"  {MEMBERS} members, a circle, an event with {SEATS} seats, {MEMBERS} sessions", flush=True)
    return _last_json(manage("shell", "-c", _SETUP_SCRIPT % {"members": MEMBERS, "seats": SEATS}, env=env))


def _post(port: int, path: str, cookie: str, csrf: str) -> tuple[int, str, float]:
    body = "going=yes"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"{cookie}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
    }
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location") or "", time.perf_counter() - started
    finally:
        conn.close()


def _burst(port: int, event_id: int, cookie_name: str, sessions: list[str]) -> dict:
    path = f"/events/{event_id}/rsvp/"
    alphabet = string.ascii_letters + string.digits
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def one(session_key: str) -> None:
        csrf = "".join(secrets.choice(alphabet) for _ in range(32))
        try:
            status, location, seconds = _post(port, path, f"{cookie_name}={session_key}", csrf)
        except OSError as error:
            with lock:
                failures.append(repr(error))
            return
        with lock:
            statuses[status] = statuses.get(status, 0) + 1
            latencies.append(seconds * 1000)
            if status != 302 or f"/events/{event_id}/" not in location:
                failures.append(f"{status} {location}")

    started, client_cpu = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(max_workers=CLIENT_THREADS) as pool:
        list(pool.map(one, sessions))
    elapsed = time.perf_counter() - started
    # The client threads run in this process: their CPU shows as "other" in CpuWatch.
    client_share = (time.process_time() - client_cpu) / (elapsed * (os.cpu_count() or 1))
    latencies.sort()
    return {
        "elapsed_s": elapsed,
        "rps": len(sessions) / elapsed,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": len(failures),
        "error_samples": failures[:10],
        "p50_ms": median(latencies) if latencies else 0.0,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0,
        "max_ms": latencies[-1] if latencies else 0.0,
        "client_cpu_share": round(client_share, 3),
    }


def _recreate_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or not all(c.isalnum() or c == "_" for c in name):
        raise BenchError(f"BENCH_RSVP_POSTGRES needs a plain database name, not {name!r}")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _measure(database: str, var_dir: Path, database_url: str | None) -> tuple[dict, dict, dict]:
    extra = {"DATABASE_URL": database_url} if database_url else {}
    env = isolated_env(var_dir, **extra)
    data = _prepare(env)
    with CpuWatch() as cpu, gunicorn(env, workers=WORKERS, log_dir=var_dir) as port:
        status, _body = http_get(port, f"/events/{data['event_id']}/")
        if status != 200:
            raise BenchError(f"the event page answers {status}, not 200")
        print(f"  {database}: {MEMBERS} RSVPs from {CLIENT_THREADS} client threads …", flush=True)
        burst = _burst(port, data["event_id"], data["cookie_name"], data["sessions"])
    counts = _last_json(manage("shell", "-c", _COUNT_SCRIPT % {"event_id": data["event_id"]}, env=env))
    print(
        f"  {database}: going {counts['going']}, waitlist {counts['waitlist']}, seats_taken {counts['seats_taken']},"
        f" errors {burst['errors']}, {burst['rps']:.1f} req/s, p50 {burst['p50_ms']:.0f} ms,"
        f" p95 {burst['p95_ms']:.0f} ms",
        flush=True,
    )
    return burst, counts, cpu.result


def _records(database: str, burst: dict, counts: dict, cpu: dict, started, info: dict) -> list[dict]:
    details = {
        "database": database,
        "server": f"gunicorn cercle.wsgi -w {WORKERS} (sync), DEBUG=false, {database}",
        "load": f"{MEMBERS} POST /events/<id>/rsvp/ (going), one per member, {CLIENT_THREADS} client threads",
        "members": MEMBERS,
        "seats": SEATS,
        "counts": counts,
        "statuses": burst["statuses"],
        "error_samples": burst["error_samples"],
        "elapsed_s": round(burst["elapsed_s"], 3),
        "latency_max_ms": round(burst["max_ms"], 1),
        # Shares of all CPUs; other_share includes the client threads (client_cpu_share).
        "cpu": {**cpu, "client_share": burst["client_cpu_share"]},
    }
    common = {"date": started, "machine_info": info, "details": details}
    prefix = f"rsvp.{database}"
    return [
        record(f"{prefix}.going", counts["going"], "members", target=target("<=", SEATS), **common),
        record(
            f"{prefix}.seats_left_while_waiting",
            SEATS - counts["seats_taken"],
            "seats",
            target=target("<=", 0),
            **common,
        ),  # fmt: skip
        record(f"{prefix}.waitlisted", counts["waitlist"], "members", target=target(">=", MEMBERS - SEATS), **common),
        record(f"{prefix}.error_responses", burst["errors"], "responses", target=target("<=", 0), **common),
        record(f"{prefix}.requests_per_s", burst["rps"], "req/s", **common),
        record(f"{prefix}.latency_p50", burst["p50_ms"], "ms", **common),
        record(f"{prefix}.latency_p95", burst["p95_ms"], "ms", **common),
    ]


def run() -> list[dict]:
    started, info = utc_now(), machine()
    out = []
    databases = [("sqlite", None)]
    if os.environ.get("BENCH_RSVP_POSTGRES"):
        databases.append(("postgresql", os.environ["BENCH_RSVP_POSTGRES"]))
    for database, url in databases:
        if url:
            _recreate_postgres(url)
        with tempfile.TemporaryDirectory(prefix=f"cercle-bench-rsvp-{database}-") as tmp:
            burst, counts, cpu = _measure(database, Path(tmp), url)
        if counts["going_seats"] != counts["seats_taken"] or counts["rows"] != MEMBERS:
            raise BenchError(f"inconsistent counts after the burst: {counts}")
        out += _records(database, burst, counts, cpu, started, info)
    return out


if __name__ == "__main__":
    for rec in run():
        print(rec["name"], rec["value"], rec["unit"], rec["met"])
