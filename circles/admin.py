"""Operators' view of circles. Writes that notify or hold the seat rule go through circles.services
in the product; the admin is for looking, fixing a typo and handling reports sent to operators."""

from django.contrib import admin

from circles.models import Circle, Invitation, Membership, MentoringCheckin, MentoringPair, Report


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "circle"
    extra = 0
    raw_id_fields = ["member", "sponsor"]
    fields = ["member", "role", "status", "participation", "pairing_opt_in", "seat_key", "sponsor"]
    readonly_fields = ["seat_key"]
    show_change_link = True


@admin.register(Circle)
class CircleAdmin(admin.ModelAdmin):
    list_display = ["name", "family", "city", "visibility", "membership_mode", "created_at"]
    list_filter = ["family", "visibility", "membership_mode", "pairing_enabled"]
    search_fields = ["name", "slug", "description"]
    raw_id_fields = ["city", "created_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["circle", "member", "role", "status", "participation", "seat_key", "created_at"]
    list_filter = ["status", "role", "participation"]
    search_fields = ["circle__name", "member__email"]
    raw_id_fields = ["circle", "member", "sponsor"]
    readonly_fields = ["seat_key", "created_at", "updated_at"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "circle", "inviter", "created_at", "used_at"]
    search_fields = ["email", "circle__name"]
    raw_id_fields = ["circle", "inviter", "accepted_by"]
    readonly_fields = ["token", "created_at", "used_at"]


class MentoringCheckinInline(admin.TabularInline):
    model = MentoringCheckin
    extra = 0


@admin.register(MentoringPair)
class MentoringPairAdmin(admin.ModelAdmin):
    list_display = ["circle", "mentor", "mentee", "started_on", "active"]
    list_filter = ["active"]
    raw_id_fields = ["circle", "mentor", "mentee"]
    inlines = [MentoringCheckinInline]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["pk", "circle", "reporter", "reported", "about", "state", "created_at"]
    list_filter = ["state"]
    search_fields = ["about", "reason", "circle__name"]
    raw_id_fields = ["circle", "reporter", "reported"]
