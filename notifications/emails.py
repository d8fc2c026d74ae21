"""The e-mail of one notification, in the recipient's language, with a one-click unsubscribe link."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.models import Kind, Notification

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_token(*, member_id: int, kind: str) -> str:
    return signing.dumps({"m": member_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, member_id: int, kind: str) -> str:
    token = unsubscribe_token(member_id=member_id, kind=kind)
    return settings.SITE_URL + reverse("notifications:unsubscribe", args=[token])


def render_message(notification: Notification) -> str:
    """The stored msgid translated into the active language, with its parameters."""
    return _(notification.message) % notification.params if notification.params else _(notification.message)


def notification_email_send(*, notification_id: int) -> bool:
    notification = Notification.objects.select_related("recipient__profile").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at:
        return False
    recipient = notification.recipient
    language = getattr(getattr(recipient, "profile", None), "language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        text = render_message(notification)
        link = settings.SITE_URL + notification.url if notification.url.startswith("/") else notification.url
        stop = unsubscribe_url(member_id=recipient.pk, kind=notification.kind)
        body = "\n\n".join(
            part
            for part in (
                text,
                link,
                _("You receive this e-mail because of your Cercle settings (%(kind)s). Stop these e-mails: %(url)s")
                % {"kind": Kind(notification.kind).label, "url": stop},
            )
            if part
        )
        message = EmailMultiAlternatives(
            subject=f"[Cercle] {text[:90]}",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email],
            headers={"List-Unsubscribe": f"<{stop}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
    message.send()
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True
