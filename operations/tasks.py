"""Background work of operations. Tasks call services; they hold no logic of their own."""

from django_tasks import task


@task()
def run_job(*, run_id: int) -> object:
    """One occurrence of a periodic job (operations/jobs.py), with its bookkeeping and retries."""
    from operations.services import job_run_execute

    return job_run_execute(run_id=run_id)


@task()
def heartbeat(*, name: str) -> None:
    """Queued on each queue by the scheduler: running it shows that queue's worker is alive."""
    from operations.services import heartbeat_record

    heartbeat_record(name=name)


@task()
def backup_nightly() -> str:
    """A backup archive of the database, the media and the generated secret key; old ones pruned."""
    from django.conf import settings

    from operations.backup import backup_create, backups_prune

    archive = backup_create()
    backups_prune(keep=settings.BACKUP_KEEP)
    return archive.name


@task()
def housekeeping() -> dict:
    """Forget finished task results and scheduled runs past their keeping time."""
    from operations.services import housekeeping_run

    return housekeeping_run()
