"""'Write to them': a short personal message drafted from what I know of the relationship.

A starting point the owner edits — never sent by Cercle, never to several people at once.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.utils import formats
from django.utils.translation import gettext as _

from network.models import Contact, Interaction


@dataclass(frozen=True)
class Draft:
    subject: str
    body: str
    email: str

    @property
    def mailto(self) -> str:
        return f"mailto:{quote(self.email)}?subject={quote(self.subject)}&body={quote(self.body)}"


def _first_name(full_name: str) -> str:
    return full_name.split()[0] if full_name.split() else full_name


def draft_for(*, contact: Contact, last: Interaction | None, sender_name: str) -> Draft:
    lines = [_("Hello %(name)s,") % {"name": _first_name(contact.full_name)}, ""]
    if last is not None:
        lines.append(
            _("I was thinking of our %(kind)s on %(date)s, and I wondered how you were doing.")
            % {"kind": last.get_kind_display().lower(), "date": formats.date_format(last.occurred_on, "j F Y")}
        )
        if last.note:
            lines.append(_("Where are you with “%(note)s”?") % {"note": last.note.strip()[:120]})
    elif contact.how_met:
        lines.append(
            _("We met through “%(how)s”, and I wondered how you were doing.") % {"how": contact.how_met.strip()[:120]}
        )
    else:
        lines.append(_("It has been a while, and I wondered how you were doing."))
    if contact.why:
        lines.append(_("I still remember: %(why)s.") % {"why": contact.why.strip().rstrip(".")[:160]})
    lines += ["", _("Shall we have a coffee or lunch in the coming weeks?"), "", sender_name]
    subject = _("News, and a coffee?")
    return Draft(subject=subject, body="\n".join(lines), email=contact.emails[0] if contact.emails else "")
