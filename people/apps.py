from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_migrate, post_save
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
        from cercle.public_pages import public_content_changed
        from people.models import Profile

        # What anonymous visitors see of members (a circle's list) is kept under a version this moves.
        post_save.connect(public_content_changed, sender=Profile, dispatch_uid="public-save-Profile")
        post_delete.connect(public_content_changed, sender=Profile, dispatch_uid="public-delete-Profile")
        # So are the member search's results (who may be found, by which words, active or not).
        from people.models import User
        from people.search_page import directory_changed

        for model in (Profile, User):
            post_save.connect(directory_changed, sender=model, dispatch_uid=f"directory-save-{model.__name__}")
            post_delete.connect(directory_changed, sender=model, dispatch_uid=f"directory-delete-{model.__name__}")
        user_logged_in.connect(stamp_sign_in)
