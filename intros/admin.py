"""Operators' view of requests, connections and blocks (looking, not writing: writes go through
intros.services). Reports about members are circles' Report, in the circles admin."""

from django.contrib import admin

from intros.models import Block, Connection, ConnectionRequest, Introduction, IntroductionAsk


@admin.register(ConnectionRequest)
class ConnectionRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "sender", "recipient", "status", "created_at", "answered_at"]
    list_filter = ["status"]
    raw_id_fields = ["sender", "recipient"]
    readonly_fields = ["created_at"]


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    list_display = ["id", "user_low", "user_high", "created_at"]
    raw_id_fields = ["user_low", "user_high"]
    readonly_fields = ["created_at"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["id", "blocker", "blocked", "created_at"]
    raw_id_fields = ["blocker", "blocked"]
    readonly_fields = ["created_at"]


@admin.register(Introduction)
class IntroductionAdmin(admin.ModelAdmin):
    list_display = ["id", "introducer", "first", "second", "first_answer", "second_answer", "created_at", "expires_at"]
    list_filter = ["first_answer", "second_answer"]
    raw_id_fields = ["introducer", "first", "second"]
    readonly_fields = ["created_at"]


@admin.register(IntroductionAsk)
class IntroductionAskAdmin(admin.ModelAdmin):
    list_display = ["id", "requester", "mutual", "target", "status", "created_at", "expires_at"]
    list_filter = ["status"]
    raw_id_fields = ["requester", "mutual", "target", "introduction"]
    readonly_fields = ["created_at"]
