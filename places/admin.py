from django.contrib import admin

from places.models import City


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "country_code", "population", "timezone"]
    search_fields = ["search_name"]
    list_filter = ["country_code"]
