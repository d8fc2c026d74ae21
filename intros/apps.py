from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntrosConfig(AppConfig):
    name = "intros"
    verbose_name = _("Connections")

    def ready(self):
        from intros import account_data, signals  # noqa: F401 - export section, graph refresh
        from intros.selectors import relationship_annotations
        from people.profile_page import register_page_state

        register_page_state(relationship_annotations)
