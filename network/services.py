"""Writes of my network. Every function takes the owner's objects; views check ownership first.

Each write keeps the dashboard's running totals (network.tallies) exact in its own transaction:
contacts through `tallies.contacts_tracked`, interactions through `tallies.interactions_changed`.
A write that bypasses these functions must call `tallies.network_tallies_rebuild(owner)`.
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network import tallies
from network.models import Contact, Interaction, InteractionKind, ReviewDecision, Rhythm
from network.normalize import clean_list, normalize_email, normalize_phone
from places.text import fold

NOT_YOUR_CONTACT = _("This contact is not in your network.")
NO_CONTACT = _("Choose at least one contact.")
INTERACTION_IN_FUTURE = _("An interaction cannot be dated in the future.")
GOAL_RANGE = _("A weekly goal is between 0 and 21.")
# "Reconnect" in the review sets this cadence when the contact had none.
RECONNECT_CADENCE_DAYS = 90
SNOOZE_DAYS = 14

CONTACT_FIELDS = (
    "full_name",
    "emails",
    "phones",
    "company",
    "position",
    "city",
    "sector",
    "how_met",
    "why",
    "met_on",
    "labels",
    "cadence_days",
    "notes",
    "linkedin_url",
    "source",
    "member",
)


def _search_text(contact: Contact) -> str:
    parts = [contact.full_name, contact.company, contact.position, contact.city, contact.how_met, contact.why]
    parts += contact.labels + contact.emails + [contact.notes]
    return fold(" | ".join(p for p in parts if p))


def compute_next_due(contact: Contact) -> dt.date | None:
    """When to reconnect: the cadence counted from the last seed planted, or a later snooze."""
    if contact.archived or not contact.cadence_days:
        return None
    start = contact.last_interaction_on or contact.met_on or timezone.localdate(contact.created_at)
    try:
        due = start + dt.timedelta(days=contact.cadence_days)
    except OverflowError:
        return None  # after the year 9999 (a huge cadence, or a date met far ahead): never due
    if contact.snoozed_until and contact.snoozed_until > due:
        due = contact.snoozed_until
    return due


def contact_refresh_derived(contact: Contact) -> None:
    contact.emails = clean_list(contact.emails, normalize_email)
    contact.phones = clean_list(contact.phones, normalize_phone)
    contact.labels = clean_list(contact.labels)
    contact.search_text = _search_text(contact)
    contact.label_keys = "".join(f"|{fold(label)}|" for label in contact.labels)
    contact.next_due_on = compute_next_due(contact)


def contact_create(*, owner, **fields) -> Contact:
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"Not contact fields: {sorted(unknown)}")
    contact = Contact(owner=owner, **fields)
    contact.full_clean(exclude=["owner", "member"])
    contact_refresh_derived(contact)
    with tallies.contacts_tracked(owner.pk) as tracked:
        contact.save()
        tracked.append(contact.pk)
    return contact


def contact_update(*, contact: Contact, **fields) -> Contact:
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"Not contact fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean(exclude=["owner", "member"])
    contact_refresh_derived(contact)
    with tallies.contacts_tracked(contact.owner_id, [contact.pk]):
        contact.save()
    return contact


def contact_set_archived(*, contact: Contact, archived: bool) -> Contact:
    contact.archived = archived
    contact.next_due_on = compute_next_due(contact)
    with tallies.contacts_tracked(contact.owner_id, [contact.pk]):
        contact.save(update_fields=["archived", "next_due_on", "updated_at"])
    return contact


def contact_delete(*, contact: Contact) -> None:
    """Forget a contact, with the interactions logged with them alone (shared ones stay, without them)."""
    with tallies.contacts_tracked(contact.owner_id, [contact.pk]):
        theirs = Interaction.contacts.through.objects.filter(contact_id=contact.pk).values("interaction_id")
        alone = list(
            Interaction.objects.filter(owner_id=contact.owner_id, pk__in=theirs)
            .annotate(people=Count("contacts"))
            .filter(people=1)
            .values_list("pk", "occurred_on", "kind")
        )
        Interaction.objects.filter(pk__in=[pk for pk, _day, _kind in alone]).delete()
        contact.delete()
        tallies.interactions_changed(contact.owner_id, removed=[(day, kind) for _pk, day, kind in alone])


def contact_snooze(*, contact: Contact, days: int = SNOOZE_DAYS, today: dt.date | None = None) -> Contact:
    contact.snoozed_until = (today or timezone.localdate()) + dt.timedelta(days=days)
    contact.next_due_on = compute_next_due(contact)
    contact.save(update_fields=["snoozed_until", "next_due_on", "updated_at"])
    return contact


def contact_set_cadence(*, contact: Contact, days: int | None) -> Contact:
    contact.cadence_days = days or None
    contact.next_due_on = compute_next_due(contact)
    contact.save(update_fields=["cadence_days", "next_due_on", "updated_at"])
    return contact


def _refresh_last_interaction(contacts: Iterable[Contact]) -> None:
    for contact in contacts:
        last = contact.interactions.aggregate(last=Max("occurred_on"))["last"]
        contact.last_interaction_on = last
        contact.next_due_on = compute_next_due(contact)
        contact.save(update_fields=["last_interaction_on", "next_due_on", "updated_at"])


def _check_interaction(owner, contacts: list[Contact], kind: str, occurred_on: dt.date) -> None:
    if not contacts:
        raise ValidationError(NO_CONTACT)
    if any(c.owner_id != owner.pk for c in contacts):
        raise ValidationError(NOT_YOUR_CONTACT)
    if occurred_on > timezone.localdate():
        raise ValidationError(INTERACTION_IN_FUTURE)
    if kind not in InteractionKind.values:
        raise ValidationError(_("Unknown kind of interaction."))


def interaction_log(
    *, owner, contacts: Iterable[Contact], kind: str, occurred_on: dt.date | None = None, note: str = ""
) -> Interaction:
    """Record a meeting, a call, help given or received… It resets each contact's cadence clock."""
    contacts = list(contacts)
    occurred_on = occurred_on or timezone.localdate()
    _check_interaction(owner, contacts, kind, occurred_on)
    with transaction.atomic():
        tallies.lock_owner(owner.pk)
        interaction = Interaction.objects.create(owner=owner, kind=kind, occurred_on=occurred_on, note=note.strip())
        interaction.contacts.set(contacts)
        tallies.interactions_changed(owner.pk, added=[(occurred_on, kind)])
        for contact in contacts:
            if contact.last_interaction_on is None or occurred_on > contact.last_interaction_on:
                contact.last_interaction_on = occurred_on
            if contact.snoozed_until and contact.snoozed_until <= timezone.localdate():
                contact.snoozed_until = None
            contact.next_due_on = compute_next_due(contact)
            contact.save(update_fields=["last_interaction_on", "snoozed_until", "next_due_on", "updated_at"])
    return interaction


