"""Contact file parsers (vCard, LinkedIn, Google, Outlook CSV) and the row shape they share.

A parser turns decoded text into rows: {"line": 27, "card": 3 or None, "fields": {...}}, where
"fields" holds plain JSON values named like the Contact fields (met_on as an ISO date). Rows are
cleaned and checked here, once, so that the preview stores exactly what confirm will write.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from network.importers.errors import NO_NAME, TOO_LONG, Problem, where
from network.models import Contact
from people.vocab import Sector

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

# Single-line text fields and their column lengths (the database would refuse longer ones).
MAX_LENGTHS = {"full_name": 200, "company": 200, "position": 200, "city": 120, "linkedin_url": 300}

SECTORS = frozenset(Sector.values)
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
_url_valid = URLValidator(schemes=["http", "https"])
# What LinkedIn itself writes; anything else goes through Django's (slower) URL validator.
_PLAIN_LINKEDIN = re.compile(r"https?://([a-z]{2,3}\.)?linkedin\.com/[\w%./-]*", re.IGNORECASE | re.ASCII)


def one_line(value) -> str:
    """Collapse whitespace and drop control characters: names, companies, e-mails…"""
    return " ".join(_CONTROLS.sub(" ", str(value or "")).split())


def multi_line(value) -> str:
    """Keep line breaks (notes), normalise them to \\n, drop other control characters."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = ("".join(ch for ch in line if ch == "\t" or ch >= " ").rstrip() for line in text.split("\n"))
    return "\n".join(lines).strip()


def linkedin_url(value) -> str:
    """A LinkedIn profile address, or "" (other web sites are not kept)."""
    url = one_line(value)
    if "linkedin.com" not in url.lower():
        return ""
    if not url.lower().startswith(("http://", "https://")):
        url = "https://" + url
    if _PLAIN_LINKEDIN.fullmatch(url):
        return url
    try:
        _url_valid(url)
    except ValidationError:
        return ""
    return url


def new_fields() -> dict:
    return {
        "full_name": "",
        "emails": [],
        "phones": [],
        "company": "",
        "position": "",
        "city": "",
        "sector": "",
        "how_met": "",
        "why": "",
        "met_on": None,
        "labels": [],
        "cadence_days": None,
        "notes": "",
        "linkedin_url": "",
    }


def finish_row(fields: dict, *, line: int, card: int | None = None) -> tuple[dict, list[Problem]]:
    """Clean a parsed contact and check it; the row, and the problems that reject the file."""
    for name in ("full_name", "company", "position", "city", "linkedin_url"):
        fields[name] = one_line(fields[name])
    for name in ("how_met", "why", "notes"):
        fields[name] = multi_line(fields[name])
    fields["emails"] = _unique(one_line(e).removeprefix("mailto:") for e in fields["emails"])
    fields["phones"] = _unique(one_line(p).removeprefix("tel:") for p in fields["phones"])
    fields["labels"] = _unique(one_line(label) for label in fields["labels"])
    if fields["sector"] not in SECTORS:
        fields["sector"] = ""
    if isinstance(fields["met_on"], dt.date):
        fields["met_on"] = fields["met_on"].isoformat()
    if not fields["full_name"] and fields["emails"]:
        fields["full_name"] = fields["emails"][0]  # someone known by their address alone
    at = where(line=line, card=card)
    problems = []
    if not fields["full_name"]:
        problems.append(Problem(NO_NAME, where=at))
    for name, limit in MAX_LENGTHS.items():
        if len(fields[name]) > limit:
            label = Contact._meta.get_field(name).verbose_name
            problems.append(Problem(TOO_LONG, where=at, field=label, max=limit))
    return {"line": line, "card": card, "fields": fields}, problems


def _unique(values) -> list[str]:
    seen, result = set(), []
    for value in values:
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            result.append(value)
    return result
