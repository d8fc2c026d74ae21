from django.core.management.base import BaseCommand

from places.services import cities_load


class Command(BaseCommand):
    help = "Load GeoNames places (all French towns of 500+ inhabitants, world cities of 15,000+)."

    def handle(self, *args, **options):
        added = cities_load()
        self.stdout.write(self.style.SUCCESS(f"{added} places added."))
