"""LinkedIn's Connections.csv, Google Contacts CSV (current and older exports) and Outlook CSV.

Each is recognised by its header row, wherever it is: LinkedIn puts a "Notes:" preamble of a
few lines before it. Columns are looked up by name (case and spacing ignored), never by position.
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from network.importers import MAX_ROWS, finish_row, linkedin_url, new_fields
from network.importers.errors import (
    CSV_COLUMNS,
    CSV_MALFORMED,
    CSV_NO_ROWS,
    MAX_PROBLEMS,
    TOO_MANY_ROWS,
    UNKNOWN_FORMAT,
    ImportRejected,
    Problem,
)
from network.models import Source

# The header is within the first lines (LinkedIn's preamble is 3 of them).
HEADER_SEARCH_ROWS = 20
HEADER_SEARCH_CHARS = 32_768
DELIMITERS = (",", ";", "\t")  # French Excel saves CSV with semicolons
GOOGLE_SEPARATOR = ":::"  # "a@x.org ::: b@y.org" in one cell
# Google's own groups ("* myContacts"), not labels the owner chose; "* Friends" stays "Friends".
GOOGLE_SYSTEM_LABELS = {"mycontacts", "my contacts", "starred"}

# Month names as LinkedIn writes them, in English and French ("12 Mar 2024", "3 sept. 2021").
EN_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
FR_MONTHS = ("janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc")
MONTHS = {name: number for months in (EN_MONTHS, FR_MONTHS) for number, name in enumerate(months, start=1)}


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class Header:
    source: Source
    delimiter: str
    line: int  # the header's last physical line


def _classify(cells: list[str]) -> Source | None:
    names = {_key(cell) for cell in cells}
    if {"first name", "last name", "connected on"} <= names:
        return Source.LINKEDIN
    if (
        any(re.fullmatch(r"(e-mail|phone) \d+ - value", name) for name in names)
        or {"given name", "family name"} <= names
        or "group membership" in names
        or {"organization name", "labels"} <= names
    ):
        return Source.GOOGLE
    if {"e-mail address", "job title", "mobile phone", "business phone"} & names and "first name" in names:
        return Source.OUTLOOK
    return None


def find_header(text: str) -> Header | None:
    """The first row, among the first few, that is the header of a format we know."""
    head = text[:HEADER_SEARCH_CHARS]
    for delimiter in DELIMITERS:
        if delimiter not in head:
            continue
        reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)
        try:
            for _index, cells in zip(range(HEADER_SEARCH_ROWS), reader, strict=False):
                source = _classify(cells)
                if source:
                    return Header(source=source, delimiter=delimiter, line=reader.line_num)
        except csv.Error:
            continue
    return None


def parse(text: str) -> tuple[Source, list[dict]]:
    header_found = find_header(text)
    if header_found is None:
        raise ImportRejected(UNKNOWN_FORMAT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=header_found.delimiter, strict=True)
    mapper: Callable[[Columns], dict] = MAPPERS[header_found.source]
    rows: list[dict] = []
    problems: list[Problem] = []
    columns = None
    last_line = 0
    try:
        for cells in reader:
            line, last_line = last_line + 1, reader.line_num
            if columns is None:
                if reader.line_num >= header_found.line:
                    columns = Columns(cells)
                continue
            if not any(cell.strip() for cell in cells):
                continue  # blank lines are not contacts
            if len(cells) != columns.width:
                problems.append(Problem(CSV_COLUMNS, line=line, found=len(cells), expected=columns.width))
            else:
                if len(rows) >= MAX_ROWS:
                    raise ImportRejected(TOO_MANY_ROWS, max_rows=MAX_ROWS)
                row, row_problems = finish_row(mapper(columns.bind(cells)), line=line)
                rows.append(row)
                problems += row_problems
            if len(problems) >= MAX_PROBLEMS:
                break
    except csv.Error:
        problems.append(Problem(CSV_MALFORMED, line=last_line + 1))
    if problems:
        raise ImportRejected(problems=problems[:MAX_PROBLEMS])
    if not rows:
        raise ImportRejected(CSV_NO_ROWS)
    return header_found.source, rows


class Columns:
    """Cells by column name; `bind` gives one row's accessor."""

    def __init__(self, header: list[str]):
        self.width = len(header)
        self.index: dict[str, int] = {}
        for position, name in enumerate(header):
            self.index.setdefault(_key(name), position)
        self.names = list(self.index)
        self.cells: list[str] = []

    def bind(self, cells: list[str]) -> "Columns":
        self.cells = cells
        return self

    def get(self, *names: str) -> str:
        """The first non-empty cell among these columns."""
        for name in names:
            position = self.index.get(name)
            if position is not None and self.cells[position].strip():
                return self.cells[position].strip()
        return ""

    def matching(self, pattern: str) -> list[str]:
        """Every non-empty cell of the columns whose name matches, in header order."""
        found = []
        for name in self.names:
            if re.fullmatch(pattern, name):
                value = self.cells[self.index[name]].strip()
                if value:
                    found.append(value)
        return found


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def parse_date(value: str) -> dt.date | None:
    """LinkedIn's "12 Mar 2024" (and "12 mars 2024", ISO dates); None when unreadable."""
    value = value.strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{1,2})[ -]([^\W\d_]+)\.?[ -](\d{4})", value)
    if match:
        month = MONTHS.get(match.group(2).casefold()[:4]) or MONTHS.get(match.group(2).casefold()[:3])
        if month:
            try:
                return dt.date(int(match.group(3)), month, int(match.group(1)))
            except ValueError:
                return None
    return None


