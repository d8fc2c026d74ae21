"""Importing contacts: always a preview first (nothing written but the batch), then confirm.

    import_preview → ImportBatch(rows=[{line, card, fields, match, action}, …])
    import_confirm → one transaction: merges, then creations; all or nothing.

A file the parsers refuse raises ImportRejected (network.importers.errors) before anything is
written. 10,000 rows take about a second: normal forms are computed once, duplicates are found
through dictionaries, and contacts are written with bulk_create / bulk_update.
"""

import datetime as dt
import os
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from network.importers import csv_formats, vcard
from network.importers.dedupe import CHOICES, CREATE, MERGE, SKIP, find_duplicates, merge_into
from network.importers.detect import decode, detect_format
from network.importers.errors import NOT_PENDING, ImportRejected
from network.models import Contact, ImportBatch, Source
from network.services import contact_refresh_derived
from network.tallies import network_tallies_rebuild

BATCH_SIZE = 1000
# What a merge may touch, plus what contact_refresh_derived recomputes.
MERGED_FIELDS = (
    "emails",
    "phones",
    "labels",
    "company",
    "position",
    "city",
    "sector",
    "how_met",
    "why",
    "met_on",
    "cadence_days",
    "notes",
    "linkedin_url",
    "search_text",
    "label_keys",
    "next_due_on",
    "updated_at",
)


@dataclass(frozen=True)
class Parsed:
    source: Source
    rows: list[dict]
    # Records skipped on their own, the rest imports: errors.skipped() dicts.
    skipped: list[dict] = field(default_factory=list)


def parse_file(*, data: bytes) -> Parsed:
    """Decode, recognise and parse a contacts file; ImportRejected names what is wrong."""
    text = decode(data)
    source = detect_format(text)
    if source == Source.VCARD:
        rows, skipped = vcard.parse(text)
        return Parsed(source=source, rows=rows, skipped=skipped)
    source, rows = csv_formats.parse(text)
    return Parsed(source=source, rows=rows)


def import_preview(*, owner, filename: str, data: bytes) -> ImportBatch:
    """Parse the file and find duplicates; only the batch is saved, waiting for confirmation.

    What was skipped waits in summary["rejected"], listed by the preview and kept by confirm.
    """
    parsed = parse_file(data=data)
    find_duplicates(owner=owner, rows=parsed.rows)
    name = os.path.basename((filename or "").replace("\\", "/"))[:255]
    return ImportBatch.objects.create(
        owner=owner,
        file_format=parsed.source,
        filename=name,
        rows=parsed.rows,
        summary={"rejected": parsed.skipped},
    )


def _action(row: dict, choices: dict[int, str], index: int) -> str:
    if row["match"] is None:
        return CREATE
    choice = choices.get(index)
    return choice if choice in CHOICES else row["action"]


def _new_contact(owner, fields: dict, source: str, now) -> Contact:
    values = dict(fields)
    if values["met_on"]:
        values["met_on"] = dt.date.fromisoformat(values["met_on"])
    return Contact(owner=owner, source=source, created_at=now, updated_at=now, **values)


def _bulk_create(contacts: list[Contact]) -> None:
    for start in range(0, len(contacts), BATCH_SIZE):
        Contact.objects.bulk_create(contacts[start : start + BATCH_SIZE])


def import_confirm(*, batch: ImportBatch, choices: dict[int, str]) -> dict:
    """Write the previewed rows: `choices` maps a duplicate row's index to "merge" or "skip".

    Rows without a choice keep the proposed action. Returns the summary, also kept on the batch.
    """
    now = timezone.now()
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEW:
            raise ImportRejected(NOT_PENDING)
        rows = batch.rows
        actions = [_action(row, choices, index) for index, row in enumerate(rows)]
        wanted = {
            (row["match"] or {}).get("contact_id") for row, action in zip(rows, actions, strict=True) if action == MERGE
        }
        existing = Contact.objects.filter(owner=batch.owner).in_bulk([pk for pk in wanted if pk])
        created: dict[int, Contact] = {}
        changed: dict[int, Contact] = {}
        counts = {CREATE: 0, MERGE: 0, SKIP: 0}
        for index, (row, action) in enumerate(zip(rows, actions, strict=True)):
            match = row["match"] or {}
            if action == MERGE and "contact_id" in match and match["contact_id"] not in existing:
                action = CREATE  # deleted since the preview: nothing left to merge into
            if action == CREATE:
                created[index] = _new_contact(batch.owner, row["fields"], batch.file_format, now)
            elif action == MERGE and "contact_id" in match:
                contact = existing[match["contact_id"]]
                if merge_into(contact, row["fields"]):
                    changed[contact.pk] = contact
            elif action == MERGE:
                merge_into(created[match["row"]], row["fields"])  # an earlier row, created just now
            counts[action] += 1
        for contact in changed.values():
            contact_refresh_derived(contact)
            contact.updated_at = now
        Contact.objects.bulk_update(list(changed.values()), MERGED_FIELDS, batch_size=BATCH_SIZE)
        new_contacts = list(created.values())
        for contact in new_contacts:
            contact_refresh_derived(contact)
        _bulk_create(new_contacts)
        # Written in bulk: the dashboard's totals are counted again from the contacts.
        network_tallies_rebuild(batch.owner, interactions=False)
        summary = {
            "format": batch.file_format,
            "rows": len(rows),
            "created": counts[CREATE],
            "merged": counts[MERGE],
            "changed": len(changed),
            "skipped": counts[SKIP],
            "rejected": batch.summary.get("rejected", []),
        }
        batch.status = ImportBatch.Status.DONE
        batch.summary = summary
        batch.rows = []  # now in the contacts: no second copy of the file is kept
        batch.save(update_fields=["status", "summary", "rows"])
    return summary


def import_cancel(*, batch: ImportBatch) -> None:
    """Drop a preview: its parsed rows go with it."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEW:
            raise ImportRejected(NOT_PENDING)
        batch.status = ImportBatch.Status.CANCELLED
        batch.rows = []
        batch.save(update_fields=["status", "rows"])


def import_file(*, owner, filename: str, data: bytes, dry_run: bool = False) -> dict:
    """Preview and confirm with the proposed actions in one go (the import_contacts command).

    A dry run does all of it, then rolls the transaction back: its summary is exactly what a
    real run would write.
    """
    with transaction.atomic():
        batch = import_preview(owner=owner, filename=filename, data=data)
        summary = import_confirm(batch=batch, choices={})
        if dry_run:
            transaction.set_rollback(True)
    return summary
