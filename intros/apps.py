from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntrosConfig(AppConfig):
    name = "intros"
    verbose_name = _("Connections")

    def ready(self):
        from intros import account_data  # noqa: F401 - registers the export section
