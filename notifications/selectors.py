"""Reads of notifications: a member sees their own, and nobody else's."""

from django.db.models import QuerySet
from django.http import Http404

from notifications.models import Kind, Notification, Preference, default_choice


def notifications_for(*, member) -> QuerySet[Notification]:
    """My in-app list, newest first (e-mail-only notifications are left out)."""
    return Notification.objects.filter(recipient=member, in_app=True).order_by("-created_at", "-id")


def notification_of(member, notification_id: int) -> Notification:
    """One of my notifications; 404 for a missing one and for someone else's alike."""
    notification = Notification.objects.filter(pk=notification_id, recipient=member, in_app=True).first()
    if notification is None:
        raise Http404
    return notification


def unread_count(*, member) -> int:
    """One COUNT on the (recipient, read_at, …) index: e-mail-only notifications are created read."""
    return Notification.objects.filter(recipient=member, read_at__isnull=True).count()


def preferences_of(*, member) -> dict[str, tuple[bool, bool]]:
    """(in_app, email) for every kind, defaults filled in."""
    saved = {p.kind: (p.in_app, p.email) for p in Preference.objects.filter(member=member)}
    return {kind: saved.get(kind, default_choice(kind)) for kind in Kind.values}
