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


class PairingRound(models.Model):
    """One round of coffee pairing in a circle: its groups (pairs, one trio when odd)."""

    circle = models.ForeignKey("circles.Circle", on_delete=models.CASCADE, related_name="pairing_rounds")
    number = models.PositiveIntegerField(_("round"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("coffee pairing round")
        verbose_name_plural = _("coffee pairing rounds")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["circle", "number"], name="matching_pairinground_unique")]

    def __str__(self) -> str:
        return f"{self.circle_id} #{self.number}"


class PairingGroup(models.Model):
    """Two (or three) members asked to meet for a coffee, with a format both like and two openers.

    `openers`: structured, rendered in the viewer's language, e.g.
    [{"kind": "shared_value", "term": "openness"}, {"kind": "can_teach", "teacher": 3, "learner": 5, "term": "seo"}].
    """

    round = models.ForeignKey(PairingRound, on_delete=models.CASCADE, related_name="groups")
    suggested_format = models.CharField(_("suggested format"), max_length=20, blank=True)
    openers = models.JSONField(_("openers"), default=list, blank=True)

    class Meta:
        verbose_name = _("coffee pairing group")
        verbose_name_plural = _("coffee pairing groups")

    def __str__(self) -> str:
        return f"{self.round_id}/{self.pk}"


class PairingMember(models.Model):
    """A member in a group, and their answer to "did you meet?" (None: not answered yet)."""

    group = models.ForeignKey(PairingGroup, on_delete=models.CASCADE, related_name="members")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pairings")
    met = models.BooleanField(_("we met"), null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("paired member")
        verbose_name_plural = _("paired members")
        constraints = [models.UniqueConstraint(fields=["group", "member"], name="matching_pairingmember_unique")]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.group_id}"
