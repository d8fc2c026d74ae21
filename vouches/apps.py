from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VouchesConfig(AppConfig):
    name = "vouches"
    verbose_name = _("Vouches")

    def ready(self):
        from people.profile_page import register_page_state
        from vouches import account_data  # noqa: F401 - registers the export section and the demo step
        from vouches.selectors import page_state_annotations

        # The vouches section of a member's page: its cached HTML changes with them.
        register_page_state(page_state_annotations)

        from people.profile_sections import register_profile_section
        from vouches.profile_sections import vouches_section

        register_profile_section("vouches", template="vouches/_profile_vouches_body.html", context=vouches_section)
