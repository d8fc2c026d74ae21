"""A vouch written or deleted (an account deletion takes its vouches along): both members' profile
pages read vouches under their relations version. The services' conditional UPDATEs move it
themselves (vouches.services._moved)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from people.services import relations_changed
from vouches.models import Vouch


@receiver(post_save, sender=Vouch, dispatch_uid="vouches.vouch_saved")
@receiver(post_delete, sender=Vouch, dispatch_uid="vouches.vouch_deleted")
def vouch_moved(sender, instance, **kwargs):
    relations_changed(instance.author_id, instance.subject_id)
