from django.contrib import admin

from matching.models import Dismissal, MatchWeights


@admin.register(Dismissal)
class DismissalAdmin(admin.ModelAdmin):
    list_display = ("member", "dismissed", "created_at")
    raw_id_fields = ("member", "dismissed")


@admin.register(MatchWeights)
class MatchWeightsAdmin(admin.ModelAdmin):
    list_display = ("member", "spirit", "location", "gap", "synchronicity", "objectives", "availability")
    raw_id_fields = ("member",)
