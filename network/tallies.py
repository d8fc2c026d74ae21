"""Running totals behind the dashboard of my network, kept in the database.

The first view of the dashboard after a change used to count every contact and interaction of
the owner; it now reads a few hundred rows:

- `InteractionTally`: per owner, day and kind, the number of interactions (each counted once,
  whatever its number of contacts). Interactions per week, help given and received, the weekly
  goal's streak.
- `ContactTally`: per owner, active (non-archived) contacts per label, city and sector. Labels and
  cities are grouped without accents or case and shown in their commonest spelling, so a row is
  one (folded key, spelling); "" is the key of "none".

How they stay exact:

- Every write of `network.services` changes them in its own transaction, from the difference
  between the rows as stored before and after the write (read back from the database: a form may
  have changed the instance already). The transaction first locks the owner's row, so concurrent
  writes to one network queue up instead of losing an update (SQLite already serialises writers).
- Bulk writes (imports, the demo loader, the benchmark) call `network_tallies_rebuild(owner)` at
  the end; operators run `manage.py rebuild_network_tallies` after editing rows by hand.
- A decrement that finds nothing to take from means they had drifted: the owner's totals are
  rebuilt on the spot and a warning is logged.
- `check(owner)` compares them with the rows; the dashboard keeps its computation from the rows
  (`from_rows=True`) as the reference, which the property tests compare with these after random
  sequences of writes.
"""

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Sum

from network.models import Contact, ContactTally, Interaction, InteractionTally
from places.text import fold

logger = logging.getLogger(__name__)

LABEL = ContactTally.Dimension.LABEL.value
CITY = ContactTally.Dimension.CITY.value
SECTOR = ContactTally.Dimension.SECTOR.value
BATCH_SIZE = 2000

# (dimension, folded key, spelling): "" as key for no label, no city, no sector.
ContactGroup = tuple[str, str, str]
# (day, kind)
InteractionGroup = tuple[dt.date, str]


# --- What one contact, one interaction counts for ------------------------------------------------


def _tidy(text) -> str:
    return " ".join(str(text).split())


def label_groups(labels) -> list[ContactGroup]:
    """One group per distinct label (compared folded, first spelling kept); "no label" when none."""
    keys: dict[str, str] = {}
    for label in labels or []:
        text = _tidy(label)
        key = fold(text)
        if key:
            keys.setdefault(key, text)
    if not keys:
        return [(LABEL, "", "")]
    return [(LABEL, key, text) for key, text in keys.items()]


def city_group(city) -> ContactGroup:
    key = fold(city or "")
    return (CITY, key, _tidy(city) if key else "")


def sector_group(sector) -> ContactGroup:
    return (SECTOR, sector or "", "")


def contact_groups(*, labels, city, sector, archived) -> Counter[ContactGroup]:
    """The groups an archived contact is in: none."""
    if archived:
        return Counter()
    return Counter([*label_groups(labels), city_group(city), sector_group(sector)])


def _signed_diff(before: Counter, after: Counter) -> Counter:
    delta = Counter(after)
    delta.subtract(before)  # unlike `-`, keeps the negative counts
    return Counter({group: n for group, n in delta.items() if n})


# --- Applying changes ------------------------------------------------------------------------------


def lock_owner(owner_id: int) -> None:
    """Queue the writes to one owner's network (PostgreSQL; SQLite already serialises writers)."""
    list(get_user_model().objects.select_for_update().filter(pk=owner_id).values_list("pk"))


def _apply(model, owner_id: int, delta: Counter, fields: tuple[str, ...]) -> bool:
    """Add `delta` to the owner's rows; False when a decrement found nothing to take from."""
    exact = True
    emptied = False
    for group, n in delta.items():
        if not n:
            continue
        match = dict(zip(fields, group, strict=True))
        rows = model.objects.filter(owner_id=owner_id, **match)
        if n < 0:
            exact &= bool(rows.filter(count__gte=-n).update(count=F("count") + n))
            emptied = True
        elif not rows.update(count=F("count") + n):
            model.objects.create(owner_id=owner_id, count=n, **match)
    if emptied:
        model.objects.filter(owner_id=owner_id, count=0).delete()
    return exact


