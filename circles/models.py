"""Circles: local communities with a charter, members, cooptation seats, mentoring and reports."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.vocab import Family


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone, even logged out")
    MEMBERS = "members", _("Listed to Cercle members")
    UNLISTED = "unlisted", _("Unlisted: reachable by its link or an invitation")


class MembershipMode(models.TextChoices):
    OPEN = "open", _("Open: anyone joins")
    REQUEST = "request", _("On request: organizers approve")
    COOPTATION = "cooptation", _("Cooptation: members invite, one seat per profession")


class PairingRhythm(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Every month")


class Circle(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=140, unique=True)
    description = models.TextField(_("description"), blank=True)
    charter = models.TextField(_("charter of values"), blank=True)
    city = models.ForeignKey("places.City", verbose_name=_("city"), null=True, blank=True, on_delete=models.SET_NULL)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    values = models.JSONField(_("values"), default=list, blank=True)
    family = models.CharField(_("family"), max_length=12, choices=Family.choices)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    membership_mode = models.CharField(
        _("membership"), max_length=12, choices=MembershipMode.choices, default=MembershipMode.OPEN
    )
    pairing_enabled = models.BooleanField(_("coffee pairing"), default=False)
    pairing_rhythm = models.CharField(
        _("pairing rhythm"), max_length=12, choices=PairingRhythm.choices, default=PairingRhythm.MONTHLY
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("circle")
        verbose_name_plural = _("circles")
        ordering = ["name"]
        indexes = [models.Index(fields=["visibility", "family"])]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    ORGANIZER = "organizer", _("Organizer")


class Status(models.TextChoices):
    """invited → active, requested → active | declined, active → left | removed."""

    INVITED = "invited", _("Invited")
    REQUESTED = "requested", _("Requested")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")
    REMOVED = "removed", _("Removed")


class Participation(models.TextChoices):
    ACTIVE = "active", _("Active member")
    REMOTE = "remote", _("Following remotely")


class Membership(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="sponsored"
    )
    participation = models.CharField(max_length=8, choices=Participation.choices, default=Participation.ACTIVE)
    pairing_opt_in = models.BooleanField(_("coffee pairing"), default=False)
    # The profession seat held in a cooptation circle; unique among active memberships.
    seat_key = models.CharField(max_length=120, blank=True)
    message = models.TextField(_("message"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    # The address an invitation was sent to: the organizers' list shows it for a member they may
    # not see, as it shows the address of someone not on Cercle.
    invited_as = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["circle", "member"], name="one_membership_per_member"),
            # One seat per profession, guaranteed by the database even under concurrent accepts.
            models.UniqueConstraint(
                fields=["circle", "seat_key"],
                condition=Q(status="active") & ~Q(seat_key=""),
                name="one_active_seat_per_profession",
            ),
        ]
        indexes = [models.Index(fields=["member", "status"]), models.Index(fields=["circle", "status"])]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.circle_id} ({self.status})"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """A cooptation invitation by e-mail, for someone who may not be on Cercle yet."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="invitations")
    inviter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    email = models.EmailField(_("e-mail"))
    message = models.TextField(_("message"), blank=True)
    token = models.CharField(max_length=40, unique=True, default=new_invitation_token)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)
    # False for an invitation refused out of the inviter's sight: listed as waiting, never sent,
    # never claimed.
    sent = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.email


class MentoringPair(models.Model):
    """A "marraine/parrain" and a mentee inside a circle."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="mentoring_pairs")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentees_pairs")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_pairs")
    started_on = models.DateField(default=timezone.localdate)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["circle", "mentor", "mentee"], name="one_mentoring_pair")]

    def __str__(self) -> str:
        return f"{self.mentor_id} → {self.mentee_id}"


class MentoringCheckin(models.Model):
    pair = models.ForeignKey(MentoringPair, on_delete=models.CASCADE, related_name="checkins")
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    note = models.TextField(_("note"), blank=True)

    def __str__(self) -> str:
        return str(self.occurred_on)


class Report(models.Model):
    """A member reports a member or content; organizers (or operators) handle it."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    circle = models.ForeignKey(Circle, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reported = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    about = models.CharField(_("about"), max_length=200, blank=True)
    reason = models.TextField(_("reason"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"report {self.pk}"


class InvitationAttempt(models.Model):
    """One invitation asked for, sent or refused. The daily cap counts these rows, so trying
    addresses one after another costs as much as inviting."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="+")
    inviter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["inviter", "created_at"], name="circles_invite_attempt_recent")]

    def __str__(self) -> str:
        return f"invitation attempt {self.pk}"


class Announcement(models.Model):
    """An announcement sent to a circle's members. Its text lives in each member's notification:
    the row is what the cap on announcements per circle counts."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="announcements")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["circle", "created_at"], name="circles_announcement_recent")]

    def __str__(self) -> str:
        return f"announcement {self.pk}"
