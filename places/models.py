from django.db import models
from django.utils.translation import gettext_lazy as _


class City(models.Model):
    """A populated place from GeoNames, with coordinates for distances."""

    geoname_id = models.PositiveIntegerField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    # Lower-case, accent-free name: "Saint-Étienne" and "saint etienne" find the same town.
    search_name = models.CharField(max_length=200, db_index=True)
    country_code = models.CharField(_("country"), max_length=2, db_index=True)
    admin1_code = models.CharField(max_length=20, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    population = models.PositiveIntegerField(default=0)
    timezone = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["-population"]

    def __str__(self) -> str:
        return f"{self.name} ({self.country_code})"
