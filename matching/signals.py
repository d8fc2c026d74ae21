"""A profile, objective or circle membership changed: rebuild the arrays after the commit."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from people.models import Objective, Profile


def _refresh(**kwargs) -> None:
    from matching.arrays import arrays_refresh_soon

    transaction.on_commit(arrays_refresh_soon)


for _model in (Profile, Objective):
    post_save.connect(_refresh, sender=_model, dispatch_uid=f"matching-refresh-save-{_model.__name__}")
    post_delete.connect(_refresh, sender=_model, dispatch_uid=f"matching-refresh-delete-{_model.__name__}")


@receiver(post_save, sender="circles.Membership", dispatch_uid="matching-refresh-membership")
def _membership_changed(**kwargs) -> None:
    _refresh()
