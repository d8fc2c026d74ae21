"""Operators read the scheduled runs here: status, attempts and the last error of each."""

from django.contrib import admin

from operations.models import Heartbeat, JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["job", "period", "status", "attempts", "created_at", "finished_at"]
    list_filter = ["job", "status"]
    date_hierarchy = "period"
    readonly_fields = ["job", "period", "created_at", "task_id", "status", "attempts", "finished_at", "last_error"]

    def has_add_permission(self, request):
        return False


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "last_seen", "requested_at", "process"]
    readonly_fields = ["name", "last_seen", "requested_at", "process"]

    def has_add_permission(self, request):
        return False