def _apply_or_rebuild(owner_id: int, *, contacts: Counter | None = None, interactions: Counter | None = None) -> None:
    exact = True
    if contacts:
        exact &= _apply(ContactTally, owner_id, contacts, ("dimension", "key", "spelling"))
    if interactions:
        exact &= _apply(InteractionTally, owner_id, interactions, ("day", "kind"))
    if not exact:
        logger.warning("Network tallies of owner %s had drifted: rebuilt from the rows.", owner_id)
        _rebuild(owner_id, contacts=bool(contacts), interactions=bool(interactions))


def stored_contact_groups(contact_ids: Iterable[int]) -> Counter[ContactGroup]:
    """What these contacts count for, as stored now."""
    groups: Counter[ContactGroup] = Counter()
    rows = Contact.objects.filter(pk__in=list(contact_ids)).values_list("labels", "city", "sector", "archived")
    for labels, city, sector, archived in rows:
        groups.update(contact_groups(labels=labels, city=city, sector=sector, archived=archived))
    return groups


@contextmanager
def contacts_tracked(owner_id: int, contact_ids: Iterable[int] = ()) -> Iterator[list[int]]:
    """Around a write of the owner's contacts: the totals follow from the rows before and after.

    Yields the list of tracked ids, to which a write may add the contacts it creates. Runs in
    the caller's transaction (opened here when there is none).
    """
    ids = list(contact_ids)
    with transaction.atomic():
        lock_owner(owner_id)
        before = stored_contact_groups(ids)
        yield ids
        _apply_or_rebuild(owner_id, contacts=_signed_diff(before, stored_contact_groups(ids)))


def interactions_changed(
    owner_id: int, *, added: Iterable[InteractionGroup] = (), removed: Iterable[InteractionGroup] = ()
) -> None:
    """Interactions logged (added) and deleted (removed), as (day, kind); call with the owner locked."""
    _apply_or_rebuild(owner_id, interactions=_signed_diff(Counter(removed), Counter(added)))


# --- From the rows ---------------------------------------------------------------------------------


def contact_groups_from_rows(owner_id: int) -> Counter[ContactGroup]:
    """The contact totals as they should be, counted from the owner's contacts."""
    active = Contact.objects.filter(owner_id=owner_id, archived=False)
    groups: Counter[ContactGroup] = Counter()
    # Grouped by the database: as many rows as distinct label sets and (city, sector) pairs.
    for labels, n in active.values_list("labels").annotate(n=Count("id")).order_by():
        for group in label_groups(labels):
            groups[group] += n
    for city, sector, n in active.values_list("city", "sector").annotate(n=Count("id")).order_by():
        groups[city_group(city)] += n
        groups[sector_group(sector)] += n
    return groups


def interaction_groups_from_rows(owner_id: int) -> Counter[InteractionGroup]:
    rows = Interaction.objects.filter(owner_id=owner_id).values_list("occurred_on", "kind").annotate(n=Count("id"))
    return Counter({(day, kind): n for day, kind, n in rows.order_by()})


def stored_contact_tallies(owner_id: int) -> Counter[ContactGroup]:
    rows = ContactTally.objects.filter(owner_id=owner_id, count__gt=0)
    return Counter({(d, k, s): n for d, k, s, n in rows.values_list("dimension", "key", "spelling", "count")})


def stored_interaction_tallies(owner_id: int) -> Counter[InteractionGroup]:
    rows = InteractionTally.objects.filter(owner_id=owner_id, count__gt=0)
    return Counter({(day, kind): n for day, kind, n in rows.values_list("day", "kind", "count")})


