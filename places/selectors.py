from django.db.models import QuerySet

from places.models import City
from places.text import fold


def cities_matching(*, query: str, limit: int = 10) -> QuerySet[City]:
    """Biggest places first whose name starts with the query, accents ignored."""
    folded = fold(query)
    if len(folded) < 2:
        return City.objects.none()
    return City.objects.filter(search_name__startswith=folded).order_by("-population")[:limit]
