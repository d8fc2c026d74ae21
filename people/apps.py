from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from people.session_timeout import stamp_sign_in


def _refresh_statistics(sender, using, **kwargs):
    from cercle.db import refresh_planner_statistics

    refresh_planner_statistics(using)


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self):
        post_migrate.connect(_refresh_statistics, sender=self)
        user_logged_in.connect(stamp_sign_in)
