from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cercle.public_pages import public_content_changed
        from events import account_data  # noqa: F401 - export section, demo step, seats freed on deletion
        from events.models import Event, Rsvp

        # Anonymous visitors' event and agenda pages are kept under a version these writes move.
        for model in (Event, Rsvp):
            post_save.connect(public_content_changed, sender=model, dispatch_uid=f"public-save-{model.__name__}")
            post_delete.connect(public_content_changed, sender=model, dispatch_uid=f"public-delete-{model.__name__}")
        from events.invitations import invitation_attach
        from notifications.emails import register_email_extra
        from notifications.models import Kind

        for kind in (Kind.RSVP, Kind.EVENT_CHANGED, Kind.WAITLIST_PROMOTED):
            register_email_extra(kind=kind, extra=invitation_attach)
