from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _refresh_statistics(sender, using, **kwargs):
    from cercle.db import refresh_planner_statistics

    refresh_planner_statistics(using)


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self):
        post_migrate.connect(_refresh_statistics, sender=self)
