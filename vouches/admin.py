"""Operators' view of vouches (looking, not writing: writes go through vouches.services, which keep
the subject's answer and the author's withdrawal consistent). An abusive vouch may be deleted;
deleting a declined one forgets the decline (its author could write again and the subject be told)."""

from django.contrib import admin

from vouches.models import Vouch


@admin.register(Vouch)
class VouchAdmin(admin.ModelAdmin):
    list_display = ["id", "author", "subject", "relation", "status", "created_at", "approved_at", "withdrawn_at"]
    list_filter = ["status", "relation"]
    raw_id_fields = ["author", "subject"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
