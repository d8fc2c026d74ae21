"""Sending notifications: in-app always available, e-mail through the task queue, both per preference.

A notification stores a message id (an English msgid marked with gettext_noop) and its
parameters, so each recipient reads it in their own language, whenever they read it.
Parameters named `…_at` hold ISO datetimes, shown in the reader's language and time zone.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import Kind, Notification, Preference, default_choice
from notifications.plurals import Plural, stored


def wants(*, member, kind: str) -> tuple[bool, bool]:
    """(in_app, email) for this member and kind; both on unless the member turned one off (a few
    kinds are off until turned on: `OFF_UNLESS_CHOSEN`)."""
    pref = Preference.objects.filter(member=member, kind=kind).first()
    return default_choice(kind) if pref is None else (pref.in_app, pref.email)


def notification_record(
    *,
    recipient,
    kind: str,
    message: str | Plural,
    params: dict | None = None,
    url: str = "",
    key: str = "",
    in_app: bool = True,
) -> Notification | None:
    """The row of one notification; None when one with the same `key` was already recorded.

    An e-mail-only notification (`in_app=False`) is created read: it never counts as unread
    and the in-app list leaves it out.
    """
    message, params = stored(message, params)
    fields = {
        "recipient": recipient, "kind": kind, "message": message, "params": params or {}, "url": url,
        "key": key, "in_app": in_app, "read_at": None if in_app else timezone.now(),
    }  # fmt: skip
    if not key:
        return Notification.objects.create(**fields)
    if Notification.objects.filter(recipient=recipient, key=key).exists():
        return None
    try:
        with transaction.atomic():
            return Notification.objects.create(**fields)
    except IntegrityError:
        return None  # a concurrent run recorded it first: the unique (recipient, key) constraint holds


def notification_email_enqueue(*, notification: Notification) -> None:
    """Queue the e-mail once the notification is committed, so a worker always finds it."""
    from notifications.tasks import email_notification

    notification_id = notification.pk
    transaction.on_commit(lambda: email_notification.enqueue(notification_id=notification_id))


def notify(
    *, recipient, kind: str, message: str | Plural, params: dict | None = None, url: str = "", key: str = ""
) -> Notification | None:
    """Tell one member something. `message` is a gettext_noop'd msgid with %(name)s parameters
    (or an ngettext_noop'd pair, notifications/plurals.py).

    `key` makes it happen once per recipient (e.g. "event_reminder:42:2026-11-24"): a second
    call with the same key records and sends nothing.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    in_app, email = wants(member=recipient, kind=kind)
    if not (in_app or email):
        return None
    notification = notification_record(
        recipient=recipient, kind=kind, message=message, params=params, url=url, key=key, in_app=in_app
    )
    if notification is not None and email:
        notification_email_enqueue(notification=notification)
    return notification


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, member) -> int:
    return Notification.objects.filter(recipient=member, read_at__isnull=True).update(read_at=timezone.now())


def preferences_save(*, member, choices: dict[str, tuple[bool, bool]]) -> None:
    """Save (in_app, email) per kind; a kind left out keeps its current setting."""
    unknown = set(choices) - set(Kind.values)
    if unknown:
        raise ValueError(f"Unknown notification kinds {sorted(unknown)}")
    with transaction.atomic():
        for kind, (in_app, email) in choices.items():
            Preference.objects.update_or_create(
                member=member, kind=kind, defaults={"in_app": bool(in_app), "email": bool(email)}
            )


def email_unsubscribe(*, member, kind: str) -> Preference:
    """The one-click unsubscribe: this kind's e-mails stop, everything else stays as it was."""
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    with transaction.atomic():
        pref, created = Preference.objects.get_or_create(member=member, kind=kind, defaults={"email": False})
        if not created and pref.email:
            pref.email = False
            pref.save(update_fields=["email"])
    return pref
