"""Reads of my network. Every query starts from the owner: nobody else's rows can come back."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from network import tallies
from network.models import Contact, ImportBatch, Interaction, InteractionKind, ReviewDecision, Rhythm
from places.text import fold

LIVING_DAYS = 365
# "Networkaholic": many more contacts than living relationships.
NETWORKAHOLIC_MIN_CONTACTS = 50
NETWORKAHOLIC_RATIO = 3
# How far back the weekly goal's streak is counted.
STREAK_WEEKS = 104


def contact_of(owner, contact_id: int) -> Contact:
    """The owner's contact, or 404 — for missing and for someone else's alike."""
    contact = Contact.objects.filter(owner=owner, pk=contact_id).first()
    if contact is None:
        raise Http404
    return contact


def interaction_of(owner, interaction_id: int) -> Interaction:
    interaction = Interaction.objects.filter(owner=owner, pk=interaction_id).first()
    if interaction is None:
        raise Http404
    return interaction


def import_batch_of(owner, batch_id: int) -> ImportBatch:
    batch = ImportBatch.objects.filter(owner=owner, pk=batch_id).first()
    if batch is None:
        raise Http404
    return batch


def contacts_search(*, owner, query: str = "", label: str = "", archived: bool = False) -> QuerySet[Contact]:
    """Name, company, label, city, notes…, accents and case ignored ("Hélène" ↔ "helene")."""
    contacts = Contact.objects.filter(owner=owner, archived=archived)
    for word in fold(query).split():
        contacts = contacts.filter(search_text__contains=word)
    if label:
        contacts = contacts.filter(label_keys__contains=f"|{fold(label)}|")
    return contacts.order_by("full_name", "id")


def contacts_due(*, owner, today: dt.date | None = None) -> QuerySet[Contact]:
    """Past their cadence, most overdue first."""
    today = today or timezone.localdate()
    return Contact.objects.filter(owner=owner, archived=False, next_due_on__lte=today).order_by("next_due_on", "id")


def last_interaction_with(contact: Contact) -> Interaction | None:
    return contact.interactions.order_by("-occurred_on", "-id").first()


@dataclass(frozen=True)
class WeekProgress:
    goal: int
    done: int
    streak: int  # weeks in a row, before this one, where the goal was met
    kinds: list[str]

    @property
    def met(self) -> bool:
        return self.done >= self.goal


def rhythm_for_reading(owner) -> Rhythm:
    """The saved rhythm, or the default one (not saved: a page view writes nothing)."""
    return Rhythm.objects.filter(owner=owner).first() or Rhythm(owner=owner)


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _goal_interactions_per_week(owner, kinds, since: dt.date, today: dt.date, from_rows: bool) -> dict[dt.date, int]:
    # The running totals per day and kind (network.tallies): at most a row per day and goal kind.
    per_day = tallies.interactions_per_day(owner, kinds=kinds, since=since, until=today, from_rows=from_rows)
    per_week: dict[dt.date, int] = {}
    for day, n in per_day:
        week = _week_start(day)
        per_week[week] = per_week.get(week, 0) + n
    return per_week


def _streak(per_week: dict[dt.date, int], start: dt.date, goal: int, horizon: dt.date) -> int:
    """Weeks in a row before `start` that met the goal, counted back to `horizon` at most."""
    streak, week = 0, start - dt.timedelta(weeks=1)
    while goal and week >= horizon and per_week.get(week, 0) >= goal:
        streak += 1
        week -= dt.timedelta(weeks=1)
    return streak


def week_progress(*, owner, today: dt.date | None = None, from_rows: bool = False) -> WeekProgress:
    """This week's goal and the streak (counted back two years at most); `from_rows` counts the
    interactions themselves instead of the running totals (the reference of the tests)."""
    today = today or timezone.localdate()
    rhythm = rhythm_for_reading(owner)
    start = _week_start(today)
    horizon = start - dt.timedelta(weeks=STREAK_WEEKS)
    per_week = _goal_interactions_per_week(owner, rhythm.goal_kinds, horizon, today, from_rows)
    streak = _streak(per_week, start, rhythm.weekly_goal, horizon)
    done = per_week.get(start, 0)
    if rhythm.weekly_goal and done >= rhythm.weekly_goal:
        streak += 1  # this week counts as soon as it is met
    return WeekProgress(goal=rhythm.weekly_goal, done=done, streak=streak, kinds=list(rhythm.goal_kinds))


@dataclass(frozen=True)
class LedgerLine:
    contact: Contact
    given: int
    received: int

    @property
    def one_way(self) -> str:
        """'given' or 'received' when help has only gone one way, else ''."""
        if self.given and not self.received:
            return "given"
        if self.received and not self.given:
            return "received"
        return ""


def ledger(*, owner) -> tuple[dict, list[LedgerLine]]:
    """Help given and received, overall and per contact (most exchanges first)."""
    # Start from the help interactions (few), not from every contact (possibly tens of thousands).
    links = (
        Interaction.contacts.through.objects.filter(
            interaction__owner=owner, interaction__kind__in=[InteractionKind.HELP_GIVEN, InteractionKind.HELP_RECEIVED]
        )
        .values_list("contact_id", "interaction__kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for contact_id, kind, n in links:
        counts.setdefault(contact_id, {})[kind] = n
    contacts = Contact.objects.filter(owner=owner, pk__in=list(counts))
    lines = sorted(
        (
            LedgerLine(
                contact=c,
                given=counts[c.pk].get(InteractionKind.HELP_GIVEN, 0),
                received=counts[c.pk].get(InteractionKind.HELP_RECEIVED, 0),
            )
            for c in contacts
        ),
        key=lambda line: (-line.given, -line.received, line.contact.full_name),
    )
    totals = Interaction.objects.filter(owner=owner).aggregate(
        given=Count("id", filter=Q(kind=InteractionKind.HELP_GIVEN)),
        received=Count("id", filter=Q(kind=InteractionKind.HELP_RECEIVED)),
    )
    return totals, lines


@dataclass(frozen=True)
class NetworkHealth:
    contacts: int
    living: int

    @property
    def networkaholic(self) -> bool:
        return self.contacts >= NETWORKAHOLIC_MIN_CONTACTS and self.contacts > NETWORKAHOLIC_RATIO * self.living


def network_health(*, owner, today: dt.date | None = None) -> NetworkHealth:
    """Contacts vs living relationships (an interaction in the last 12 months)."""
    today = today or timezone.localdate()
    active = Contact.objects.filter(owner=owner, archived=False)
    living = active.filter(last_interaction_on__gte=today - dt.timedelta(days=LIVING_DAYS)).count()
    return NetworkHealth(contacts=active.count(), living=living)


@dataclass(frozen=True)
class ReviewState:
    contact: Contact | None
    done: int
    total: int


def review_state(*, owner, round: int) -> ReviewState:
    """The next card of this year's review, and how far the owner has got (resumable)."""
    decided = ReviewDecision.objects.filter(owner=owner, round=round).values("contact_id")
    candidates = Contact.objects.filter(owner=owner).filter(Q(archived=False) | Q(pk__in=decided))
    total = candidates.count()
    # Never logged first, then the longest without news — on PostgreSQL too, where NULLs sort last by default.
    remaining = candidates.exclude(pk__in=decided).order_by(
        F("last_interaction_on").asc(nulls_first=True), "full_name", "id"
    )
    return ReviewState(contact=remaining.first(), done=total - remaining.count(), total=total)
