"""Operators' view of vouches (looking, not writing: writes go through vouches.services)."""

from django.contrib import admin

from vouches.models import Vouch


@admin.register(Vouch)
class VouchAdmin(admin.ModelAdmin):
    list_display = ["id", "author", "subject", "relation", "status", "created_at", "approved_at"]
    list_filter = ["status", "relation"]
    raw_id_fields = ["author", "subject"]
    readonly_fields = ["created_at"]
