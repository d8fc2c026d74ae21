"""Money and rates as each language writes them: "1 234,50 €" and "42 %" in French,
"€1,234.50" and "42%" in English (numbers grouped and separated by Django's locale formats)."""

from decimal import Decimal

from django.utils import translation
from django.utils.formats import number_format

NBSP = "\xa0"


def _french() -> bool:
    return (translation.get_language() or "fr").split("-")[0] == "fr"


def euros(amount, decimals: int = 2) -> str:
    if amount is None:
        return ""
    number = number_format(Decimal(amount), decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return f"{number}{NBSP}€" if _french() else f"€{number}"


def percent(ratio) -> str:
    """A ratio between 0 and 1, as a whole percentage; "—" when there is none."""
    if ratio is None:
        return "—"
    number = number_format(round(ratio * 100), decimal_pos=0, use_l10n=True, force_grouping=True)
    return f"{number}{NBSP}%" if _french() else f"{number}%"
