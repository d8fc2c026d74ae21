"""vCard 2.1, 3.0 and 4.0 files, one card or many, as phones and desktop clients export them.

The file is cut into cards here (so every problem names its card and line), walking the text
without copying it; only a card of bounded size reaches vobject, whose line reader unfolds lines,
joins quoted-printable soft line breaks, parses parameters and decodes quoted-printable in its
CHARSET (on one 5 MB line it took some 500 MB: hence the caps below). Values are unescaped here
rather than by vobject's behaviours, which keep only the text before the first unescaped comma —
and vCard 2.1 never escapes commas.
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
    skipped,
    skipped_problem,
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
# A physical line or a card beyond these is skipped (and listed), the rest of the file imports.
# Folded lines are 75 characters; 64 KB leaves room for an unfolded note, 1 MB for any real card.
MAX_LINE_CHARS = 64 * 1024
MAX_CARD_CHARS = 1024 * 1024
# Binary properties no field is read from: dropped with their folded lines while cutting, so an
# inline photo (unfolded by some phones) never costs its contact, nor counts in the card's size.
UNREAD_PROPERTIES = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A property's name, after an optional group ("item1.PHOTO;ENCODING=b:…").
_NAME = re.compile(r"(?:[\w-]+\.)?([\w-]+)")
# How much of an overlong line is looked at: its name and parameters, never its value.
_HEAD = 256
_CHARSET = re.compile(r"CHARSET=([\w.:-]+)", re.IGNORECASE)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


class _Card:
    def __init__(self, number: int, line: int):
        self.number = number
        self.line = line
        # Physical lines; a dropped one is kept as "" so that indexes stay line numbers.
        self.lines: list[str] = []
        self.size = 0
        self.skip: dict | None = None
        self.dropping = False  # inside an unread binary property
        self.quoted_printable = False  # the current property is quoted-printable
        self.soft_break = False  # … and its last line ended with "=": the next one continues it

    @property
    def where(self) -> Problem:
        return where(line=self.line, card=self.number)

    def add(self, text: str, start: int, end: int, number: int) -> None:
        """Keep text[start:end], physical line `number`, unless dropped or the card is skipped."""
        head = text[start : min(end, start + _HEAD)]
        if not (head[:1] in (" ", "\t") or self.soft_break):
            name = _NAME.match(head)
            self.dropping = bool(name) and name.group(1).upper() in UNREAD_PROPERTIES
            self.quoted_printable = "quoted-printable" in head.lower()
        self.soft_break = self.quoted_printable and text.endswith("=", start, end)
        if self.skip is not None:
            return
        if self.dropping:
            self.lines.append("")
            return
        self.size += end - start + 1
        if end - start > MAX_LINE_CHARS:
            self._skip("line_too_long", at=number, max_kb=MAX_LINE_CHARS // 1024)
        elif self.size > MAX_CARD_CHARS:
            self._skip("card_too_large", max_kb=MAX_CARD_CHARS // 1024)
        else:
            self.lines.append(text[start:end])

    def _skip(self, reason: str, **params) -> None:
        self.skip = skipped(reason, line=self.line, card=self.number, **params)
        self.lines = []  # what was kept of it goes now


def parse(text: str) -> tuple[list[dict], list[dict]]:
    """The rows, and the cards skipped on their own (see errors.skipped).

    Card by card: each is read as soon as it closes, so only one card's lines are held at once.
    """
    rows: list[dict] = []
    skips: list[dict] = []
    file_problems: list[Problem] = []  # the file's shape, listed first
    card_problems: list[Problem] = []
    for card in _cut(text, problems=file_problems, skips=skips):
        if len(file_problems) + len(card_problems) >= MAX_PROBLEMS:
            continue  # enough to fix: the rest is only cut, for the file's own problems
        try:
            fields = _read(card)
        except ImportRejected as rejected:
            card_problems += rejected.problems
            continue
        row, row_problems = finish_row(fields, line=card.line, card=card.number)
        rows.append(row)
        card_problems += row_problems
    problems = file_problems + card_problems
    if not rows and not problems and skips:
        # Nothing left to import: the reasons are the answer.
        problems = [skipped_problem(entry) for entry in skips]
    if problems:
        raise ImportRejected(problems=problems[:MAX_PROBLEMS])
    return rows, skips


def _physical_lines(text: str):
    """(number, start, end) of each line, cut at \\r\\n, \\r or \\n, without copying the text."""
    start, number = 0, 0
    for number, line_break in enumerate(_LINE_BREAK.finditer(text), start=1):
        yield number, start, line_break.start()
        start = line_break.end()
    yield number + 1, start, len(text)


def _marker(text: str, start: int, end: int) -> str:
    # A folded continuation (leading space) is never a marker, whatever its text; nor is an
    # overlong line (which is never copied whole).
    if end - start > _HEAD or text[start : start + 1] in (" ", "\t"):
        return ""
    return text[start:end].strip().upper()


def _cut(text: str, *, problems: list[Problem], skips: list[dict]):
    """Each card, by BEGIN:VCARD … END:VCARD, with its first line, as soon as it closes.

    The file's problems are added to `problems`, the cards skipped on their own to `skips`.
    """
    current: _Card | None = None
    count = 0
    for number, start, end in _physical_lines(text):
        marker = _marker(text, start, end)
        if marker == "BEGIN:VCARD":
            if current is not None:
                problems.append(Problem(CARD_NESTED, where=current.where, at=number))
            count += 1
            if count > MAX_ROWS:
                raise ImportRejected(TOO_MANY_ROWS, max_rows=MAX_ROWS)
            current = _Card(count, number)
            current.lines.append(text[start:end])
        elif marker == "END:VCARD":
            if current is None:
                problems.append(Problem(CARD_STRAY_END, line=number))
            elif current.skip is not None:
                skips.append(current.skip)
            else:
                current.lines.append(text[start:end])
                yield current
            current = None
        elif current is not None:
            current.add(text, start, end, number)
        elif end - start > _HEAD or text[start:end].strip():
            problems.append(Problem(OUTSIDE_CARD, line=number))
        if len(problems) >= MAX_PROBLEMS:
            return
    if current is not None:
        problems.append(Problem(CARD_NOT_CLOSED, where=current.where))
    if not count and not problems:
        problems.append(Problem(NO_CARD))


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
