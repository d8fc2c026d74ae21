"""My network: a private relationship manager. Every row belongs to one owner, seen by them alone."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.vocab import Sector


class Source(models.TextChoices):
    MANUAL = "manual", _("Added by hand")
    VCARD = "vcard", _("vCard")
    LINKEDIN = "linkedin", _("LinkedIn")
    GOOGLE = "google", _("Google Contacts")
    OUTLOOK = "outlook", _("Outlook")
    EVENT = "event", _("Met at an event")


ACTIVE = models.Q(archived=False)


class Contact(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts")
    full_name = models.CharField(_("name"), max_length=200)
    emails = models.JSONField(_("e-mails"), default=list, blank=True)
    phones = models.JSONField(_("phones"), default=list, blank=True)
    company = models.CharField(_("company"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    sector = models.CharField(_("sector"), max_length=40, choices=Sector.choices, blank=True)
    how_met = models.TextField(_("how and where we met"), blank=True)
    why = models.TextField(_("why they are in my network"), blank=True)
    met_on = models.DateField(_("date met"), null=True, blank=True)
    labels = models.JSONField(_("labels"), default=list, blank=True)
    cadence_days = models.PositiveIntegerField(_("keep in touch every (days)"), null=True, blank=True)
    notes = models.TextField(_("private notes"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn profile"), blank=True, max_length=300)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    # The member account of this person, when they are on Cercle. Their deletion keeps my notes.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    archived = models.BooleanField(_("archived"), default=False)
    # Denormalised for the "due to reconnect" list: kept up to date by network.services.
    last_interaction_on = models.DateField(null=True, blank=True, editable=False)
    snoozed_until = models.DateField(null=True, blank=True, editable=False)
    next_due_on = models.DateField(null=True, blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    # "|client|lyon tech|": exact label filtering that works the same on SQLite and PostgreSQL.
    label_keys = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["full_name", "id"]
        indexes = [
            models.Index(fields=["owner", "archived", "full_name"]),
            models.Index(fields=["owner", "next_due_on"], name="contact_due", condition=ACTIVE),
            # The dashboard reads these over every contact: narrow indexes the database scans
            # instead of the wide rows (network.dashboard).
            models.Index(fields=["owner", "updated_at"], name="contact_owner_version"),
            # Partial (active contacts only): SQLite compares `NOT archived`, which a column of a
            # composite index cannot serve, but it matches the index's own condition.
            models.Index(fields=["owner", "city", "sector"], name="contact_city_sector", condition=ACTIVE),
            models.Index(fields=["owner", "labels"], name="contact_labels", condition=ACTIVE),
            models.Index(fields=["owner", "last_interaction_on"], name="contact_last_seen", condition=ACTIVE),
        ]

    def __str__(self) -> str:
        return self.full_name


class InteractionKind(models.TextChoices):
    BREAKFAST = "breakfast", _("Breakfast")
    LUNCH = "lunch", _("Lunch")
    COFFEE = "coffee", _("Coffee")
    AFTER_WORK = "after_work", _("After-work")
    CALL = "call", _("Call")
    MESSAGE = "message", _("Message")
    EVENT = "event", _("Event")
    INTRODUCTION = "introduction", _("Introduction")
    HELP_GIVEN = "help_given", _("Help given")
    HELP_RECEIVED = "help_received", _("Help received")


class Interaction(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interactions")
    contacts = models.ManyToManyField(Contact, related_name="interactions", verbose_name=_("contacts"))
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(_("kind"), max_length=15, choices=InteractionKind.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["owner", "occurred_on"]),
            # The ledger and the charts count help given/received by kind.
            models.Index(fields=["owner", "kind", "occurred_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class InteractionTally(models.Model):
    """How many interactions the owner logged on a day, per kind (each counted once, whatever its
    number of contacts): the dashboard's charts and the weekly streak read these few rows instead
    of every interaction. Kept exact by network.tallies; no row for a zero."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=15, choices=InteractionKind.choices)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "day", "kind"], name="interaction_tally_per_day")]
        # Help given and received, all time: two kinds over every day.
        indexes = [models.Index(fields=["owner", "kind", "day"], name="interaction_tally_by_kind")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}: {self.count}"


class ContactTally(models.Model):
    """How many active (non-archived) contacts of the owner have a label, a city or a sector.

    Labels and cities are free text grouped without accents or case: `key` is the folded form
    ("" for none), `spelling` one way it is written (one row per spelling, so the dashboard can
    show the commonest). Kept exact by network.tallies; no row for a zero.
    """

    class Dimension(models.TextChoices):
        LABEL = "label", _("label")
        CITY = "city", _("city")
        SECTOR = "sector", _("sector")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=6, choices=Dimension.choices)
    key = models.TextField(blank=True)
    spelling = models.TextField(blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "dimension", "key", "spelling"], name="contact_tally_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.spelling or self.key or '-'}: {self.count}"


def default_goal_kinds() -> list[str]:
    return [InteractionKind.LUNCH, InteractionKind.COFFEE]


class Rhythm(models.Model):
    """The member's keep-in-touch goal: N meetings of these kinds a week."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rhythm")
    weekly_goal = models.PositiveSmallIntegerField(_("meetings a week"), default=1)
    goal_kinds = models.JSONField(_("counted kinds"), default=default_goal_kinds)

    class Meta:
        verbose_name = _("rhythm")
        verbose_name_plural = _("rhythms")

    def __str__(self) -> str:
        return f"{self.weekly_goal}/week"


class ReviewDecision(models.Model):
    """One card of the yearly network review, answered."""

    class Decision(models.TextChoices):
        KEEP = "keep", _("Keep")
        RECONNECT = "reconnect", _("Reconnect")
        ARCHIVE = "archive", _("Archive")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_decisions")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="review_decisions")
    round = models.PositiveSmallIntegerField(_("review of year"))
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contact", "round"], name="one_decision_per_contact_and_round")]

    def __str__(self) -> str:
        return f"{self.round}: {self.decision}"


class ImportBatch(models.Model):
    """An uploaded file, parsed and waiting for the owner's confirmation (preview → confirm)."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Waiting for confirmation")
        DONE = "done", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_batches")
    file_format = models.CharField(max_length=10, choices=Source.choices)
    filename = models.CharField(max_length=255)
    # Parsed rows (plain dicts) and, per row, the duplicate found and the proposed action.
    rows = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