def interaction_update(
    *, interaction: Interaction, contacts: Iterable[Contact], kind: str, occurred_on: dt.date, note: str = ""
) -> Interaction:
    """Correct an interaction: its contacts, kind, date or note."""
    contacts = list(contacts)
    _check_interaction(interaction.owner, contacts, kind, occurred_on)
    with transaction.atomic():
        tallies.lock_owner(interaction.owner_id)
        stored = Interaction.objects.filter(pk=interaction.pk).values_list("occurred_on", "kind").first()
        if stored is None:
            raise Interaction.DoesNotExist
        touched = {c.pk: c for c in [*interaction.contacts.all(), *contacts]}
        interaction.kind, interaction.occurred_on, interaction.note = kind, occurred_on, note.strip()
        interaction.save(update_fields=["kind", "occurred_on", "note"])
        interaction.contacts.set(contacts)
        tallies.interactions_changed(interaction.owner_id, added=[(occurred_on, kind)], removed=[stored])
        _refresh_last_interaction(touched.values())
    return interaction


def interaction_delete(*, interaction: Interaction) -> None:
    with transaction.atomic():
        tallies.lock_owner(interaction.owner_id)
        stored = Interaction.objects.filter(pk=interaction.pk).values_list("occurred_on", "kind").first()
        contacts = list(interaction.contacts.all())
        interaction.delete()
        if stored is not None:  # not deleted by another request meanwhile
            tallies.interactions_changed(interaction.owner_id, removed=[stored])
        _refresh_last_interaction(contacts)


def rhythm_of(owner) -> Rhythm:
    rhythm, _created = Rhythm.objects.get_or_create(owner=owner)
    return rhythm


def rhythm_update(*, owner, weekly_goal: int, goal_kinds: list[str]) -> Rhythm:
    if not 0 <= weekly_goal <= 21:
        raise ValidationError(GOAL_RANGE)
    kinds = [k for k in goal_kinds if k in InteractionKind.values]
    rhythm = rhythm_of(owner)
    rhythm.weekly_goal = weekly_goal
    rhythm.goal_kinds = kinds or [InteractionKind.LUNCH, InteractionKind.COFFEE]
    rhythm.save()
    return rhythm


def review_decide(*, owner, contact: Contact, decision: str, round: int) -> ReviewDecision:
    """Keep, reconnect (a cadence and a reminder due today) or archive; saved so the review resumes."""
    if contact.owner_id != owner.pk:
        raise ValidationError(NOT_YOUR_CONTACT)
    with transaction.atomic():
        record, _created = ReviewDecision.objects.update_or_create(
            contact=contact, round=round, defaults={"owner": owner, "decision": decision, "decided_at": timezone.now()}
        )
        if decision == ReviewDecision.Decision.ARCHIVE:
            contact_set_archived(contact=contact, archived=True)
        elif decision == ReviewDecision.Decision.RECONNECT:
            contact.cadence_days = contact.cadence_days or RECONNECT_CADENCE_DAYS
            contact.snoozed_until = None
            contact.next_due_on = timezone.localdate()  # the reminder: due from today
            contact.save(update_fields=["cadence_days", "snoozed_until", "next_due_on", "updated_at"])
    return record
