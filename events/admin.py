"""Operators' screens: events, and the external iCal feeds (register, fetch now, see the last status)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.models import Event, IcalFeed


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "city", "circle", "format", "state", "feed"]
    list_filter = ["state", "format", "family", "language"]
    search_fields = ["title", "uid"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["circle", "city", "series", "feed", "created_by"]
    readonly_fields = ["seats_taken", "uid", "search_text", "created_at", "updated_at"]
    list_select_related = ["city", "circle", "feed"]


class IcalFeedAdminForm(forms.ModelForm):
    url = forms.URLField(label=_("feed address"), max_length=500, assume_scheme="https")

    class Meta:
        model = IcalFeed
        fields = ["url", "city", "circle", "created_by"]

    def clean(self):
        from events.feeds import NEEDS_ONE_TARGET

        data = super().clean()
        if (data.get("city") is None) == (data.get("circle") is None):
            raise forms.ValidationError(NEEDS_ONE_TARGET)
        return data


@admin.register(IcalFeed)
class IcalFeedAdmin(admin.ModelAdmin):
    form = IcalFeedAdminForm
    list_display = ["url", "city", "circle", "last_fetched_at", "last_error", "created_by"]
    list_filter = ["last_fetched_at"]
    search_fields = ["url"]
    raw_id_fields = ["city", "circle", "created_by"]
    readonly_fields = ["last_fetched_at", "last_error", "last_counts", "created_at"]
    list_select_related = ["city", "circle", "created_by"]
    actions = ["fetch_now"]

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            from events.feeds import feed_refresh_later

            feed_refresh_later(feed=obj)

    @admin.action(description=_("Fetch the selected feeds now"))
    def fetch_now(self, request, queryset):
        from events.feeds import feed_refresh_later

        count = 0
        for feed in queryset:
            feed_refresh_later(feed=feed)
            count += 1
        message = ngettext(
            "%(count)d feed will be fetched in a moment.", "%(count)d feeds will be fetched in a moment.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
