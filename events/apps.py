from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from events import account_data  # noqa: F401 - export section, demo step, seats freed on deletion
        from events.invitations import invitation_attach
        from notifications.emails import register_email_extra
        from notifications.models import Kind

        for kind in (Kind.RSVP, Kind.EVENT_CHANGED, Kind.WAITLIST_PROMOTED):
            register_email_extra(kind=kind, extra=invitation_attach)
