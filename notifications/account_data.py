"""Notifications in my account's data: the JSON export carries them; deleting the account takes
them away (they cascade with the member) and takes the member's name out of everyone else's."""

from django.conf import settings
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.urls import reverse

from notifications.emails import render_message
from notifications.models import Notification, NotificationName
from notifications.parts import FORMER_MEMBER, message_part
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


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="notifications.forget_deleted_names")
def _forget_names(sender, instance, **kwargs) -> None:
    """Other members' notifications keep what happened, not who: each name of the departing member
    becomes "a former member", a text quoting them goes, and so does a link to their page."""
    names = NotificationName.objects.filter(person=instance).exclude(notification__recipient=instance)
    by_notification: dict[int, list[NotificationName]] = {}
    for name in names:
        by_notification.setdefault(name.notification_id, []).append(name)
    if not by_notification:
        return
    their_page = reverse("people:member_detail", args=[instance.pk])
    for notification in Notification.objects.filter(pk__in=by_notification):
        params = notification.params
        for name in by_notification[notification.pk]:
            value = params.get(name.param)
            if name.in_text:
                params[name.param] = ""
            elif name.index is None:
                params[name.param] = message_part(FORMER_MEMBER)
            elif isinstance(value, list) and name.index < len(value):
                value[name.index] = message_part(FORMER_MEMBER)
        notification.url = "" if notification.url == their_page else notification.url
        notification.save(update_fields=["params", "url"])
