"""An e-mail invitation survives sign-up: the link opened before having an account is accepted at
the next log-in (allauth logs the newcomer in once their address is confirmed), and invitations
sent to an address wait in "my circles" as soon as that address is verified."""

from allauth.account.signals import email_confirmed
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from cercle.public_pages import public_content_changed
from circles import services
from circles.models import Circle, Membership

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


@receiver(post_save, sender=Membership, dispatch_uid="circles.membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="circles.membership_deleted")
def membership_moved(sender, instance, update_fields=None, **kwargs):
    """Joining or leaving a circle changes who shares one with the member: what others see of
    them is recomputed at the next view (people.profile_page caches it under this version)."""
    from people.services import relations_changed

    if update_fields is None or "status" in update_fields:
        relations_changed(instance.member_id)


# Anonymous visitors' circle pages are kept under a version these writes move.
for _model in (Circle, Membership):
    post_save.connect(public_content_changed, sender=_model, dispatch_uid=f"public-save-{_model.__name__}")
    post_delete.connect(public_content_changed, sender=_model, dispatch_uid=f"public-delete-{_model.__name__}")