def _linkedin(row: Columns) -> dict:
    fields = new_fields()
    fields["full_name"] = _join(row.get("first name"), row.get("last name"))
    fields["emails"] = [row.get("email address")]
    fields["company"] = row.get("company")
    fields["position"] = row.get("position")
    fields["linkedin_url"] = linkedin_url(row.get("url", "profile url"))
    fields["met_on"] = parse_date(row.get("connected on"))  # the day we connected
    return fields


def _split_google(values: list[str]) -> list[str]:
    return [part for value in values for part in value.split(GOOGLE_SEPARATOR)]


def _google_labels(value: str) -> list[str]:
    labels = []
    for label in value.split(GOOGLE_SEPARATOR):
        label = label.strip()
        if label.startswith("*"):
            label = label.lstrip("* ")
            if _key(label) in GOOGLE_SYSTEM_LABELS:
                continue
        labels.append(label)
    return labels


def _google(row: Columns) -> dict:
    fields = new_fields()
    fields["full_name"] = row.get("name") or _join(
        row.get("name prefix"),
        row.get("first name", "given name"),
        row.get("middle name", "additional name"),
        row.get("last name", "family name"),
        row.get("name suffix"),
    )
    fields["emails"] = _split_google(row.matching(r"e-mail \d+ - value"))
    fields["phones"] = _split_google(row.matching(r"phone \d+ - value"))
    fields["company"] = row.get("organization name", "organization 1 - name")
    fields["position"] = row.get("organization title", "organization 1 - title")
    fields["city"] = row.get("address 1 - city")
    fields["labels"] = _google_labels(row.get("labels", "group membership"))
    fields["notes"] = row.get("notes")
    websites = _split_google(row.matching(r"website \d+ - value"))
    fields["linkedin_url"] = next((url for url in map(linkedin_url, websites) if url), "")
    return fields


OUTLOOK_PHONES = (
    "mobile phone",
    "business phone",
    "business phone 2",
    "home phone",
    "home phone 2",
    "primary phone",
    "other phone",
    "company main phone",
)


def _outlook(row: Columns) -> dict:
    fields = new_fields()
    fields["full_name"] = _join(row.get("first name"), row.get("middle name"), row.get("last name"))
    fields["emails"] = [row.get(name) for name in ("e-mail address", "e-mail 2 address", "e-mail 3 address")]
    fields["phones"] = [row.get(name) for name in OUTLOOK_PHONES]
    fields["company"] = row.get("company")
    fields["position"] = row.get("job title")
    fields["city"] = row.get("business city", "home city", "other city")
    fields["notes"] = row.get("notes")
    fields["labels"] = re.split(r"[;,]", row.get("categories"))
    fields["linkedin_url"] = linkedin_url(row.get("web page", "personal web page"))
    return fields


MAPPERS = {Source.LINKEDIN: _linkedin, Source.GOOGLE: _google, Source.OUTLOOK: _outlook}
