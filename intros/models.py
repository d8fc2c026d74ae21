"""Connection requests (with a reason), accepted connections and blocks.

A connection is stored once per pair, the smaller user id first, so "are A and B connected?" is
one indexed lookup whichever way it is asked.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A reason is at least a sentence: this many characters and words.
REASON_MIN_CHARS = 20
REASON_MIN_WORDS = 3
REASON_MAX_CHARS = 2000


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IGNORED = "ignored", _("Ignored")


class ConnectionRequest(models.Model):
    """pending → accepted | declined | ignored. The sender sees declined and ignored as pending."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connection_requests_sent"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connection_requests_received"
    )
    reason = models.TextField(_("why you would like to connect"), max_length=REASON_MAX_CHARS)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("connection request")
        verbose_name_plural = _("connection requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "recipient"],
                condition=Q(status="pending"),
                name="intros_one_pending_request_per_pair",
            ),
            models.CheckConstraint(condition=~Q(sender=F("recipient")), name="intros_request_not_to_self"),
        ]
        indexes = [
            models.Index(fields=["recipient", "status"], name="intros_req_recipient_status"),
            models.Index(fields=["sender", "status"], name="intros_req_sender_status"),
        ]

    def __str__(self) -> str:
        return f"request {self.pk} ({self.status})"


class Connection(models.Model):
    """An accepted connection between two members, stored once: user_low.pk < user_high.pk."""

    user_low = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    user_high = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("connection")
        verbose_name_plural = _("connections")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(user_low__lt=F("user_high")), name="intros_connection_ordered"),
            models.UniqueConstraint(fields=["user_low", "user_high"], name="intros_one_connection_per_pair"),
        ]
        indexes = [models.Index(fields=["user_high", "user_low"], name="intros_conn_high_low")]

    def __str__(self) -> str:
        return f"connection {self.user_low_id}–{self.user_high_id}"

    def other_id(self, user_id: int) -> int:
        return self.user_high_id if self.user_low_id == user_id else self.user_low_id


class Block(models.Model):
    """The blocker hides themselves and the blocked from each other everywhere."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="intros_one_block_per_pair"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="intros_block_not_self"),
        ]
        indexes = [models.Index(fields=["blocked", "blocker"], name="intros_block_blocked")]

    def __str__(self) -> str:
        return f"block {self.blocker_id} → {self.blocked_id}"
