"""The pictures of the dashboard: plain, JSON-ready dicts, every one scoped to its owner.

Each function runs a fixed number of queries, whatever the size of the network. The charts read
the running totals of network.tallies (interactions per day and kind, active contacts per label,
city and sector: a few hundred rows); `from_rows=True` computes the same pictures from the
contacts and interactions themselves, the reference the tests hold the totals to. The map and
the circles read the rows. Dates are ISO strings ("2025-06-02"); the page formats them in the
reader's language.

`dashboard_pictures()` gathers them all, cached under a key that changes with the owner's data
(their contacts' count and last change, their last interaction), the day and the language: a
page seen again shows the same pictures for a few cheap queries, and any change redraws them.
"""

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from functools import lru_cache
from itertools import combinations

from django.core.cache import caches
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.translation import get_language

from network import tallies
from network.models import Contact, Interaction, InteractionKind
from people.vocab import Sector
from places.text import fold

WEEKS = 26
MONTHS = 12
TOP = 10
# The map stays legible (and light to draw) with a few hundred nodes.
MAP_MAX_NODES = 300
MAP_MAX_EDGES = 1000
NO_LABEL = "—"
HELP_GIVEN, HELP_RECEIVED = InteractionKind.HELP_GIVEN.value, InteractionKind.HELP_RECEIVED.value
HELP_KINDS = (HELP_GIVEN, HELP_RECEIVED)
# A safety net for writes that bypass network.services (admin, shell): the key catches the rest
# (the running totals behind the charts need `manage.py rebuild_network_tallies` after such writes).
CACHE_SECONDS = 10 * 60
CACHE_PREFIX = "network:dashboard:v2"

