from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntrosConfig(AppConfig):
    name = "intros"
    verbose_name = _("Connections")

    def ready(self):
        from intros import account_data, signals  # noqa: F401 - export section, graph refresh
        from intros.profile_sections import member_actions_section, paths_link_section
        from people.profile_sections import register_profile_section

        register_profile_section(
            "member_actions", template="intros/_member_actions_body.html", context=member_actions_section
        )
        register_profile_section("paths_link", template="intros/_paths_link_body.html", context=paths_link_section)
