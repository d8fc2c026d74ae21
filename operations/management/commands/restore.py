"""manage.py restore: bring a backup archive back into the database the settings name."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from operations.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by 'manage.py backup' into the database the settings name, its media "
        "into MEDIA_ROOT and its secret key into var/secret_key (unless SECRET_KEY is set in the environment). "
        "Stop Cercle's processes first. Refuses a database that holds tables unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="a cercle-backup-….tar.gz file")
        parser.add_argument("--force", action="store_true", help="replace the data of a database that is not empty")

    def handle(self, *args, archive, force=False, **options):
        # This process's own connections must not hold the database while it is replaced.
        connections.close_all()
        try:
            restored = backup_restore(archive=archive, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = restored.manifest
        self.stdout.write(
            f"Restored the {manifest['engine']} database of {manifest['created_at']} "
            f"and {restored.media_files} media file(s) from {archive}."
        )
        if restored.secret_key_restored:
            self.stdout.write("Restored var/secret_key; restart Cercle's processes so they use it.")
        if restored.secret_key_skipped:
            self.stdout.write(
                "The archive's secret key was not restored: SECRET_KEY is set in the environment. Sessions and "
                "links signed before the backup stay valid only if it is the same key."
            )
