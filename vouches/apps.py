from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VouchesConfig(AppConfig):
    name = "vouches"
    verbose_name = _("Vouches")

    def ready(self):
        from people.profile_sections import register_profile_section
        from vouches import account_data, signals  # noqa: F401 - export section, demo step, version bumps
        from vouches.profile_sections import vouches_section

        register_profile_section("vouches", template="vouches/_profile_vouches_body.html", context=vouches_section)
