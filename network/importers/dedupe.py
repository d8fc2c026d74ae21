"""The same person twice: same e-mail or phone (normal forms), or a near-identical name with the
same company. Lookups are dictionaries; fuzzy name matching runs only inside a block (same
company, same first letter of the name key), never across the whole file.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from network.models import Contact
from network.normalize import clean_list, name_key, normalize_email, normalize_phone
from places.text import fold

# rapidfuzz ratio (0–100) between name keys from which two names are the same person's.
NAME_SCORE = 92
# Fewer digits than this is not a phone number worth matching on ("12", "0").
MIN_PHONE_DIGITS = 6

MERGE = "merge"
SKIP = "skip"
CREATE = "create"
CHOICES = (MERGE, SKIP)

# Fields a merge may fill when the existing contact has them empty.
FILLABLE = (
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
)
UNION = (("emails", normalize_email), ("phones", normalize_phone), ("labels", None))


@dataclass(frozen=True)
class Keys:
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    name: str
    company: str


def keys_of(full_name: str, emails, phones, company: str) -> Keys:
    phone_keys = []
    for phone in phones:
        key = normalize_phone(phone)
        if sum(ch.isdigit() for ch in key) >= MIN_PHONE_DIGITS:
            phone_keys.append(key)
    return Keys(
        emails=tuple(key for key in map(normalize_email, emails) if "@" in key),
        phones=tuple(phone_keys),
        # A name of punctuation alone folds to nothing: then the name itself is the key.
        name=name_key(full_name) or " ".join(full_name.casefold().split()),
        company=fold(company),
    )


@dataclass
class _Block:
    names: list[str] = field(default_factory=list)
    refs: list = field(default_factory=list)


class Index:
    """Who is already known, by e-mail, phone and (company, name); the first one added wins."""

    def __init__(self):
        self.by_email: dict[str, object] = {}
        self.by_phone: dict[str, object] = {}
        self.by_name: dict[tuple[str, str], object] = {}
        self.blocks: defaultdict[tuple[str, str], _Block] = defaultdict(_Block)

    def add(self, keys: Keys, ref) -> None:
        for email in keys.emails:
            self.by_email.setdefault(email, ref)
        for phone in keys.phones:
            self.by_phone.setdefault(phone, ref)
        if keys.name and (keys.company, keys.name) not in self.by_name:
            self.by_name[keys.company, keys.name] = ref
            block = self.blocks[keys.company, keys.name[0]]
            block.names.append(keys.name)
            block.refs.append(ref)

    def find(self, keys: Keys):
        """(ref, "email" | "phone" | "name"), or None."""
        for email in keys.emails:
            if email in self.by_email:
                return self.by_email[email], "email"
        for phone in keys.phones:
            if phone in self.by_phone:
                return self.by_phone[phone], "phone"
        if not keys.name:
            return None
        exact = self.by_name.get((keys.company, keys.name))
        if exact is not None:
            return exact, "name"
        block = self.blocks.get((keys.company, keys.name[0]))
        if block:
            best = process.extractOne(keys.name, block.names, scorer=fuzz.ratio, score_cutoff=NAME_SCORE)
            if best is not None:
                return block.refs[best[2]], "name"
        return None


def find_duplicates(*, owner, rows: list[dict]) -> None:
    """Give each row its "match" (None, an existing contact or an earlier row) and default "action".

    Existing contacts (archived ones too) come first: a duplicate of one is merged by default; a
    duplicate of an earlier row of the file is skipped by default. A row found to be someone
    already known lends its keys to that person, so later rows matching it follow the same way.
    """
    existing = Index()
    known: dict[int, dict] = {}
    contacts = Contact.objects.filter(owner=owner).order_by("archived", "id")
    for pk, full_name, emails, phones, company, archived in contacts.values_list(
        "pk", "full_name", "emails", "phones", "company", "archived"
    ):
        existing.add(keys_of(full_name, emails, phones, company), pk)
        known[pk] = {"name": full_name, "company": company, "archived": archived}
    in_file = Index()
    for index, row in enumerate(rows):
        fields = row["fields"]
        keys = keys_of(fields["full_name"], fields["emails"], fields["phones"], fields["company"])
        hit = existing.find(keys)
        if hit is not None:
            pk, by = hit
            row["match"] = {"contact_id": pk, "by": by, **known[pk]}
            row["action"] = MERGE
            existing.add(keys, pk)
            continue
        hit = in_file.find(keys)
        if hit is not None:
            first, by = hit
            earlier = rows[first]
            row["match"] = {
                "row": first,
                "by": by,
                "line": earlier["line"],
                "card": earlier["card"],
                "name": earlier["fields"]["full_name"],
                "company": earlier["fields"]["company"],
            }
            row["action"] = SKIP
            in_file.add(keys, first)
            continue
        row["match"] = None
        row["action"] = CREATE
        in_file.add(keys, index)


def merge_into(contact: Contact, fields: dict) -> bool:
    """Fill the contact's empty fields and add e-mails, phones and labels; never overwrite.

    True when something changed. `fields` are a row's (met_on as an ISO date).
    """
    changed = False
    for name in FILLABLE:
        value = fields.get(name)
        if name == "met_on" and value:
            value = dt.date.fromisoformat(value)
        if value and not getattr(contact, name):
            setattr(contact, name, value)
            changed = True
    for name, normalizer in UNION:
        before = list(getattr(contact, name) or [])
        after = clean_list(before + list(fields.get(name) or []), normalizer)
        if after != before:
            setattr(contact, name, after)
            changed = True
    return changed
