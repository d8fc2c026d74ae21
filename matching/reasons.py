"""The engine's structured reasons, in words, in the active language.

Value and format codes become their people.vocab labels; the engine's canonical terms ("growth
marketing", "climbing") are shown as they are. A reason is worded only when the field behind it
is visible to the viewer now (the arrays may be a few minutes old): privacy wins over a cache.
The person is named by the name privacy lets the viewer see, never by a gendered pronoun.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from people import vocab
from privacy.selectors import VisibleProfile


def join_words(items: Iterable[str]) -> str:
    """['a'] → 'a'; ['a', 'b', 'c'] → 'a, b and c' (in the active language)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]


def value_label(key: str) -> str:
    if key in vocab.Value.values:
        return _lower_first(vocab.value_label(key))
    return key.replace("_", " ")  # a value typed freely, as the engine normalized it


def format_label(key: str) -> str:
    return _lower_first(vocab.label_of(vocab.Format, key))


def distance_words(distance_km: float) -> str:
    decimals = 1 if distance_km < 10 else 0
    return _("%(distance)s km away") % {"distance": number_format(distance_km, decimal_pos=decimals, use_l10n=True)}


# Which of the member's fields each structured reason rests on: a reason is kept only when the viewer
# may see one of them now (the arrays may be a few minutes older than a change of visibility).
REASON_FIELDS: dict[str, frozenset[str]] = {
    "shared_values": frozenset({"values"}),
    "can_teach": frozenset({"skills"}),
    "distance_km": frozenset({"city"}),
    "same_city": frozenset({"city"}),
    "formats": frozenset({"formats"}),
    "common_ground": frozenset({"objectives"}),
    "different_circles": frozenset({"objectives"}),
    "objectives": frozenset({"skills", "objectives"}),
    "different_profession": frozenset({"profession"}),
    "different_sector": frozenset({"sector"}),
}


def visible_reasons(reasons: Mapping[str, Any], seen: VisibleProfile) -> dict[str, Any]:
    """The structured reasons whose fields the viewer may see of `seen` now (unknown keys are dropped)."""
    visible = seen.visible_fields
    return {key: value for key, value in reasons.items() if REASON_FIELDS.get(key, frozenset()) & visible}


def reasons_in_words(reasons: Mapping[str, Any], seen: VisibleProfile) -> list[str]:
    """Sentences explaining why `seen` is suggested, from the fields the viewer may see of them."""
    reasons = visible_reasons(reasons, seen)
    visible = seen.visible_fields
    name = seen.display_name
    words: list[str] = []
    if (values := reasons.get("shared_values")) and "values" in visible:
        words.append(_("You share %(values)s") % {"values": join_words(value_label(v) for v in values)})
    if (skills := reasons.get("can_teach")) and "skills" in visible:
        words.append(
            _("%(name)s can teach you %(skills)s, which you want to learn")
            % {"name": name, "skills": join_words(skills)}
        )
    if "distance_km" in reasons and "city" in visible:
        words.append(_("In your city") if reasons.get("same_city") else distance_words(reasons["distance_km"]))
    if (formats := reasons.get("formats")) and "formats" in visible:
        words.append(_("You both like %(formats)s") % {"formats": join_words(format_label(f) for f in formats)})
    if (topics := reasons.get("common_ground")) and "objectives" in visible:
        if reasons.get("different_circles"):
            words.append(_("Common ground across different circles: %(topics)s") % {"topics": join_words(topics)})
        else:
            words.append(_("Common ground: %(topics)s") % {"topics": join_words(topics)})
    if (topics := reasons.get("objectives")) and visible & {"skills", "objectives"}:
        words.append(
            _("%(name)s can help with your objectives: %(topics)s") % {"name": name, "topics": join_words(topics)}
        )
    other_profession = reasons.get("different_profession") and "profession" in visible
    other_sector = reasons.get("different_sector") and "sector" in visible
    if other_profession and other_sector:
        words.append(_("A different profession and sector from yours"))
    elif other_profession:
        words.append(_("A different profession from yours"))
    elif other_sector:
        words.append(_("A different sector from yours"))
    return words


def _sees(partners: Mapping[int, VisibleProfile], member_id: Any, field_name: str, viewer_id: int) -> bool:
    """May the viewer see this field of this group member now (their own fields: always)?"""
    if member_id == viewer_id:
        return True
    seen = partners.get(member_id)
    return seen is not None and field_name in seen.visible_fields


def opener_in_words(opener: Mapping[str, Any], viewer_id: int, partners: Mapping[int, VisibleProfile]) -> str:
    """A coffee pairing's conversation opener, for one member of the group; "" when it rests on a
    field a partner no longer shows the viewer (openers are stored when the round is made).

    `partners`: the other members of the group as the viewer sees them, by id.
    """
    if opener.get("kind") == "shared_value":
        if not all("values" in p.visible_fields for p in partners.values()):
            return ""
        return _("You both value %(value)s: what does it change in your work?") % {
            "value": value_label(opener.get("term", ""))
        }
    if opener.get("kind") != "can_teach":
        return ""
    teacher, learner, term = opener.get("teacher"), opener.get("learner"), opener.get("term", "")
    if not (_sees(partners, teacher, "skills", viewer_id) and _sees(partners, learner, "learning", viewer_id)):
        return ""
    if teacher == viewer_id:
        return _("%(name)s wants to learn %(term)s, which you know: what would you tell them first?") % {
            "name": partners[learner].display_name,
            "term": term,
        }
    if learner == viewer_id:
        return _("%(name)s knows %(term)s, which you want to learn: ask how they got started.") % {
            "name": partners[teacher].display_name,
            "term": term,
        }
    return _("%(teacher)s could tell %(learner)s about %(term)s.") % {
        "teacher": partners[teacher].display_name,
        "learner": partners[learner].display_name,
        "term": term,
    }


def openers_in_words(openers: Iterable[Mapping[str, Any]], viewer_id: int, partners) -> list[str]:
    return [words for opener in openers if (words := opener_in_words(opener, viewer_id, partners))]


def format_in_words(code: str, viewer_id: int, partners: Mapping[int, VisibleProfile]) -> str:
    """The suggested format's label, when every partner still shows the viewer the formats they like."""
    if not code or not all("formats" in p.visible_fields for p in partners.values()):
        return ""
    return vocab.label_of(vocab.Format, code)
