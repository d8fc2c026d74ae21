"""Referrals in referral clubs: a member passes a fellow member a prospect, then follows its outcome.

given → contacted → won | lost (given → won | lost directly too). The giver may withdraw a
referral while it is still "given" (it is then deleted). Won and lost are final.

A referral names a third person (the prospect): its details are seen by its giver and its
receiver alone. The circle's organizers and members see counts and values, never a prospect.
Deleting either member's account deletes the referral (CASCADE): the prospect's details leave
with it, and the circle's statistics count only the referrals that remain.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

NEED_MAX_CHARS = 2000
LOST_REASON_MAX_CHARS = 1000
MAX_VALUE = Decimal("9999999999.99")


class ReferralStatus(models.TextChoices):
    GIVEN = "given", pgettext_lazy("referral status", "Given")
    CONTACTED = "contacted", pgettext_lazy("referral status", "Contacted")
    WON = "won", pgettext_lazy("referral status", "Won")
    LOST = "lost", pgettext_lazy("referral status", "Lost")


OPEN_STATUSES = (ReferralStatus.GIVEN, ReferralStatus.CONTACTED)
CLOSED_STATUSES = (ReferralStatus.WON, ReferralStatus.LOST)
# Where the receiver may move a referral from each status.
TRANSITIONS = {
    ReferralStatus.GIVEN: {ReferralStatus.CONTACTED, ReferralStatus.WON, ReferralStatus.LOST},
    ReferralStatus.CONTACTED: {ReferralStatus.WON, ReferralStatus.LOST},
    ReferralStatus.WON: set(),
    ReferralStatus.LOST: set(),
}


class Referral(models.Model):
    circle = models.ForeignKey("circles.Circle", on_delete=models.CASCADE, related_name="referrals")
    giver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals_given")
    receiver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals_received")
    prospect_name = models.CharField(_("prospect's name"), max_length=120)
    prospect_company = models.CharField(_("company"), max_length=120, blank=True)
    prospect_email = models.EmailField(_("prospect's e-mail"), blank=True)
    prospect_phone = models.CharField(_("prospect's phone"), max_length=40, blank=True)
    need = models.TextField(_("what they need"), max_length=NEED_MAX_CHARS)
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.GIVEN)
    value = models.DecimalField(
        _("value (euros)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_VALUE)],
    )
    lost_reason = models.TextField(_("why it was lost"), max_length=LOST_REASON_MAX_CHARS, blank=True)
    created_at = models.DateTimeField(_("given on"), default=timezone.now, editable=False)
    contacted_at = models.DateTimeField(_("contacted on"), null=True, blank=True)
    won_at = models.DateTimeField(_("won on"), null=True, blank=True)
    lost_at = models.DateTimeField(_("lost on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(giver=F("receiver")), name="referrals_not_to_self"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="referrals_value_not_negative"
            ),
            # A value belongs to a won referral only.
            models.CheckConstraint(condition=Q(status="won") | Q(value__isnull=True), name="referrals_value_if_won"),
        ]
        indexes = [
            models.Index(fields=["giver", "status"], name="referrals_giver_status"),
            models.Index(fields=["receiver", "status"], name="referrals_receiver_status"),
            models.Index(fields=["circle", "created_at"], name="referrals_circle_created"),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def next_statuses(self) -> list[str]:
        """The statuses the receiver may choose next, in the order of the flow."""
        allowed = TRANSITIONS[ReferralStatus(self.status)]
        return [s for s in ReferralStatus if s in allowed]

    @property
    def status_changed_at(self):
        return {
            ReferralStatus.CONTACTED: self.contacted_at,
            ReferralStatus.WON: self.won_at,
            ReferralStatus.LOST: self.lost_at,
        }.get(self.status) or self.created_at


class ReferralGiven(models.Model):
    """One referral given. It stays when the giver withdraws the referral (whose row is deleted,
    prospect included), so the daily cap counts what was given: otherwise giving and withdrawing
    would ring the receiver again and again. Rows past the window go at the giver's next referral."""

    giver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    circle = models.ForeignKey("circles.Circle", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        indexes = [models.Index(fields=["giver", "created_at"], name="referrals_given_recent")]

    def __str__(self) -> str:
        return f"referral given by {self.giver_id}"