# Labels and cities repeat across thousands of contacts: fold each spelling once.
_fold = lru_cache(maxsize=4096)(fold)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months_back(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


def interactions_per_week(*, owner, today: dt.date | None = None, weeks: int = WEEKS, from_rows: bool = False) -> dict:
    """Interactions (each counted once, whatever its number of contacts) per ISO week, zero-filled."""
    today = _today(today)
    first = _week_start(today) - dt.timedelta(weeks=weeks - 1)
    per_day = tallies.interactions_per_day(owner, since=first, until=today, from_rows=from_rows)
    per_week: Counter[dt.date] = Counter()
    for day, n in per_day:
        per_week[_week_start(day)] += n
    starts = [first + dt.timedelta(weeks=i) for i in range(weeks)]
    counts = [per_week[start] for start in starts]
    return {"weeks": [s.isoformat() for s in starts], "counts": counts, "total": sum(counts)}


def given_vs_received(*, owner, today: dt.date | None = None, months: int = MONTHS, from_rows: bool = False) -> dict:
    """Help given and received: all-time totals, and per month over the last `months` months."""
    today = _today(today)
    first = _months_back(_month_start(today), months - 1)
    per_kind = tallies.interactions_per_kind(owner, kinds=HELP_KINDS, from_rows=from_rows)
    totals = {"given": per_kind.get(HELP_GIVEN, 0), "received": per_kind.get(HELP_RECEIVED, 0)}
    per_month = {"given": Counter(), "received": Counter()}
    per_day = tallies.interactions_per_day(
        owner, kinds=HELP_KINDS, since=first, until=today, by_kind=True, from_rows=from_rows
    )
    for kind, day, n in per_day:
        per_month["given" if kind == HELP_GIVEN else "received"][_month_start(day)] += n
    starts = [_months_back(_month_start(today), months - 1 - i) for i in range(months)]
    return {
        "months": [s.isoformat() for s in starts],
        "given": [per_month["given"][s] for s in starts],
        "received": [per_month["received"][s] for s in starts],
        "totals": totals,
    }


def _commonest(spellings: Counter) -> str:
    """The commonest spelling; between equals, the first in code-point order (whatever the rows' order)."""
    return min(spellings.items(), key=lambda item: (-item[1], item[0]))[0]


def _top(counter: Counter, spellings: dict[str, Counter], unspecified: int, top: int) -> dict:
    """The `top` biggest groups (ties by name), the rest summed as "other"."""
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    items = [{"label": _commonest(spellings[key]), "count": n} for key, n in ranked[:top]]
    return {"items": items, "other": sum(n for _key, n in ranked[top:]), "unspecified": unspecified}


def _tallied_texts(rows, top: int) -> dict:
    """Tallied (folded key, spelling, contacts) rows as a picture; the key "" is "none"."""
    counter: Counter[str] = Counter()
    spellings: dict[str, Counter] = defaultdict(Counter)
    unspecified = 0
    for key, spelling, n in rows:
        if not key:
            unspecified += n
            continue
        counter[key] += n
        spellings[key][spelling] += n
    return _top(counter, spellings, unspecified, top)


def _group_texts(rows, top: int) -> dict:
    """Rows of (free text, count) grouped accent- and case-insensitively, shown in their commonest spelling."""
    counter: Counter[str] = Counter()
    spellings: dict[str, Counter] = defaultdict(Counter)
    unspecified = 0
    for text, n in rows:
        key = _fold(text or "")
        if not key:
            unspecified += n
            continue
        counter[key] += n
        spellings[key][" ".join(text.split())] += n
    return _top(counter, spellings, unspecified, top)


def _active_contacts(owner):
    return Contact.objects.filter(owner=owner, archived=False)


def network_by_label(*, owner, top: int = TOP, from_rows: bool = False) -> dict:
    """Non-archived contacts per label (a contact with two labels counts in both); unlabelled apart."""
    if not from_rows:
        return _tallied_texts(tallies.contact_tallies(owner)[tallies.LABEL], top)
    # Grouped by the whole label list: as many rows as distinct label sets, not as contacts.
    rows = _active_contacts(owner).values_list("labels").annotate(n=Count("id")).order_by()
    counter: Counter[str] = Counter()
    spellings: dict[str, Counter] = defaultdict(Counter)
    unspecified = 0
    for labels, n in rows:
        keys = {}
        for label in labels or []:
            text = " ".join(str(label).split())
            key = _fold(text)
            if key:
                keys.setdefault(key, text)
        if not keys:
            unspecified += n
        for key, text in keys.items():
            counter[key] += n
            spellings[key][text] += n
    return _top(counter, spellings, unspecified, top)


def _city_sector_counts(owner) -> list[tuple[str, str, int]]:
    """(city, sector, contacts): one pass over the contacts feeds both pictures."""
    return list(_active_contacts(owner).values_list("city", "sector").annotate(n=Count("id")).order_by())


def _by_city(rows, top: int) -> dict:
    per_city: Counter[str] = Counter()
    for city, _sector, n in rows:
        per_city[city] += n
    return _group_texts(per_city.items(), top)


def _by_sector(per_sector, top: int) -> dict:
    """(sector, contacts) pairs, "" for none, as a picture named in the reader's language."""
    counter: Counter[str] = Counter()
    unspecified = 0
    for sector, n in per_sector:
        if sector:
            counter[sector] += n
        else:
            unspecified += n
    names = {value: str(label) for value, label in Sector.choices}
    ranked = sorted(counter.items(), key=lambda item: (-item[1], names.get(item[0], item[0])))
    return {
        "items": [{"label": names.get(key, key), "count": n} for key, n in ranked[:top]],
        "other": sum(n for _key, n in ranked[top:]),
        "unspecified": unspecified,
    }


def network_by_city(*, owner, top: int = TOP, from_rows: bool = False) -> dict:
    """Non-archived contacts per city (free text, compared without accents or case); no city apart."""
    if not from_rows:
        return _tallied_texts(tallies.contact_tallies(owner)[tallies.CITY], top)
    return _by_city(_city_sector_counts(owner), top)


def network_by_sector(*, owner, top: int = TOP, from_rows: bool = False) -> dict:
    """Non-archived contacts per sector, named in the reader's language; no sector apart."""
    if not from_rows:
        return _by_sector(_tallied_sectors(tallies.contact_tallies(owner)), top)
    return _by_sector(((sector, n) for _city, sector, n in _city_sector_counts(owner)), top)


def _tallied_sectors(groups: dict) -> list[tuple[str, int]]:
    return [(key, n) for key, _spelling, n in groups[tallies.SECTOR]]


def network_by_circle(*, owner) -> list[dict]:
    """Contacts linked to members, per circle of the owner: [{"label", "count"}…], biggest first.

    Only the owner's own active circles count: there the owner may see who the fellow members
    are, so the chart reveals no membership they could not see. No chart while it is empty.
    """
    from circles.models import Membership, Status

    mine = Membership.objects.filter(member=owner, status=Status.ACTIVE).values("circle_id")
    linked = _active_contacts(owner).exclude(member=None).values("member_id")
    rows = (
        Membership.objects.filter(circle_id__in=mine, member_id__in=linked, status=Status.ACTIVE)
        .exclude(member=owner)
        .values_list("circle__name")
        .annotate(n=Count("id"))
        .order_by("-n", "circle__name")[:TOP]
    )
    return [{"label": name, "count": n} for name, n in rows]


def network_map(*, owner, max_nodes: int = MAP_MAX_NODES, max_edges: int = MAP_MAX_EDGES) -> dict:
    """Contacts as nodes grouped by their first label, linked when they shared an interaction.

    Only the `max_nodes` most recently active contacts, and the `max_edges` strongest links.
    """
    active = _active_contacts(owner)
    # Most recently met first, then those never met: two reads down the (…, last_interaction_on)
    # index, where one NULLS LAST ordering would sort every contact.
    fields = ("id", "full_name", "labels")
    met = active.filter(last_interaction_on__isnull=False).order_by("-last_interaction_on", "-id")
    rows = list(met.values_list(*fields)[:max_nodes])
    if len(rows) < max_nodes:
        never = active.filter(last_interaction_on__isnull=True).order_by("-id")
        rows += list(never.values_list(*fields)[: max_nodes - len(rows)])
    total = active.count() if len(rows) == max_nodes else len(rows)
    # The group is the first label, compared like labels are ("Client" = "client"), in its commonest spelling.
    first_labels = [" ".join(str(labels[0]).split()) if labels else "" for _pk, _name, labels in rows]
    spellings: dict[str, Counter] = defaultdict(Counter)
    for label in first_labels:
        spellings[_fold(label)][label] += 1
    shown_as = {key: counter.most_common(1)[0][0] for key, counter in spellings.items()}
    nodes = [
        {"id": pk, "name": name, "group": shown_as[_fold(label)] if _fold(label) else NO_LABEL}
        for (pk, name, _labels), label in zip(rows, first_labels, strict=True)
    ]
    edges: list[dict] = []
    if len(rows) > 1:
        strongest = strongest_links([pk for pk, _name, _labels in rows], max_edges)
        edges = [{"source": a, "target": b, "weight": w} for a, b, w in strongest]
    groups = sorted({node["group"] for node in nodes}, key=lambda g: (g == NO_LABEL, _fold(g)))
    return {"nodes": nodes, "edges": edges, "groups": groups, "shown": len(nodes), "total": total}


def strongest_links(contact_ids: list[int], limit: int, *, from_rows: bool = False) -> list[tuple[int, int, int]]:
    """(a, b, shared interactions) for pairs of these contacts (a < b), strongest first, ties by ids.

    Counted by the database, the link table joined to itself through its two indexes: a few
    hundred pairs come back instead of the tens of thousands of links of busy contacts (whose
    tuples, on a cold dashboard, kept Python's garbage collector busy for 100 ms every few views).
    `from_rows` pairs the links in Python: the reference of the tests.
    """
    through = Interaction.contacts.through
    if from_rows:
        pairs = through.objects.filter(contact_id__in=contact_ids).values_list("interaction_id", "contact_id")
        attendees: dict[int, list[int]] = defaultdict(list)
        for interaction_id, contact_id in pairs:
            attendees[interaction_id].append(contact_id)
        weights: Counter[tuple[int, int]] = Counter()
        for people in attendees.values():
            if len(people) > 1:
                weights.update(combinations(sorted(people), 2))
        strongest = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [(a, b, w) for (a, b), w in strongest]
    if not contact_ids:
        return []
    # Each link joined to the other links of its interaction (b > a: each pair once).
    pairs = (
        through.objects.filter(
            contact_id__in=contact_ids,
            interaction__contacts__in=contact_ids,
            interaction__contacts__gt=F("contact_id"),
        )
        .values_list("contact_id", "interaction__contacts")
        .annotate(shared=Count("interaction_id"))
        .order_by("-shared", "contact_id", "interaction__contacts")
    )
    return [tuple(row) for row in pairs[:limit]]


def _data_version(owner) -> str:
    """Changes whenever the pictures may: a contact added, edited, archived or deleted, an interaction
    logged or deleted (network.services saves the contacts it touches, so their updated_at moves)."""
    contacts = Contact.objects.filter(owner=owner).aggregate(n=Count("id"), changed=Max("updated_at"))
    last_interaction = Interaction.objects.filter(owner=owner).aggregate(last=Max("id"))["last"]
    changed = contacts["changed"].isoformat() if contacts["changed"] else "-"
    return f"{contacts['n']}:{changed}:{last_interaction or 0}"


def tallied_pictures(*, owner, today: dt.date | None = None, from_rows: bool = False) -> dict:
    """The charts drawn from the running totals (or, `from_rows`, from the rows themselves)."""
    today = _today(today)
    pictures = {
        "per_week": interactions_per_week(owner=owner, today=today, from_rows=from_rows),
        "help": given_vs_received(owner=owner, today=today, from_rows=from_rows),
    }
    if from_rows:
        city_sector = _city_sector_counts(owner)
        return {
            **pictures,
            "by_label": network_by_label(owner=owner, from_rows=True),
            "by_city": _by_city(city_sector, TOP),
            "by_sector": _by_sector(((sector, n) for _city, sector, n in city_sector), TOP),
        }
    groups = tallies.contact_tallies(owner)  # one read for the three
    return {
        **pictures,
        "by_label": _tallied_texts(groups[tallies.LABEL], TOP),
        "by_city": _tallied_texts(groups[tallies.CITY], TOP),
        "by_sector": _by_sector(_tallied_sectors(groups), TOP),
    }


def compute_pictures(*, owner, today: dt.date | None = None) -> dict:
    return {
        **tallied_pictures(owner=owner, today=today),
        "by_circle": network_by_circle(owner=owner),
        "map": network_map(owner=owner),
    }


def dashboard_pictures(*, owner, today: dt.date | None = None) -> dict:
    """Every picture of the dashboard, from the cache when the owner's data has not changed."""
    today = _today(today)
    version = hashlib.sha256(_data_version(owner).encode()).hexdigest()[:16]
    key = f"{CACHE_PREFIX}:{owner.pk}:{today.isoformat()}:{get_language()}:{version}"
    # A new key at each change of the owner's data: the "derived" cache, which may cull them
    # (cercle/settings.py, CACHES), never the one of the log-in counters.
    cache = caches["derived"]
    pictures = cache.get(key)
    if pictures is None:
        pictures = compute_pictures(owner=owner, today=today)
        cache.set(key, pictures, CACHE_SECONDS)
    return pictures
