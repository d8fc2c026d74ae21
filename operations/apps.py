from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """What keeps Cercle running on its own: the scheduler, the workers' heartbeats, health, backups."""

    name = "operations"
    verbose_name = _("Operations")

    def ready(self):
        from operations import retries  # noqa: F401 - connects the e-mail retries to task_finished
