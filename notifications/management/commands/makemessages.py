"""Django's makemessages, also reading `ngettext_noop(singular, plural)`: the plural messages that
notifications store and translate when read (notifications/plurals.py)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=ngettext_noop:1,2"]
