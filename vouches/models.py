"""Vouches: a member who declares having worked with another writes about them.

Only someone who worked with the person (colleague, client, supplier, project partner, with the
dates) may write one; it shows on the person's profile only once they approve it, and they may
remove it at any time. One vouch per author and subject: a removed one stays (status "removed")
so that it cannot be written again at once, and so does a withdrawn one (`withdrawn_at`, its text
cleared) until `REWRITE_AFTER` has passed, whatever the subject had answered.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A vouch is at least a sentence or two: this many characters and words.
TEXT_MIN_CHARS = 40
TEXT_MIN_WORDS = 6
TEXT_MAX_CHARS = 3000
EARLIEST_START = datetime.date(1950, 1, 1)
# After withdrawing a vouch, its author may write about the same member again after this long.
REWRITE_AFTER = datetime.timedelta(days=30)


class Relation(models.TextChoices):
    """How the author worked with the subject, from the author's side."""

    WORKED_TOGETHER = "worked_together", _("We worked together")
    CLIENT = "client", _("This person was my client")
    SUPPLIER = "supplier", _("This person was my supplier")
    PROJECT_PARTNER = "project_partner", _("We were partners on a project")


# How the relation reads to others, with both names.
RELATION_SENTENCES = {
    Relation.WORKED_TOGETHER: _("%(author)s worked with %(subject)s"),
    Relation.CLIENT: _("%(subject)s was a client of %(author)s"),
    Relation.SUPPLIER: _("%(subject)s was a supplier of %(author)s"),
    Relation.PROJECT_PARTNER: _("%(author)s and %(subject)s were partners on a project"),
}


def relation_sentence(relation: str, *, author: str, subject: str) -> str:
    """In the active language; plain text (escaped where it is shown)."""
    return str(RELATION_SENTENCES[Relation(relation)]) % {"author": author, "subject": subject}


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Shown on the profile")
    REMOVED = "removed", _("Removed")


class Vouch(models.Model):
    """pending → approved → removed, or pending → removed (declined). Only the subject moves it on."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vouches_written")
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vouches_received")
    relation = models.CharField(_("how you worked together"), max_length=20, choices=Relation.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)
    text = models.TextField(_("your vouch"), max_length=TEXT_MAX_CHARS)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    # Set when the author takes it back; `status` keeps the subject's answer (see vouch_write).
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("vouch")
        verbose_name_plural = _("vouches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["author", "subject"], name="vouches_one_per_author_and_subject"),
            models.CheckConstraint(condition=~Q(author=F("subject")), name="vouches_not_about_self"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="vouches_dates_in_order"
            ),
        ]
        indexes = [
            models.Index(fields=["subject", "status"], name="vouches_subject_status"),
            models.Index(fields=["author", "created_at"], name="vouches_author_created"),
        ]

    def __str__(self) -> str:
        return f"vouch {self.pk} ({self.status})"

    @property
    def status_for_author(self) -> str:
        """What the author is told: a vouch declined before approval still reads as pending."""
        if self.status == Status.REMOVED and self.approved_at is None:
            return Status.PENDING
        return self.status

    @property
    def editable_by_author(self) -> bool:
        return self.withdrawn_at is None and self.status_for_author == Status.PENDING

    @property
    def rewritable_from(self) -> datetime.datetime | None:
        """When the author may write about the same member again, for a withdrawn vouch."""
        return self.withdrawn_at + REWRITE_AFTER if self.withdrawn_at is not None else None

    def relation_sentence(self, *, author: str, subject: str) -> str:
        return relation_sentence(self.relation, author=author, subject=subject)
