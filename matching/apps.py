from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("People to meet")

    def ready(self) -> None:
        from matching import account_data, signals  # noqa: F401  (export section, array refresh)
