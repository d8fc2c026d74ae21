"""Import a contacts file into a member's network from a terminal, with the same checks as the web."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from network.importers import MAX_BYTES
from network.importers.errors import TOO_LARGE, ImportRejected, Problem, skipped_problem
from network.imports import import_file


class Command(BaseCommand):
    help = (
        "Import a vCard, LinkedIn, Google or Outlook contacts file into a member's network: duplicates "
        "are merged (existing contacts) or skipped (repeated in the file), all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the member's e-mail address")
        parser.add_argument("file", help="the contacts file (.vcf or .csv; the format is detected)")
        parser.add_argument("--dry-run", action="store_true", help="show what would be imported, write nothing")

    def handle(self, *args, email, file, dry_run, **options):
        from people.models import User

        member = User.objects.filter(email__iexact=email.strip()).first()
        if member is None:
            raise CommandError(f"No member with the e-mail address {email!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if path.stat().st_size > MAX_BYTES:  # refused before reading it
            raise CommandError(f"{path.name}: {Problem(TOO_LARGE, max_mb=MAX_BYTES // (1024 * 1024))}")
        try:
            summary = import_file(owner=member, filename=path.name, data=path.read_bytes(), dry_run=dry_run)
        except ImportRejected as rejected:
            for message in rejected.messages:
                self.stderr.write(f"rejected: {message}")
            raise CommandError(f"{path.name}: {rejected.message}") from None
        self.stdout.write(f"{path.name}: {summary['format']} file, {summary['rows']} rows")
        self.stdout.write(f"  created:  {summary['created']}")
        self.stdout.write(f"  merged:   {summary['merged']} ({summary['changed']} contacts completed)")
        self.stdout.write(f"  skipped:  {summary['skipped']}")
        self.stdout.write(f"  rejected: {len(summary['rejected'])}")
        for entry in summary["rejected"]:
            self.stdout.write(f"    {skipped_problem(entry)}")
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported into {member.email}'s network."))
