"""Cron: make the coffee-pairing rounds that are due (or one round now in one circle)."""

from django.core.management.base import BaseCommand, CommandError

from circles.models import Circle
from matching.pairing import pairing_round_create, pairing_rounds_due


class Command(BaseCommand):
    help = "Make the coffee-pairing rounds that are due, or one round now with --circle <slug>."

    def add_arguments(self, parser):
        parser.add_argument("--circle", help="the circle's slug: a round now, due or not")

    def handle(self, *args, circle=None, **options):
        if circle:
            found = Circle.objects.filter(slug=circle).first()
            if found is None:
                raise CommandError(f"No circle {circle!r}")
            made = pairing_round_create(circle=found)
            self.stdout.write(f"{found.slug}: " + (f"round {made.number}" if made else "too few members to pair"))
            return
        rounds = pairing_rounds_due()
        for made in rounds:
            self.stdout.write(f"{made.circle.slug}: round {made.number}, {made.groups.count()} groups")
        self.stdout.write(f"{len(rounds)} round(s) made")
