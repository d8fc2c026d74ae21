"""The e-mail of one notification, in the recipient's language, with a one-click unsubscribe link."""

import contextlib
import datetime as dt
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.models import Kind, Notification
from notifications.parts import PART_MESSAGE
from notifications.plurals import COUNT_PARAM, PLURAL_PARAM

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# What apps above this one add to their kinds' e-mails (events: calendar invitations), by kind.
EMAIL_EXTRAS: dict[str, Callable[[Notification, EmailMultiAlternatives], None]] = {}


def register_email_extra(*, kind: str, extra: Callable[[Notification, EmailMultiAlternatives], None]) -> None:
    EMAIL_EXTRAS[kind] = extra


DEFAULT_TIME_ZONE = "Europe/Paris"


def unsubscribe_token(*, member_id: int, kind: str) -> str:
    return signing.dumps({"m": member_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """(member id, kind) of a genuine token; None for a tampered or meaningless one."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("m"), int) or data.get("k") not in Kind.values:
        return None
    return data["m"], data["k"]


def unsubscribe_url(*, member_id: int, kind: str) -> str:
    token = unsubscribe_token(member_id=member_id, kind=kind)
    return settings.SITE_URL + reverse("notifications:unsubscribe", args=[token])


def absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def language_of(user) -> str:
    profile = getattr(user, "profile", None)
    language = getattr(profile, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def time_zone_of_name(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or DEFAULT_TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder: OSError
        return zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)


def time_zone_of(user) -> zoneinfo.ZoneInfo:
    return time_zone_of_name(getattr(getattr(user, "profile", None), "time_zone", ""))


@contextlib.contextmanager
def as_recipient(user):
    """Translate and show times as this member reads them: their language, their time zone."""
    with translation.override(language_of(user)), timezone.override(time_zone_of(user)):
        yield


def _localized(name: str, value):
    """Parameters named `…_at` hold ISO datetimes: shown in the active language and time zone."""
    if name.endswith("_at") and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "DATETIME_FORMAT")
    return value


def _shown(name: str, value):
    """A parameter as the reader sees it: a list joined, a message part translated, a time local."""
    if isinstance(value, list):
        return ", ".join(str(_shown(name, item)) for item in value)
    if isinstance(value, dict) and isinstance(value.get(PART_MESSAGE), str):
        message = value[PART_MESSAGE]
        params = {key: _shown(key, item) for key, item in value.items() if key != PART_MESSAGE}
        return _formatted(_(message), message, params)
    return _localized(name, value)


def _formatted(translated: str, msgid: str, params: dict) -> str:
    try:
        return translated % params
    except (KeyError, ValueError, TypeError):
        # A translation that lost a parameter must not break the page: fall back to the msgid.
        try:
            return msgid % params
        except (KeyError, ValueError, TypeError):
            return msgid


def _translated(notification: Notification) -> str:
    params = notification.params or {}
    plural = params.get(PLURAL_PARAM)
    if plural:
        try:
            return ngettext(notification.message, plural, int(params[params[COUNT_PARAM]]))
        except (KeyError, TypeError, ValueError):
            return notification.message
    return _(notification.message)


def render_message(notification: Notification) -> str:
    """The stored msgid translated into the active language (its plural form if it has one), with
    its parameters."""
    if not notification.params:
        return _(notification.message)
    params = {name: _shown(name, value) for name, value in notification.params.items()}
    # capfirst: a sentence may open on a name that became "a former member".
    return capfirst(_formatted(_translated(notification), notification.message, params))


def _one_line(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _claim(notification: Notification) -> bool:
    """Mark the e-mail as sent before sending, so two workers never send it twice."""
    return bool(
        Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    )


def _deliver(notification: Notification, message: EmailMultiAlternatives) -> bool:
    if not _claim(notification):
        return False
    try:
        message.send()
    except Exception:
        # Not sent after all: let a retry of the task send it.
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
        raise
    return True


def unsubscribe_headers(stop: str) -> dict[str, str]:
    # RFC 2369 and RFC 8058: mail clients offer their own "unsubscribe" button, one click, no login.
    return {"List-Unsubscribe": f"<{stop}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def notification_email_send(*, notification_id: int) -> bool:
    notification = Notification.objects.select_related("recipient__profile").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at or not notification.recipient.is_active:
        return False
    if notification.kind == Kind.DIGEST:
        from notifications.digest import digest_email

        message = digest_email(notification)
        return _deliver(notification, message) if message is not None else False
    recipient = notification.recipient
    with as_recipient(recipient):
        text = render_message(notification)
        stop = unsubscribe_url(member_id=recipient.pk, kind=notification.kind)
        body = "\n\n".join(
            part
            for part in (
                text,
                absolute(notification.url) if notification.url else "",
                _("You receive this e-mail because of your Cercle settings for “%(kind)s”. Stop these e-mails: %(url)s")
                % {"kind": Kind(notification.kind).label, "url": stop},
            )
            if part
        )
        message = EmailMultiAlternatives(
            subject=f"[Cercle] {_one_line(text)}",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email],
            headers=unsubscribe_headers(stop),
        )
    extra = EMAIL_EXTRAS.get(notification.kind)
    if extra is not None:
        extra(notification, message)
    return _deliver(notification, message)
