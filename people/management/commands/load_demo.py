from django.core.management.base import BaseCommand

from people.demo import DEFAULT_MEMBERS, DEFAULT_SEED, DEMO_LOGIN, DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load (or reload) the bilingual demo data set. Deterministic for a given --seed."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--members", type=int, default=DEFAULT_MEMBERS)
        parser.add_argument("--reset", action="store_true", help="Reload even when demo members are already there.")

    def handle(self, *args, seed, members, reset, **options):
        from cercle.db import refresh_planner_statistics
        from people.models import User

        if not reset and User.objects.filter(email=DEMO_LOGIN).exists():
            self.stdout.write("Demo data already loaded (use --reset to reload it).")
        else:
            summary = demo_load(seed=seed, members=members)
            refresh_planner_statistics()
            self.stdout.write(self.style.SUCCESS(f"{summary.members} demo members loaded in {summary.cities} cities."))
        self.stdout.write(f"Demo login: {DEMO_LOGIN} / {DEMO_PASSWORD}")
