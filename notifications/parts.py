"""Parameters of a stored message that are messages too, so each reader gets them in their own
language: an event named in a list (quoted as the language quotes), a member who left."""

from django.utils.translation import gettext_noop

PART_MESSAGE = "_message"

# Written in place of the name of a member whose account was deleted.
FORMER_MEMBER = gettext_noop("a former member")


def message_part(message: str, **params) -> dict:
    """A parameter shown as `message` (a gettext_noop'd msgid) with its own parameters."""
    return {PART_MESSAGE: message, **params}
