"""The scheduler's memory: one row per occurrence of a periodic job, and the processes' heartbeats."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    RETRYING = "retrying", _("Failed, will be retried")
    SUCCESSFUL = "successful", _("Successful")
    FAILED = "failed", _("Failed")


class JobRun(models.Model):
    """One occurrence of a periodic job.

    The unique (job, period) row is both the lock and the idempotency key: it is committed before
    the task is queued, so two schedulers never queue the same occurrence, and a crash between the
    two loses one occurrence rather than sending an e-mail twice.
    """

    job = models.CharField(_("job"), max_length=60)
    period = models.DateTimeField(_("scheduled for"))
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    task_id = models.CharField(_("task"), max_length=64, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Operators read it in the admin; the health endpoint never shows it.
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-period", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="one_run_per_job_and_period")]
        indexes = [models.Index(fields=["job", "-period"])]

    def __str__(self) -> str:
        return f"{self.job} @ {self.period:%Y-%m-%d %H:%M}"


class Heartbeat(models.Model):
    """When a process last showed it was alive: the scheduler on each tick, each worker queue by a task."""

    name = models.CharField(max_length=40, unique=True)
    last_seen = models.DateTimeField(null=True, blank=True)
    # Workers only: when the scheduler last queued a heartbeat task for them to answer.
    requested_at = models.DateTimeField(null=True, blank=True)
    # host:pid of the process that wrote it, for an operator looking for it.
    process = models.CharField(max_length=120, blank=True)

    def __str__(self) -> str:
        return f"{self.name} {self.last_seen}"


class TaskRetry(models.Model):
    """A retry queued for a failed e-mail task: which attempt it is (the first attempt has no row)."""

    task_id = models.CharField(max_length=64, unique=True)
    attempt = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.task_id} (attempt {self.attempt})"
