from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals")

    def ready(self):
        from circles.circle_sections import register_circle_section
        from referrals import account_data  # noqa: F401 - registers the export section and the demo step
        from referrals.circle_sections import circle_panel_section

        # The referral club's panel on a circle's page (circles does not know referrals).
        register_circle_section("referrals", template="referrals/_circle_panel_body.html", context=circle_panel_section)
