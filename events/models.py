"""Events, RSVPs with a seat counter that never overbooks, external iCal feeds, calendar tokens."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.vocab import Family
from events.vocab import EventFormat


class Recurrence(models.TextChoices):
    NONE = "", _("Once")
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")


class IcalFeed(models.Model):
    """An external agenda registered by an organizer or an operator, fetched by a background task."""

    url = models.URLField(_("feed address"), max_length=500)
    city = models.ForeignKey("places.City", null=True, blank=True, on_delete=models.SET_NULL)
    circle = models.ForeignKey("circles.Circle", null=True, blank=True, on_delete=models.CASCADE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_counts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # Operators give it in the admin to members they trust with a city's public agenda.
        permissions = [("publish_city_feeds", _("Can add feeds to a city's public agenda"))]

    def __str__(self) -> str:
        return self.url


class Event(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    circle = models.ForeignKey("circles.Circle", null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    format = models.CharField(_("format"), max_length=15, choices=EventFormat.choices)
    family = models.CharField(_("family"), max_length=12, choices=Family.choices, blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.ForeignKey("places.City", verbose_name=_("city"), null=True, blank=True, on_delete=models.SET_NULL)
    language = models.CharField(_("language"), max_length=5, default="fr")
    # None: no limit. seats_taken is claimed by a conditional UPDATE and checked by the database.
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    allow_guest = models.BooleanField(_("members may bring a guest"), default=False)
    is_free = models.BooleanField(_("free"), default=True)
    price = models.CharField(_("price"), max_length=60, blank=True)
    ticket_url = models.URLField(_("ticket link"), blank=True)
    recurrence = models.CharField(
        _("repeats"), max_length=8, choices=Recurrence.choices, default=Recurrence.NONE, blank=True
    )
    series = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="occurrences")
    state = models.CharField(max_length=10, choices=State.choices, default=State.SCHEDULED)
    # iCal identity: events from a feed are upserted by UID.
    uid = models.CharField(max_length=255, blank=True)
    feed = models.ForeignKey(IcalFeed, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    search_text = models.TextField(blank=True, editable=False)
    # Told to those who answered when the organizers cancel.
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    # Counts the organizers' changes (edit, cancel): calendar invitations' SEQUENCE rises with it.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity")),
                name="never_more_seats_than_capacity",
            ),
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_it_starts"),
            models.UniqueConstraint(fields=["feed", "uid"], condition=~Q(uid=""), name="one_event_per_feed_uid"),
        ]
        indexes = [
            models.Index(fields=["city", "starts_at"]),
            models.Index(fields=["circle", "starts_at"]),
            models.Index(fields=["starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class RsvpStatus(models.TextChoices):
    GOING = "going", _("Going")
    WAITLIST = "waitlist", _("On the waitlist")
    NOT_GOING = "not_going", _("Not going")


def new_ticket_token() -> str:
    return secrets.token_urlsafe(16)


class Rsvp(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps")
    status = models.CharField(max_length=10, choices=RsvpStatus.choices)
    with_guest = models.BooleanField(_("with a guest"), default=False)
    guest_name = models.CharField(_("guest's name"), max_length=120, blank=True)
    # Seats this answer holds (1, or 2 with a guest) while going; 0 otherwise.
    seats = models.PositiveSmallIntegerField(default=0)
    # First come, first served: the waitlist is ordered by this.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    ticket_token = models.CharField(max_length=32, unique=True, default=new_ticket_token)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # When a freed seat moved this answer up from the waitlist (organizers' summaries list it apart).
    moved_up_at = models.DateTimeField(null=True, blank=True)
    # Counts the changes of this answer (going, waitlist, not going): with the event's own
    # sequence, the SEQUENCE of this member's calendar invitation.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "member"], name="one_rsvp_per_member_and_event")]
        indexes = [models.Index(fields=["event", "status", "waitlisted_at"]), models.Index(fields=["member", "status"])]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.event_id}: {self.status}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """The private address of my RSVPs' calendar feed; renewing it revokes the old one."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(max_length=40, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar of {self.owner_id}"
