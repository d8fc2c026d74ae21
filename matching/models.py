"""What a member tells the matching: who never to show again, and how to weigh the components."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cercle.engine.scoring import Weights

_DEFAULTS = Weights()


class Dismissal(models.Model):
    """A suggestion the member dismissed: never shown again."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dismissals")
    dismissed = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("dismissed suggestion")
        verbose_name_plural = _("dismissed suggestions")
        constraints = [models.UniqueConstraint(fields=["member", "dismissed"], name="matching_dismissal_unique")]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.dismissed_id}"


class MatchWeights(models.Model):
    """A member's tuning of the engine's components (the engine's defaults until they move a slider)."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_weights")
    spirit = models.FloatField(_("shared values"), default=_DEFAULTS.spirit)
    location = models.FloatField(_("nearby"), default=_DEFAULTS.location)
    gap = models.FloatField(_("they can teach me, they differ from me"), default=_DEFAULTS.gap)
    synchronicity = models.FloatField(_("common ground across circles"), default=_DEFAULTS.synchronicity)
    objectives = models.FloatField(_("my objectives"), default=_DEFAULTS.objectives)
    availability = models.FloatField(_("a format we both like"), default=_DEFAULTS.availability)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")

    def __str__(self) -> str:
        return str(self.member_id)

    def as_weights(self) -> Weights:
        from cercle.engine.scoring import COMPONENTS

        return Weights(**{name: getattr(self, name) for name in COMPONENTS})
