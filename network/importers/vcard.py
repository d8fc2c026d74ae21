"""vCard 2.1, 3.0 and 4.0 files, one card or many, as phones and desktop clients export them.

The file is cut into cards here (so every problem names its card and line); vobject's line
reader unfolds lines, joins quoted-printable soft line breaks, parses parameters and decodes
quoted-printable in its CHARSET. Values are unescaped here rather than by vobject's behaviours,
which keep only the text before the first unescaped comma — and vCard 2.1 never escapes commas.
"""

import datetime as dt
import io
import re

from vobject.base import ContentLine, VObjectError, getLogicalLines, textLineToContentLine

from network.importers import MAX_ROWS, finish_row, linkedin_url, new_fields
from network.importers.errors import (
    CARD_BAD_CHARSET,
    CARD_NESTED,
    CARD_NOT_CLOSED,
    CARD_STRAY_END,
    CARD_UNREADABLE,
    CARD_UNREADABLE_LINE,
    MAX_PROBLEMS,
    NO_CARD,
    OUTSIDE_CARD,
    TOO_MANY_ROWS,
    ImportRejected,
    Problem,
    where,
)

# Our own properties, for the fields vCard has no place for (see network.exports).
X_HOW_MET = "X-CERCLE-HOW-MET"
X_MET_ON = "X-CERCLE-MET-ON"
X_CADENCE = "X-CERCLE-CADENCE-DAYS"
X_SECTOR = "X-CERCLE-SECTOR"
# NOTE;X-CERCLE-FIELD=why:… is the "why they are in my network"; other NOTEs are notes.
X_FIELD_PARAM = "X-CERCLE-FIELD"
MAX_CADENCE_DAYS = 36_500
# Categories Google Contacts adds by itself to exported cards (spelled exactly so).
SYSTEM_CATEGORIES = {"myContacts", "starred"}

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CHARSET = re.compile(r"CHARSET=([\w.:-]+)", re.IGNORECASE)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


class _Card:
    def __init__(self, number: int, line: int):
        self.number = number
        self.line = line
        self.lines: list[str] = []

    @property
    def where(self) -> Problem:
        return where(line=self.line, card=self.number)


def parse(text: str) -> list[dict]:
    cards, problems = _cut(text)
    rows = []
    for card in cards:
        if len(problems) >= MAX_PROBLEMS:
            break
        try:
            fields = _read(card)
        except ImportRejected as rejected:
            problems += rejected.problems
            continue
        row, row_problems = finish_row(fields, line=card.line, card=card.number)
        rows.append(row)
        problems += row_problems
    if problems:
        raise ImportRejected(problems=problems[:MAX_PROBLEMS])
    return rows


def _cut(text: str) -> tuple[list[_Card], list[Problem]]:
    """The cards, by BEGIN:VCARD … END:VCARD, with their first line."""
    cards: list[_Card] = []
    problems: list[Problem] = []
    current: _Card | None = None
    count = 0
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        # A folded continuation (leading space) is never a marker, whatever its text.
        marker = "" if raw[:1] in (" ", "\t") else raw.strip().upper()
        if marker == "BEGIN:VCARD":
            if current is not None:
                problems.append(Problem(CARD_NESTED, where=current.where, at=number))
            count += 1
            if count > MAX_ROWS:
                raise ImportRejected(TOO_MANY_ROWS, max_rows=MAX_ROWS)
            current = _Card(count, number)
            current.lines.append(raw)
        elif marker == "END:VCARD":
            if current is None:
                problems.append(Problem(CARD_STRAY_END, line=number))
            else:
                current.lines.append(raw)
                cards.append(current)
                current = None
        elif current is not None:
            current.lines.append(raw)
        elif raw.strip():
            problems.append(Problem(OUTSIDE_CARD, line=number))
        if len(problems) >= MAX_PROBLEMS:
            break
    if current is not None:
        problems.append(Problem(CARD_NOT_CLOSED, where=current.where))
    if not cards and not problems:
        problems.append(Problem(NO_CARD))
    return cards, problems


def _version(card: _Card) -> str:
    for raw in card.lines:
        name, _sep, value = raw.partition(":")
        if name.strip().upper() == "VERSION":
            return value.strip()
    return ""


