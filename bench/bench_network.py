"""My network at scale: the contact search and the dashboard of one member with 20,000 contacts.

A fresh SQLite database in a temporary directory (production-like settings, DEBUG off) gets one
member with 20,000 contacts and 200,000 interactions, written with bulk_create. A child process
(Django is set up once per process) then measures the server time of each page with Django's
test Client, in-process and signed in: GET /hello (the reference, same middleware stack), the
contact search GET /network/contacts/?q=<word> and the dashboard GET /network/, 50 requests each
after a warm-up, interleaved. The dashboard is measured twice: as seen again (its pictures come
from the cache, keyed on the owner's data) and cold (the cache cleared before each request: the
first view after a change). Target (issue 3): p95 ≤ 100 ms for the search and the dashboard.

    .venv/bin/python bench/run.py network
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

CONTACTS = 20_000
INTERACTIONS = 200_000
YEARS = 4
REQUESTS = 50
WARMUP = 5
P95_MAX_MS = 100.0
SEARCH = "martin"  # a surname of the generated set: about 1 contact in 25 carries it
OWNER_EMAIL = "bench.owner@example.org"
SEED = 20_000

FIRST_NAMES = [
    "Camille", "Hélène", "Marc", "Zoé", "Louis", "Léa", "Hugo", "Chloé", "Nathan", "Inès", "Jules", "Manon",
    "Arthur", "Jade", "Gabriel", "Emma", "Raphaël", "Lina", "Adam", "Sarah", "Noé", "Alice", "Paul", "Lucie",
    "Tom", "Anaïs", "Yanis", "Clara", "Sacha", "Elsa", "Théo", "Margaux", "Maël", "Juliette", "Ethan",
    "Romane", "Mathis", "Eva", "Nolan", "Louise",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefèbvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
    "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
    "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin",
]  # fmt: skip
COMPANIES = [
    f"{word} {suffix}"
    for word in ("Azur", "Calanque", "Mistral", "Phocée", "Canebière")
    for suffix in ("Conseil", "Tech", "Studio", "Avocats", "Immobilier", "Santé", "Logistique", "Finance")
]
LABELS = [
    "client", "partenaire", "mentor", "BNI Marseille", "Femmes & Tech", "ancien collègue", "fournisseur",
    "prospect", "ami·e", "startup", "investisseur", "presse", "Lyon Tech", "CCI", "alumni", "freelance",
    "recruteur", "association", "école", "mairie",
]  # fmt: skip
CITIES = [
    "Marseille", "Aix-en-Provence", "Aubagne", "Toulon", "Nice", "Lyon", "Paris", "Montpellier", "Nîmes",
    "Avignon", "Arles", "La Ciotat", "Cassis", "Martigues", "Gap", "Grenoble", "Bordeaux", "Lille", "Nantes",
    "Rennes", "Toulouse", "Strasbourg", "Annecy", "Valence", "Cannes", "Antibes", "Hyères", "Istres",
]  # fmt: skip
SECTORS = [
    "tech", "consulting", "media", "finance", "retail", "health", "law", "education", "industry", "", "",
]  # fmt: skip
KINDS = [
    ("coffee", 22), ("lunch", 18), ("breakfast", 8), ("message", 18), ("call", 12), ("after_work", 6),
    ("event", 6), ("introduction", 2), ("help_given", 5), ("help_received", 3),
]  # fmt: skip


# --- the child process: Django set up on the temporary database ----------------------------------


def _build(owner_email: str) -> dict:
    """One member, CONTACTS contacts and INTERACTIONS interactions, in a few bulk inserts."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from network.models import Contact, Interaction
    from network.services import contact_refresh_derived
    from network.tallies import network_tallies_rebuild
    from people.models import User

    rng = random.Random(SEED)
    today = timezone.localdate()
    started = time.perf_counter()
    owner = User.objects.create_user(email=owner_email, password="bench-password-0123")
    contacts = []
    for index in range(CONTACTS):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        contact = Contact(
            owner=owner,
            full_name=f"{first} {last}",
            emails=[f"{first}.{last}.{index}@example.org".lower()] if rng.random() < 0.7 else [],
            company=rng.choice(COMPANIES),
            position="",
            city=rng.choice(CITIES) if rng.random() < 0.85 else "",
            sector=rng.choice(SECTORS),
            how_met=rng.choice(["Petit-déjeuner du club", "After-work tech", "Présenté·e par un ami", ""]),
            met_on=today - dt.timedelta(days=rng.randint(30, 365 * YEARS)),
            labels=rng.sample(LABELS, k=rng.choice([0, 1, 1, 1, 2, 2, 3])),
            cadence_days=rng.choice([None, None, 30, 60, 90, 180]),
            archived=rng.random() < 0.05,
        )
        contacts.append(contact)
    # A living core, a fading middle and a long tail met once or twice.
    weights = [30 if i < 500 else 6 if i < 4000 else 1 for i in range(CONTACTS)]
    kinds, kind_weights = zip(*KINDS, strict=True)
    chosen_kinds = rng.choices(kinds, weights=kind_weights, k=INTERACTIONS)
    sizes = rng.choices([1, 2, 3, 5, 8], weights=[80, 10, 5, 3, 2], k=INTERACTIONS)
    attendees = rng.choices(range(CONTACTS), weights=weights, k=sum(sizes))
    interactions, members, last_seen = [], [], {}
    cursor = 0
    # Logged as they happen: the oldest first, as a member's history accumulates (ids follow dates).
    days = sorted(today - dt.timedelta(days=int(rng.triangular(0, 365 * YEARS, 0))) for _ in range(INTERACTIONS))
    for number, day in enumerate(days):
        group = sorted(set(attendees[cursor : cursor + sizes[number]]))
        cursor += sizes[number]
        kind = chosen_kinds[number] if len(group) == 1 else "event"
        interactions.append(Interaction(owner=owner, kind=kind, occurred_on=day, note=""))
        members.append(group)
        for index in group:
            if last_seen.get(index) is None or day > last_seen[index]:
                last_seen[index] = day
    for index, contact in enumerate(contacts):
        contact.last_interaction_on = last_seen.get(index)
        contact_refresh_derived(contact)
    with transaction.atomic():
        Contact.objects.bulk_create(contacts, batch_size=2000)
        created = Interaction.objects.bulk_create(interactions, batch_size=5000)
        through = Interaction.contacts.through
        rows = [
            through(interaction_id=interaction.pk, contact_id=contacts[index].pk)
            for interaction, group in zip(created, members, strict=True)
            for index in group
        ]
        through.objects.bulk_create(rows, batch_size=10_000)
    # Written in bulk, like an import: the dashboard's running totals are counted from the rows.
    tallied = time.perf_counter()
    network_tallies_rebuild(owner)
    tallies_s = time.perf_counter() - tallied
    return {
        "contacts": CONTACTS,
        "interactions": INTERACTIONS,
        "interaction_contact_links": len(rows),
        "build_s": round(time.perf_counter() - started, 2),
        "tallies_rebuild_s": round(tallies_s, 3),
    }


