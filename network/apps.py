from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("My network")

    def ready(self):
        from network import account_data  # noqa: F401 - registers the export section and demo step
