"""My contacts out: vCard 4.0 (RFC 6350) and CSV for spreadsheets. Non-archived contacts only.

The vCard carries what vCard lacks in X-CERCLE-* properties (and "why" as a NOTE tagged
X-CERCLE-FIELD=why), so that importing it back — into the same network or another — restores
every field, and finds every contact again as a duplicate of itself.
"""

import csv
import io
import re
import uuid

from network.importers.vcard import X_CADENCE, X_FIELD_PARAM, X_HOW_MET, X_MET_ON, X_SECTOR
from network.models import Contact

FOLD_OCTETS = 75
# A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_FIELDS = (
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
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_UID_NAMESPACE = uuid.UUID("5d0c2a3e-8f4b-4c1e-9a55-0c3f6a1b7e21")


def _contacts(owner):
    return Contact.objects.filter(owner=owner, archived=False).order_by("full_name", "id")


# --- vCard 4.0 -------------------------------------------------------------------------------


def _escape(text: str) -> str:
    text = _CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def _fold(line: str) -> str:
    """Lines of at most 75 octets, cut between characters (never inside a UTF-8 sequence)."""
    if len(line.encode()) <= FOLD_OCTETS:
        return line
    pieces, current, size = [], [], 0
    for ch in line:
        octets = len(ch.encode())
        limit = FOLD_OCTETS if not pieces else FOLD_OCTETS - 1  # continuation lines start with a space
        if size + octets > limit:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(ch)
        size += octets
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _name_parts(full_name: str) -> tuple[str, str]:
    """(family, given): the last word is the family name, as most clients guess."""
    words = full_name.split()
    if len(words) < 2:
        return full_name, ""
    return words[-1], " ".join(words[:-1])


def contact_vcard(contact: Contact) -> str:
    family, given = _name_parts(contact.full_name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "PRODID:-//Cercle//Cercle//EN",
        f"UID:urn:uuid:{uuid.uuid5(_UID_NAMESPACE, f'{contact.owner_id}:{contact.pk}')}",
        f"FN:{_escape(contact.full_name)}",
        f"N:{_escape(family)};{_escape(given)};;;",
    ]
    lines += [f"EMAIL:{_escape(email)}" for email in contact.emails]
    lines += [f"TEL;VALUE=text:{_escape(phone)}" for phone in contact.phones]
    if contact.company:
        lines.append(f"ORG:{_escape(contact.company)}")
    if contact.position:
        lines.append(f"TITLE:{_escape(contact.position)}")
    if contact.city:
        lines.append(f"ADR;TYPE=work:;;;{_escape(contact.city)};;;")
    if contact.linkedin_url:
        lines.append(f"URL:{_CONTROL.sub('', contact.linkedin_url)}")
    if contact.labels:
        lines.append("CATEGORIES:" + ",".join(_escape(label) for label in contact.labels))
    if contact.notes:
        lines.append(f"NOTE:{_escape(contact.notes)}")
    if contact.why:
        lines.append(f"NOTE;{X_FIELD_PARAM}=why:{_escape(contact.why)}")
    if contact.how_met:
        lines.append(f"{X_HOW_MET}:{_escape(contact.how_met)}")
    if contact.met_on:
        lines.append(f"{X_MET_ON}:{contact.met_on.isoformat()}")
    if contact.cadence_days:
        lines.append(f"{X_CADENCE}:{contact.cadence_days}")
    if contact.sector:
        lines.append(f"{X_SECTOR}:{contact.sector}")
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


def contacts_vcard(owner) -> str:
    """One vCard 4.0 per non-archived contact, CRLF line ends."""
    return "".join(contact_vcard(contact) for contact in _contacts(owner).iterator(chunk_size=2000))


# --- CSV -------------------------------------------------------------------------------------


def neutralize(cell: str) -> str:
    """'=1+1 → a text cell: a leading quote keeps spreadsheets from evaluating it."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _cell(contact: Contact, name: str) -> str:
    value = getattr(contact, name)
    if name in ("sector", "source"):
        value = getattr(contact, f"get_{name}_display")() if value else ""
    elif isinstance(value, list):
        value = "; ".join(value)
    elif value is None:
        value = ""
    elif hasattr(value, "isoformat"):
        value = value.isoformat()
    return neutralize(str(value))


def contacts_csv(owner) -> str:
    """UTF-8 with a BOM (so Excel reads the accents), a header row, one line per contact."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(Contact._meta.get_field(name).verbose_name).capitalize() for name in CSV_FIELDS])
    for contact in _contacts(owner).iterator(chunk_size=2000):
        writer.writerow([_cell(contact, name) for name in CSV_FIELDS])
    return "\ufeff" + out.getvalue()