def _measure_child(var_dir: str) -> None:
    import django

    django.setup()
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from network.models import Contact
    from network.selectors import contacts_search
    from people.models import User

    for command, args in (("migrate", ["--noinput"]), ("createcachetable", []), ("collectstatic", ["--noinput"])):
        call_command(command, *args, verbosity=0)
    data = _build(OWNER_EMAIL)
    owner = User.objects.get(email=OWNER_EMAIL)
    data["search_hits"] = contacts_search(owner=owner, query=SEARCH).count()
    data["archived"] = Contact.objects.filter(owner=owner, archived=True).count()
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(owner)

    try:
        search_path = reverse("network:contact_list") + f"?q={SEARCH}"
    except NoReverseMatch:
        search_path = None  # the route is not there yet: time the selector (one page of 50) instead
    dashboard_path = reverse("network:dashboard")
    # name: (untimed preparation, timed call)
    pages = {
        "hello": (None, lambda: client.get("/hello")),
        "search": (None, lambda: client.get(search_path))
        if search_path
        else (None, lambda: list(contacts_search(owner=owner, query=SEARCH)[:50])),
        # As seen again: the pictures come from the cache (network.dashboard.dashboard_pictures).
        "dashboard": (None, lambda: client.get(dashboard_path)),
        # The first view after a change (an interaction logged, a contact edited): everything computed.
        "dashboard_cold": (caches["derived"].clear, lambda: client.get(dashboard_path)),
    }
    data["search_measured"] = search_path or "network.selectors.contacts_search (first 50)"

    queries, sizes = {}, {}
    for name, (prepare, call) in pages.items():
        if prepare:
            prepare()
        with CaptureQueriesContext(connection) as captured:
            response = call()
        queries[name] = len(captured)
        status = getattr(response, "status_code", 200)
        if status != 200:
            raise BenchError(f"{name} answered {status}, not 200")
        sizes[name] = len(getattr(response, "content", b""))
        for _ in range(WARMUP - 1):
            if prepare:
                prepare()
            call()
    timings: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(REQUESTS):
        for name, (prepare, call) in pages.items():  # interleaved: all see the same machine noise
            if prepare:
                prepare()
            start = time.perf_counter()
            call()
            timings[name].append((time.perf_counter() - start) * 1000)
    result = {
        "data": data,
        "queries": queries,
        "bytes": sizes,
        "ms": latency_summary(timings),
    }
    print(RESULT_PREFIX + json.dumps(result))


# --- the parent: a temporary directory, the child, the records ----------------------------------


def run() -> list[dict]:
    started = utc_now()
    print(
        f"  fresh database in a temporary directory: {CONTACTS:,} contacts, {INTERACTIONS:,} interactions", flush=True
    )
    result = run_child(__file__, prefix="cercle-bench-network-")
    return _records(result, started)


def _records(result: dict, started) -> list[dict]:
    info = machine()
    ms, data = result["ms"], result["data"]
    paths = {
        "hello": "/hello",
        "search": data["search_measured"],
        "dashboard": "/network/",
        "dashboard_cold": "/network/ (cache cleared before each request)",
    }
    names = list(paths)
    for name in names:
        print(
            f"  {name:<9} p50 {ms[name]['p50']:7.2f} ms  p95 {ms[name]['p95']:7.2f} ms"
            f"  max {ms[name]['max']:7.2f} ms  ({result['queries'][name]} queries)",
            flush=True,
        )
    out = []
    for name in names:
        details = {
            "server": "Django test Client in-process (server time, no network), DEBUG=false, SQLite",
            "requests": REQUESTS,
            "warmup": WARMUP,
            "path": paths[name],
            "queries": result["queries"][name],
            "response_bytes": result["bytes"][name],
            "max_ms": round(ms[name]["max"], 2),
            **data,
        }
        common = {"date": started, "machine_info": info, "details": details}
        for percentile in ("p50", "p95"):
            out.append(
                record(
                    f"network.{name}.latency_{percentile}",
                    ms[name][percentile],
                    "ms",
                    target=target("<=", P95_MAX_MS) if percentile == "p95" and name != "hello" else None,
                    reference={
                        "name": f"network.hello.latency_{percentile}",
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
