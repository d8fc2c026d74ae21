"""Why a file is refused: one exception, and every message as a constant the tests reuse.

Messages stay lazy and take their numbers as %-parameters, so they are rendered in the
reader's language when shown, not in the language active when the file was parsed.
"""

from django.utils.translation import gettext_lazy as _

# Where a problem is: composed into the row-level messages below as %(where)s.
AT_LINE = _("Line %(line)s")
AT_CARD = _("Card %(card)s (line %(line)s)")

# The file as a whole.
EMPTY = _("The file is empty.")
TOO_LARGE = _("The file is larger than %(max_mb)s MB: split it into smaller files.")
TOO_MANY_ROWS = _("The file holds more than %(max_rows)s contacts: split it into smaller files.")
BINARY = _("This is not a text file: export your contacts as vCard (.vcf) or CSV, and import that file.")
BINARY_KIND = _("This is a %(kind)s file, not contacts: export your contacts as vCard (.vcf) or CSV.")
ZIP_ARCHIVE = _("This is a ZIP archive: unzip it first (LinkedIn's export holds Connections.csv).")
UTF16_BROKEN = _("The file says it is UTF-16 but cannot be read as such: save it again as UTF-8.")
MIXED_ENCODING = _(
    "Line %(line)s: the file mixes text encodings (it is UTF-8 elsewhere but not here): save it again as UTF-8."
)
UNKNOWN_FORMAT = _(
    "The format of this file is not recognised: import a vCard (.vcf), LinkedIn's Connections.csv, "
    "or a Google or Outlook contacts CSV."
)

# vCard.
CARD_NOT_CLOSED = _("%(where)s: the card is never closed (END:VCARD is missing).")
CARD_NESTED = _("%(where)s: a new card starts on line %(at)s before this one ends (END:VCARD is missing).")
CARD_STRAY_END = _("Line %(line)s: END:VCARD without a BEGIN:VCARD before it.")
OUTSIDE_CARD = _("Line %(line)s: text outside any card (every card starts with BEGIN:VCARD).")
CARD_UNREADABLE_LINE = _("%(where)s: line %(at)s cannot be read as a vCard property.")
CARD_BAD_CHARSET = _("%(where)s: the text is not valid %(charset)s, although the card says it is.")
CARD_UNREADABLE = _("%(where)s: the card cannot be read.")
NO_CARD = _("The file holds no card (BEGIN:VCARD … END:VCARD).")
# A card skipped on its own (the rest of the file imports).
CARD_LINE_TOO_LONG = _("%(where)s: line %(at)s is longer than %(max_kb)s KB, so the card is not imported.")
CARD_TOO_LARGE = _("%(where)s: the card is larger than %(max_kb)s KB (photos aside), so it is not imported.")

# CSV.
CSV_COLUMNS = _("Line %(line)s: %(found)s columns where the header has %(expected)s.")
CSV_MALFORMED = _("Line %(line)s: malformed CSV (a quote is not closed or is misplaced).")
CSV_NO_ROWS = _("The file has a header but no contact.")

# One contact.
NO_NAME = _("%(where)s: no name and no e-mail.")
TOO_LONG = _("%(where)s: %(field)s is longer than %(max)s characters.")

# Preview → confirm.
NOT_PENDING = _("This import is no longer waiting for confirmation.")

# Beyond this many problems, the rest of the file is not reported (fix these first).
MAX_PROBLEMS = 10


class Problem:
    """One message with its parameters, rendered in the active language when read."""

    def __init__(self, template, **params):
        self.template = template
        self.params = params

    def __str__(self) -> str:
        params = {key: str(value) for key, value in self.params.items()}
        return str(self.template) % params if params else str(self.template)

    def __repr__(self) -> str:
        return f"Problem({self!s})"


def where(*, line: int, card: int | None = None) -> Problem:
    """ "Line 12" or "Card 3 (line 27)"."""
    return Problem(AT_CARD, card=card, line=line) if card else Problem(AT_LINE, line=line)


# A record skipped is kept on the batch as plain JSON ({"line", "card", "reason", params}), and
# its message is rendered from the reason when shown, in the reader's language.
SKIPPED_REASONS = {"line_too_long": CARD_LINE_TOO_LONG, "card_too_large": CARD_TOO_LARGE}


def skipped(reason: str, *, line: int, card: int | None = None, **params) -> dict:
    if reason not in SKIPPED_REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    return {"line": line, "card": card, "reason": reason, **params}


def skipped_problem(entry: dict) -> Problem:
    """The message for a record stored by skipped()."""
    params = {key: value for key, value in entry.items() if key not in ("line", "card", "reason")}
    return Problem(SKIPPED_REASONS[entry["reason"]], where=where(line=entry["line"], card=entry["card"]), **params)


class ImportRejected(Exception):
    """The file is refused as a whole: nothing of it is written.

    `message` is the first problem, `messages` all of them (at most MAX_PROBLEMS).
    """

    def __init__(self, template=None, /, *, problems: list[Problem] | None = None, **params):
        self.problems = list(problems or [])
        if template is not None:
            self.problems.insert(0, Problem(template, **params))
        if not self.problems:
            raise ValueError("ImportRejected needs a message")
        super().__init__(self.problems[0].template)

    @property
    def message(self) -> str:
        return str(self.problems[0])

    @property
    def messages(self) -> list[str]:
        return [str(problem) for problem in self.problems]

    def __str__(self) -> str:
        return self.message
