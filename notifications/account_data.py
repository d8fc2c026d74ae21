"""Notifications in my account's data: the JSON export carries them; deleting the account takes
them away (they cascade with the member)."""

from notifications.emails import render_message
from notifications.models import Notification
from notifications.selectors import preferences_of
from people.selectors import register_export_section


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_notifications(user) -> dict:
    return {
        "notifications": [
            {
                "id": n.pk,
                "kind": n.kind,
                "text": render_message(n),
                "message": n.message,
                "params": n.params,
                "url": n.url,
                "in_app": n.in_app,
                "created_at": _iso(n.created_at),
                "read_at": _iso(n.read_at),
                "emailed_at": _iso(n.emailed_at),
            }
            for n in Notification.objects.filter(recipient=user).order_by("id")
        ],
        "preferences": {
            kind: {"in_app": in_app, "email": email} for kind, (in_app, email) in preferences_of(member=user).items()
        },
    }


register_export_section("notifications", export_notifications)
