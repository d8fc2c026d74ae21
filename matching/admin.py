from django.contrib import admin

from matching.models import Dismissal, MatchWeights, PairingGroup, PairingMember, PairingRound


@admin.register(Dismissal)
class DismissalAdmin(admin.ModelAdmin):
    list_display = ("member", "dismissed", "created_at")
    raw_id_fields = ("member", "dismissed")


@admin.register(MatchWeights)
class MatchWeightsAdmin(admin.ModelAdmin):
    list_display = ("member", "spirit", "location", "gap", "synchronicity", "objectives", "availability")
    raw_id_fields = ("member",)


class PairingMemberInline(admin.TabularInline):
    model = PairingMember
    raw_id_fields = ("member",)
    extra = 0


@admin.register(PairingRound)
class PairingRoundAdmin(admin.ModelAdmin):
    list_display = ("circle", "number", "created_at")
    raw_id_fields = ("circle",)


@admin.register(PairingGroup)
class PairingGroupAdmin(admin.ModelAdmin):
    list_display = ("round", "suggested_format")
    raw_id_fields = ("round",)
    inlines = [PairingMemberInline]