def _read(card: _Card) -> dict:
    old = _version(card) not in ("3.0", "4.0")
    stream = io.StringIO("\n".join(card.lines) + "\n")
    lines, text = [], ""
    try:
        # Quoted-printable soft line breaks exist in vCard 2.1 only; elsewhere a value ending
        # in "=" must not swallow the next line.
        for text, _number in getLogicalLines(stream, allowQP=old):
            lines.append(textLineToContentLine(text))
    except VObjectError:
        at = card.line + _physical_index(card, text, len(lines))
        raise ImportRejected(CARD_UNREADABLE_LINE, where=card.where, at=at) from None
    except (UnicodeDecodeError, LookupError):
        charset = _CHARSET.search("\n".join(card.lines))
        raise ImportRejected(
            CARD_BAD_CHARSET, where=card.where, charset=charset.group(1) if charset else "UTF-8"
        ) from None
    except Exception:  # noqa: BLE001 - a third-party parser on untrusted input: any failure is this card's
        raise ImportRejected(CARD_UNREADABLE, where=card.where) from None
    return _fields(lines, old=old)


def _physical_index(card: _Card, text: str, logical_index: int) -> int:
    """Which physical line of the card starts this logical line (vobject's own count is off)."""
    starts = [i for i, raw in enumerate(card.lines) if raw.strip() and raw[0] not in " \t"]
    for i in starts[logical_index:] or starts[-1:]:
        if text.startswith(card.lines[i]):
            return i
    return starts[min(logical_index, len(starts) - 1)] if starts else 0


def _fields(lines: list[ContentLine], *, old: bool) -> dict:
    fields = new_fields()
    names_from_n, notes = "", []
    for line in lines:
        name, raw = line.name.upper(), line.value
        if name == "FN" and not fields["full_name"]:
            fields["full_name"] = _text(raw, old)
        elif name == "N" and not names_from_n:
            names_from_n = _name_from_n(raw, old)
        elif name == "EMAIL":
            fields["emails"].append(_text(raw, old))
        elif name == "TEL":
            fields["phones"].append(_text(raw, old))
        elif name == "ORG" and not fields["company"]:
            fields["company"] = next((part for part in _parts(raw, ";", old) if part.strip()), "")
        elif name in ("TITLE", "ROLE") and not fields["position"]:
            fields["position"] = _text(raw, old)
        elif name == "ADR" and not fields["city"]:
            parts = _parts(raw, ";", old)
            fields["city"] = parts[3] if len(parts) > 3 else ""
        elif name == "NOTE":
            if "why" in [value.lower() for value in line.params.get(X_FIELD_PARAM, [])]:
                fields["why"] = _text(raw, old)
            else:
                notes.append(_text(raw, old))
        elif name == "CATEGORIES":
            labels = _parts(raw, ";," if old else ",", old)
            fields["labels"] += [label for label in labels if label not in SYSTEM_CATEGORIES]
        elif name in ("URL", "X-SOCIALPROFILE") and not fields["linkedin_url"]:
            fields["linkedin_url"] = linkedin_url(_text(raw, old))
        elif name == X_HOW_MET:
            fields["how_met"] = _text(raw, old)
        elif name == X_MET_ON:
            fields["met_on"] = _date(_text(raw, old))
        elif name == X_CADENCE:
            fields["cadence_days"] = _cadence(_text(raw, old))
        elif name == X_SECTOR:
            fields["sector"] = _text(raw, old).strip()
    fields["full_name"] = fields["full_name"].strip() or names_from_n
    fields["notes"] = "\n\n".join(note for note in notes if note.strip())
    return fields


def _unescape(value: str) -> str:
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _text(raw: str, old: bool) -> str:
    # vCard 2.1 escapes only semicolons; 3.0 and 4.0 also \\, \, and \n.
    return raw.replace("\\;", ";") if old else _unescape(raw)


def _parts(raw: str, separators: str, old: bool) -> list[str]:
    """Split on unescaped separators, then unescape each part."""
    parts, current, escaped = [], [], False
    for ch in raw:
        if escaped:
            current.append("\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return [_text(part, old).strip() for part in parts]


def _name_from_n(raw: str, old: bool) -> str:
    """N is family;given;additional;prefix;suffix — read as "given additional family"."""
    parts = (_parts(raw, ";", old) + [""] * 5)[:5]
    family, given, additional = (" ".join(p.replace(",", " ").split()) for p in parts[:3])
    return " ".join(part for part in (given, additional, family) if part)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def _cadence(value: str) -> int | None:
    value = value.strip()
    if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_CADENCE_DAYS:
        return int(value)
    return None
