"""An e-mail invitation survives sign-up: the link opened before having an account is accepted at
the next log-in (allauth logs the newcomer in once their address is confirmed), and invitations
sent to an address wait in "my circles" as soon as that address is verified."""

from allauth.account.signals import email_confirmed
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils.translation import gettext as _

from circles import services

SESSION_INVITATION = "circles_invitation"


@receiver(email_confirmed, dispatch_uid="circles.claim_invitations_for_email")
def claim_invitations_for_email(sender, request, email_address, **kwargs):
    services.invitations_claim_for_email(user=email_address.user, email=email_address.email)


@receiver(user_logged_in, dispatch_uid="circles.accept_invitation_on_login")
def accept_invitation_on_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    token = session.pop(SESSION_INVITATION, None) if session is not None else None
    if not token:
        return
    try:
        invitation = services.invitation_from_link(token)
        membership = services.invitation_accept(invitation=invitation, user=user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message, fail_silently=True)
        return
    messages.success(request, _("Welcome to %(circle)s!") % {"circle": membership.circle.name}, fail_silently=True)