def _rebuild(owner_id: int, *, contacts: bool = True, interactions: bool = True) -> None:
    if contacts:
        ContactTally.objects.filter(owner_id=owner_id).delete()
        ContactTally.objects.bulk_create(
            [
                ContactTally(owner_id=owner_id, dimension=d, key=k, spelling=s, count=n)
                for (d, k, s), n in contact_groups_from_rows(owner_id).items()
            ],
            batch_size=BATCH_SIZE,
        )
    if interactions:
        InteractionTally.objects.filter(owner_id=owner_id).delete()
        InteractionTally.objects.bulk_create(
            [
                InteractionTally(owner_id=owner_id, day=day, kind=kind, count=n)
                for (day, kind), n in interaction_groups_from_rows(owner_id).items()
            ],
            batch_size=BATCH_SIZE,
        )


def network_tallies_rebuild(owner, *, contacts: bool = True, interactions: bool = True) -> None:
    """Count the owner's totals again from their rows: after a bulk write, or to repair by hand."""
    with transaction.atomic():
        lock_owner(owner.pk)
        _rebuild(owner.pk, contacts=contacts, interactions=interactions)


def check(owner) -> list[str]:
    """What differs between the owner's totals and their rows (nothing when they are exact)."""
    problems = []
    for name, stored, expected in (
        ("contacts", stored_contact_tallies(owner.pk), contact_groups_from_rows(owner.pk)),
        ("interactions", stored_interaction_tallies(owner.pk), interaction_groups_from_rows(owner.pk)),
    ):
        for group in sorted(set(stored) | set(expected), key=str):
            if stored[group] != expected[group]:
                problems.append(f"{name} {group}: {stored[group]} counted, {expected[group]} in the rows")
    return problems


# --- Reads -----------------------------------------------------------------------------------------


def _interactions(owner, *, since, until, kinds, from_rows: bool):
    """The owner's tallies over a period (or, `from_rows`, their interactions), and the day's field."""
    if from_rows:
        rows, day = Interaction.objects.filter(owner=owner), "occurred_on"
    else:
        rows, day = InteractionTally.objects.filter(owner=owner), "day"
    if since is not None:
        rows = rows.filter(**{f"{day}__gte": since})
    if until is not None:
        rows = rows.filter(**{f"{day}__lte": until})
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    return rows, day


def interactions_per_day(
    owner,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    kinds: Iterable[str] | None = None,
    by_kind: bool = False,
    from_rows: bool = False,
) -> list[tuple]:
    """(day, interactions), or (kind, day, interactions) `by_kind`, over a period.

    `from_rows` counts the interactions themselves: grouped by day, with no date function in SQL
    (SQLite would call back into Python for every row).
    """
    rows, day = _interactions(owner, since=since, until=until, kinds=kinds, from_rows=from_rows)
    if by_kind and not from_rows:
        return list(rows.values_list("kind", day, "count"))  # already one row per (day, kind)
    fields = ("kind", day) if by_kind else (day,)
    total = Count("id") if from_rows else Sum("count")
    return list(rows.values_list(*fields).annotate(n=total).order_by())


def interactions_per_kind(owner, *, kinds: Iterable[str] | None = None, from_rows: bool = False) -> dict[str, int]:
    """All-time interactions per kind."""
    rows, _day = _interactions(owner, since=None, until=None, kinds=kinds, from_rows=from_rows)
    total = Count("id") if from_rows else Sum("count")
    return dict(rows.values_list("kind").annotate(n=total).order_by())


def contact_tallies(owner) -> dict[str, list[tuple[str, str, int]]]:
    """Per dimension, (folded key, spelling, active contacts): one read for the three pictures."""
    groups: dict[str, list[tuple[str, str, int]]] = {LABEL: [], CITY: [], SECTOR: []}
    rows = ContactTally.objects.filter(owner=owner, count__gt=0)
    for dimension, key, spelling, n in rows.values_list("dimension", "key", "spelling", "count"):
        groups[dimension].append((key, spelling, n))
    return groups
