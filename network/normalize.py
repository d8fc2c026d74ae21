"""Normal forms used to recognise the same person twice: e-mail, phone, name."""

import phonenumbers

from places.text import fold

DEFAULT_REGION = "FR"


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def normalize_phone(phone: str, region: str = DEFAULT_REGION) -> str:
    """E.164 when the number parses ("06 12 34 56 78" → "+33612345678"), else its digits."""
    raw = (phone or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return "".join(ch for ch in raw if ch.isdigit())
    if not phonenumbers.is_possible_number(number):
        return "".join(ch for ch in raw if ch.isdigit())
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def name_key(name: str) -> str:
    """Folded, order-free name: "Dupré Hélène" and "helene dupre" give the same key."""
    return " ".join(sorted(fold(name).replace("-", " ").split()))


def clean_list(items, normalizer=None) -> list[str]:
    """Trim, drop empties and duplicates (compared in normal form), keep the first spelling."""
    seen: set[str] = set()
    result: list[str] = []
    for item in items or []:
        text = " ".join(str(item).split())
        key = normalizer(text) if normalizer else fold(text)
        if text and key not in seen:
            seen.add(key)
            result.append(text)
    return result
