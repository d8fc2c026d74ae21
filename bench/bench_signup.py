"""Sign-up with a new address and with a taken one: the same time, so the delay tells no one which
addresses have an account (issue 12, "sign-up timing reveals existing accounts").

A fresh SQLite database in a temporary directory with production-like settings (DEBUG off, the real
Argon2 hasher, e-mails handed to the database task queue). A child process (Django set up once)
creates 20 members with verified addresses, then posts the sign-up form with Django's test Client,
in-process: 20 new addresses and the 20 taken ones, interleaved (new, taken, taken, new, …), after
2 untimed warm-ups of each. Each visitor is a fresh client; the cache (allauth's rate limits on
sign-ups and on e-mails to one address) is cleared before each request, untimed.

Checked: every answer is the same redirect, a new address creates its account and a taken one
none, and each request queues exactly one e-mail. Target: the medians within 20 % of each other
(`signup.gap.latency_p50`).

    .venv/bin/python bench/run.py signup
"""

import json
import os
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

SAMPLES = 20
WARMUP = 2
GAP_MAX_PERCENT = 20.0
PASSWORD = "un long mot de passe pour le banc 2026"


def _measure_child(var_dir: str) -> None:
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth.hashers import get_hasher, make_password
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django_tasks_db.models import DBTaskResult

    from people.models import User

    for command, args in (("migrate", ["--noinput"]), ("createcachetable", []), ("collectstatic", ["--noinput"])):
        call_command(command, *args, verbosity=0)
    hasher = get_hasher()
    if hasher.algorithm != "argon2":
        raise BenchError(f"the default hasher is {hasher.algorithm}, not argon2")
    taken = [f"membre{i}@bench.cercle.local" for i in range(SAMPLES + WARMUP)]
    password = make_password(PASSWORD)
    users = User.objects.bulk_create([User(email=email, password=password) for email in taken])
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users]
    )
    fresh = [f"nouveau{i}@bench.cercle.local" for i in range(SAMPLES + WARMUP)]
    url = reverse("account_signup")
    answers: dict[str, set] = {"new": set(), "taken": set()}
    queued: dict[str, set] = {"new": set(), "taken": set()}

    def sign_up(kind: str, email: str) -> float:
        cache.clear()
        client = Client(HTTP_ACCEPT_LANGUAGE="fr")
        tasks_before = DBTaskResult.objects.count()
        start = time.perf_counter()
        response = client.post(url, {"email": email, "password1": PASSWORD, "password2": PASSWORD})
        elapsed = (time.perf_counter() - start) * 1000
        answers[kind].add((response.status_code, response.get("Location", "")))
        queued[kind].add(DBTaskResult.objects.count() - tasks_before)
        return elapsed

    for i in range(WARMUP):
        sign_up("new", fresh[SAMPLES + i])
        sign_up("taken", taken[SAMPLES + i])
    timings: dict[str, list[float]] = {"new": [], "taken": []}
    for i in range(SAMPLES):
        # Alternate which goes first, so neither always follows the other.
        order = [("new", fresh[i]), ("taken", taken[i])]
        for kind, email in order if i % 2 == 0 else reversed(order):
            timings[kind].append(sign_up(kind, email))

    created = User.objects.filter(email__in=fresh).count()
    if created != len(fresh) or User.objects.count() != len(fresh) + len(taken):
        raise BenchError(f"{created} accounts created for {len(fresh)} new addresses, or one for a taken address")
    if answers["new"] != answers["taken"] or len(answers["new"]) != 1:
        raise BenchError(f"the answers differ: {answers}")
    result = {
        "ms": latency_summary(timings),
        "samples_ms": {kind: [round(v, 2) for v in values] for kind, values in timings.items()},
        "answer": list(answers["new"])[0],
        "emails_queued_per_request": {kind: sorted(counts) for kind, counts in queued.items()},
        "hasher": settings.PASSWORD_HASHERS[0],
        "hasher_parameters": {
            "time_cost": hasher.time_cost,
            "memory_cost_kib": hasher.memory_cost,
            "parallelism": hasher.parallelism,
        },
    }
    print(RESULT_PREFIX + json.dumps(result))


def run() -> list[dict]:
    started = utc_now()
    print(f"  fresh database in a temporary directory: {SAMPLES} new and {SAMPLES} taken addresses", flush=True)
    result = run_child(__file__, prefix="cercle-bench-signup-")
    return _records(result, started)


def _records(result: dict, started) -> list[dict]:
    info = machine()
    ms = result["ms"]
    for kind in ("new", "taken"):
        print(f"  {kind:<5} p50 {ms[kind]['p50']:7.1f} ms  p95 {ms[kind]['p95']:7.1f} ms", flush=True)
    details = {
        "server": "Django test Client in-process (server time, no network), DEBUG=false, SQLite",
        "samples": SAMPLES,
        "warmup": WARMUP,
        **{key: value for key, value in result.items() if key != "ms"},
    }
    common = {"date": started, "machine_info": info, "details": details}
    new_p50 = {"name": "signup.new.latency_p50", "value": round(ms["new"]["p50"], 3), "unit": "ms"}
    gap = abs(ms["taken"]["p50"] - ms["new"]["p50"]) / ms["new"]["p50"] * 100
    print(f"  taken / new (p50): {ms['taken']['p50'] / ms['new']['p50']:.3f}, gap {gap:.1f} %", flush=True)
    return [
        record("signup.new.latency_p50", ms["new"]["p50"], "ms", **common),
        record("signup.new.latency_p95", ms["new"]["p95"], "ms", **common),
        record("signup.taken.latency_p50", ms["taken"]["p50"], "ms", reference=new_p50, **common),
        record("signup.taken.latency_p95", ms["taken"]["p95"], "ms", **common),
        record("signup.gap.latency_p50", gap, "%", target=target("<=", GAP_MAX_PERCENT), **common),
    ]


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cercle.settings")
        _measure_child(sys.argv[2])
    else:
        records = run()
        print(json.dumps(records, indent=2, ensure_ascii=False))
