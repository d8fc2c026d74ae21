from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CirclesConfig(AppConfig):
    name = "circles"
    verbose_name = _("Circles")

    def ready(self):
        from circles import account_data, signals  # noqa: F401 - export section, demo step, invitation signals
