"""Stored messages with a plural: both English forms are kept, each reader gets ngettext's form.

`ngettext_noop("%(count)s new request", "%(count)s new requests", "count")` marks both forms for
makemessages (this app's `makemessages` adds the keyword) and returns them unchanged; `notify`
stores the singular as the message, the plural and the name of the number in the parameters.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Plural:
    singular: str
    plural: str
    count: str  # the parameter that holds the number


def ngettext_noop(singular: str, plural: str, count: str = "count") -> Plural:
    return Plural(singular, plural, count)


PLURAL_PARAM = "_plural"
COUNT_PARAM = "_count"


def stored(message: str | Plural, params: dict | None) -> tuple[str, dict]:
    """The message id and parameters a notification row keeps."""
    params = dict(params or {})
    if isinstance(message, Plural):
        params |= {PLURAL_PARAM: message.plural, COUNT_PARAM: message.count}
        return message.singular, params
    return message, params
