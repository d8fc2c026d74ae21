"""Connection requests (with a reason), accepted connections and blocks.

A connection is stored once per pair, the smaller user id first, so "are A and B connected?" is
one indexed lookup whichever way it is asked.
"""

import datetime

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


class RequestSent(models.Model):
    """One connection request sent. It stays when the sender withdraws the request (whose row is
    deleted), so the caps count sends: otherwise withdrawing and asking again would ring the same
    member again and again. Rows past the longest window are forgotten at the sender's next send."""

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        indexes = [models.Index(fields=["sender", "created_at"], name="intros_sent_recent")]

    def __str__(self) -> str:
        return f"request sent {self.sender_id} → {self.recipient_id}"


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


INTRODUCTION_DAYS = 14


def _in_two_weeks():
    return timezone.now() + datetime.timedelta(days=INTRODUCTION_DAYS)


class Answer(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class IntroState(models.TextChoices):
    PENDING = "pending", _("Waiting for answers")
    COMPLETED = "completed", _("Both accepted")
    DECLINED = "declined", _("Did not go ahead")
    EXPIRED = "expired", _("Expired")


class Introduction(models.Model):
    """An introducer puts two of their connections in touch. Double opt-in: neither learns the
    other's name until both accept. The state is derived (see `state`), expiry included."""

    introducer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="introductions_made"
    )
    first = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("why they should meet"), max_length=REASON_MAX_CHARS)
    first_answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    second_answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    first_met = models.BooleanField(null=True, blank=True)
    second_met = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(default=_in_two_weeks)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(first=F("second")), name="intros_intro_two_people"),
            models.CheckConstraint(
                condition=~Q(introducer=F("first")) & ~Q(introducer=F("second")), name="intros_intro_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["first", "first_answer"], name="intros_intro_first"),
            models.Index(fields=["second", "second_answer"], name="intros_intro_second"),
            models.Index(fields=["introducer", "created_at"], name="intros_intro_introducer"),
        ]

    def __str__(self) -> str:
        return f"introduction {self.pk} ({self.state})"

    def side(self, user_id: int) -> str | None:
        """ "first" or "second" for one of the two introduced, None otherwise."""
        if user_id == self.first_id:
            return "first"
        if user_id == self.second_id:
            return "second"
        return None

    def other_id(self, user_id: int) -> int:
        return self.second_id if user_id == self.first_id else self.first_id

    def state_at(self, now) -> str:
        answers = {self.first_answer, self.second_answer}
        if answers == {Answer.ACCEPTED}:
            return IntroState.COMPLETED
        if Answer.DECLINED in answers:
            return IntroState.DECLINED
        if Answer.EXPIRED in answers or now >= self.expires_at:
            return IntroState.EXPIRED
        return IntroState.PENDING

    def state_seen_by_requester(self, now) -> str:
        """As the member who asked for this introduction (`introduction_ask_introduce`) sees it: they
        know whom they asked for, so the other's decline reads pending until the date, then expired
        (as a declined ask does)."""
        state = self.state_at(now)
        if state == IntroState.DECLINED:
            return IntroState.PENDING if now < self.expires_at else IntroState.EXPIRED
        return state

    @property
    def state(self) -> str:
        return self.state_at(timezone.now())

    @property
    def state_label(self) -> str:
        return IntroState(self.state).label


class AskStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Introduced")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class IntroductionAsk(models.Model):
    """A member asks one of their connections (the mutual) to introduce them to one of the mutual's
    connections (the target). pending → accepted (an Introduction is made) | declined | expired.

    As with connection requests, the requester is not told of a decline: their ask reads pending
    until its date, then "no introduction came of it", exactly like an expiry."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="introduction_asks_made"
    )
    mutual = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="introduction_asks_received"
    )
    target = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("why you would like to meet them"), max_length=REASON_MAX_CHARS)
    status = models.CharField(_("status"), max_length=10, choices=AskStatus.choices, default=AskStatus.PENDING)
    introduction = models.ForeignKey(Introduction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(default=_in_two_weeks)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("introduction ask")
        verbose_name_plural = _("introduction asks")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "target"],
                condition=Q(status="pending"),
                name="intros_one_pending_ask_per_target",
            ),
            models.CheckConstraint(condition=~Q(requester=F("target")), name="intros_ask_not_for_self"),
            models.CheckConstraint(
                condition=~Q(mutual=F("requester")) & ~Q(mutual=F("target")), name="intros_ask_mutual_between"
            ),
        ]
        indexes = [
            models.Index(fields=["mutual", "status"], name="intros_ask_mutual_status"),
            models.Index(fields=["requester", "status"], name="intros_ask_requester_status"),
        ]

    def __str__(self) -> str:
        return f"introduction ask {self.pk} ({self.status})"

    def is_open_at(self, now) -> bool:
        """Waiting for the mutual's answer."""
        return self.status == AskStatus.PENDING and now < self.expires_at

    def as_requester_sees_it(self, now) -> str:
        """pending, accepted or expired: a decline reads pending, then expired."""
        if self.status == AskStatus.ACCEPTED:
            return AskStatus.ACCEPTED
        if self.status in (AskStatus.PENDING, AskStatus.DECLINED) and now < self.expires_at:
            return AskStatus.PENDING
        return AskStatus.EXPIRED
