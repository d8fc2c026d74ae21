"""Text normalisation shared by every search: lower case, accents removed."""

import unicodedata


def fold(text: str) -> str:
    """'Hélène  Dupré-Lefèvre' -> 'helene dupre-lefevre' (for matching either way)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
