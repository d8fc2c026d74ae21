"""Count the dashboard's running totals again from the rows, after editing contacts or interactions
outside network.services (the admin, a shell, SQL)."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from network import tallies


class Command(BaseCommand):
    help = (
        "Count the totals behind the 'My network' dashboard again from each member's contacts and "
        "interactions (every member, or one with --owner). With --check, only report the differences."
    )

    def add_arguments(self, parser):
        parser.add_argument("--owner", metavar="EMAIL", help="only this member's network")
        parser.add_argument(
            "--check", action="store_true", help="write nothing; list the differences, exit 1 when there are any"
        )

    def handle(self, *args, owner=None, check=False, **options):
        from people.models import User

        if owner:
            members = list(User.objects.filter(email__iexact=owner.strip()))
            if not members:
                raise CommandError(f"No member with the e-mail address {owner!r}.")
        else:
            with_network = Q(contacts__isnull=False) | Q(interactions__isnull=False)
            members = list(User.objects.filter(pk__in=User.objects.filter(with_network).values("pk")).order_by("pk"))
        drifted = 0
        for member in members:
            if check:
                problems = tallies.check(member)
                if problems:
                    drifted += 1
                    self.stdout.write(f"{member.email}: {len(problems)} difference(s)")
                    for problem in problems[:20]:
                        self.stdout.write(f"  {problem}")
            else:
                tallies.network_tallies_rebuild(member)
        if check:
            self.stdout.write(f"{len(members)} network(s) checked, {drifted} with differences.")
            if drifted:
                raise CommandError("Run rebuild_network_tallies without --check to repair them.")
        else:
            self.stdout.write(f"{len(members)} network(s) counted again.")
