"""Sending notifications: in-app always available, e-mail through the task queue, both per preference.

A notification stores a message id (an English msgid marked with gettext_noop) and its
parameters, so each recipient reads it in their own language, whenever they read it.
"""

from django.utils import timezone

from notifications.models import Kind, Notification, Preference


def wants(*, member, kind: str) -> tuple[bool, bool]:
    """(in_app, email) for this member and kind; both on unless the member turned one off."""
    pref = Preference.objects.filter(member=member, kind=kind).first()
    return (True, True) if pref is None else (pref.in_app, pref.email)


def notify(*, recipient, kind: str, message: str, params: dict | None = None, url: str = "") -> Notification | None:
    """Tell one member something. `message` is a gettext_noop'd msgid with %(name)s parameters."""
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    in_app, email = wants(member=recipient, kind=kind)
    if not (in_app or email):
        return None
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, message=message, params=params or {}, url=url,
        read_at=None if in_app else timezone.now(),
    )  # fmt: skip
    if email:
        from notifications.tasks import email_notification

        email_notification.enqueue(notification_id=notification.pk)
    return notification
