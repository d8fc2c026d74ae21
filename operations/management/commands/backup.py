"""manage.py backup: one archive of the database, the media and the secret key, then the retention."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, backup_create, backup_dir, backup_keep, backups_prune


class Command(BaseCommand):
    help = (
        "Write one timestamped archive (mode 0600) of the database, the uploaded media and var/secret_key "
        "when it is the key in use, print its path, then keep only the newest --keep archives of that folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", metavar="DIR", type=Path, help="the folder (default: BACKUP_DIR, var/backups)")
        parser.add_argument(
            "--keep", metavar="N", type=int, help="archives to keep (default: BACKUP_KEEP, 14; 0 deletes none)"
        )

    def handle(self, *args, output=None, keep=None, **options):
        output = output or backup_dir()
        keep = backup_keep() if keep is None else keep
        if keep < 0:
            raise CommandError("--keep is a number of archives, 0 or more.")
        try:
            archive = backup_create(output_dir=output)
            deleted = backups_prune(output_dir=output, keep=keep) if keep else []
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        # Only the path on stdout, so scripts can take it: ARCHIVE=$(manage.py backup).
        self.stdout.write(str(archive))
        if deleted:
            self.stderr.write(f"Deleted {len(deleted)} older archive(s), keeping the newest {keep}.", style_func=str)
