"""In-app notifications and e-mails, with per-type preferences and one-click unsubscribe."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    EVENT_REMINDER = "event_reminder", _("Event reminder (the day before)")
    NEW_EVENTS = "new_events", _("New events in my circles (one message an hour at most)")
    NEW_EVENTS_FOLLOWED = "new_events_followed", _("New events in the circles I follow from afar (off unless chosen)")
    EVENT_CHANGED = "event_changed", _("An event I answered changed or was cancelled")
    RSVP = "rsvp", _("My answers to events, with a calendar invitation")
    WAITLIST_PROMOTED = "waitlist_promoted", _("A seat freed up for me")
    INVITATION = "invitation", _("Invitation to a circle")
    REQUEST_ANSWERED = "request_answered", _("My request to join was answered")
    ANNOUNCEMENT = "announcement", _("Announcement from organizers")
    DIGEST = "digest", _("Weekly digest")
    PAIRING = "pairing", _("Coffee pairing")
    CONNECTION_REQUEST = "connection_request", _("A member asks to connect, or accepted my request")
    INTRODUCTION = "introduction", _("Introductions: proposed to me, asked of me, or answered")
    VOUCH = "vouch", _("A vouch written about me awaits my approval, or mine was approved")
    REFERRAL = "referral", _("A referral given to me, or news of one I gave")
    JOIN_REQUESTS = "join_requests", _("For organizers: requests to join my circles (one summary an hour)")
    REPORTS = "reports", _("For organizers and operators: new reports to handle (one summary an hour)")
    RSVP_ACTIVITY = "rsvp_activity", _("For organizers: answers to my events (one summary an hour per event)")
    MENTORING = "mentoring", _("A mentoring pair I am part of was formed")
    RECONNECT = "reconnect", _("People to reconnect with (keep-in-touch reminders)")


# Following from afar must never nag: these kinds stay off until the member turns them on.
OFF_UNLESS_CHOSEN = frozenset({Kind.NEW_EVENTS_FOLLOWED})


def default_choice(kind: str) -> tuple[bool, bool]:
    """(in_app, email) of a kind the member never set."""
    return (False, False) if kind in OFF_UNLESS_CHOSEN else (True, True)


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Stored as a message id and parameters, rendered in the recipient's language when shown.
    message = models.CharField(max_length=300)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    # False when the member turned this kind off in the app but still wants its e-mail:
    # the row exists for the e-mail only and is never listed (it is created read).
    in_app = models.BooleanField(default=True)
    # Set for notifications that must go out once (a reminder per event, a digest per week).
    key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""), name="one_notification_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class NotificationName(models.Model):
    """A member named in a notification's parameters: when their account goes, the name goes too
    (notifications/account_data.py writes "a former member" in its place)."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="names")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    param = models.CharField(max_length=40)
    # The item of a list parameter (a trio's partners); None for a parameter that is one name.
    index = models.PositiveSmallIntegerField(null=True, blank=True)
    # The name is inside a longer text (an opener quoting them): the whole text goes.
    in_text = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.person_id} in {self.notification_id}.{self.param}"


class Preference(models.Model):
    """One row per member and kind they changed; absent means both channels on."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.member_id}/{self.kind}"
