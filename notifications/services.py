"""Sending notifications: in-app always available, e-mail through the task queue, both per preference.

A notification stores a message id (an English msgid marked with gettext_noop) and its
parameters, so each recipient reads it in their own language, whenever they read it.
Parameters named `…_at` hold ISO datetimes, shown in the reader's language and time zone. A
parameter may be a list (shown joined) or itself a stored message (`stored_part`). Members whose
names are in the parameters are listed in `naming`, so that deleting an account forgets them.
"""

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import Kind, Notification, NotificationName, Preference, default_choice
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
    naming: dict | None = None,
    mentions: dict | None = None,
) -> Notification | None:
    """The row of one notification; None when one with the same `key` was already recorded.

    An e-mail-only notification (`in_app=False`) is created read: it never counts as unread
    and the in-app list leaves it out.
    """
    message, params = stored(message, params)
    names = _names(params, naming or {}) + _mentions(params, mentions or {})
    fields = {
        "recipient": recipient, "kind": kind, "message": message, "params": params or {}, "url": url,
        "key": key, "in_app": in_app, "read_at": None if in_app else timezone.now(),
    }  # fmt: skip
    if key and Notification.objects.filter(recipient=recipient, key=key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(**fields)
            NotificationName.objects.bulk_create(
                NotificationName(
                    notification=notification, person_id=person_id, param=param, index=index, in_text=in_text
                )
                for param, index, person_id, in_text in names
            )
    except IntegrityError:
        if not key:
            raise
        return None  # a concurrent run recorded it first: the unique (recipient, key) constraint holds
    return notification


def _names(params: dict, naming: dict) -> list[tuple[str, int | None, int, bool]]:
    """(parameter, list index or None, member id, False) of each member named in the parameters."""
    names = []
    for param, named in naming.items():
        value = params.get(param)
        if isinstance(named, Sequence):
            if not isinstance(value, list) or len(value) != len(named):
                raise ValueError(f"naming[{param!r}] must match the list in params[{param!r}]")
            names += [(param, index, person.pk, False) for index, person in enumerate(named) if person is not None]
        elif named is not None:
            if value is None:
                raise ValueError(f"naming[{param!r}] names a parameter that is not there")
            names.append((param, None, named.pk, False))
    return names


def _mentions(params: dict, mentions: dict) -> list[tuple[str, None, int, bool]]:
    """(parameter, None, member id, True) of each member whose name is inside a parameter's text."""
    if unknown := set(mentions) - set(params):
        raise ValueError(f"mentions name parameters that are not there: {sorted(unknown)}")
    return [(param, None, person.pk, True) for param, people in mentions.items() for person in people]


def notification_email_enqueue(*, notification: Notification) -> None:
    """Queue the e-mail once the notification is committed, so a worker always finds it."""
    from notifications.tasks import email_notification

    notification_id = notification.pk
    transaction.on_commit(lambda: email_notification.enqueue(notification_id=notification_id))


def notify(
    *,
    recipient,
    kind: str,
    message: str | Plural,
    params: dict | None = None,
    url: str = "",
    key: str = "",
    naming: dict | None = None,
    mentions: dict | None = None,
) -> Notification | None:
    """Tell one member something. `message` is a gettext_noop'd msgid with %(name)s parameters
    (or an ngettext_noop'd pair, notifications/plurals.py).

    `naming` maps each parameter holding a member's name to that member (a list parameter to a
    list of members, item for item), so the name is forgotten when their account is deleted;
    `mentions` maps a parameter whose text quotes members' names to them (that text is dropped).

    `key` makes it happen once per recipient (e.g. "event_reminder:42:2026-11-24"): a second
    call with the same key records and sends nothing.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    in_app, email = wants(member=recipient, kind=kind)
    if not (in_app or email):
        return None
    notification = notification_record(
        recipient=recipient, kind=kind, message=message, params=params, url=url, key=key, in_app=in_app,
        naming=naming, mentions=mentions,
    )  # fmt: skip
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
