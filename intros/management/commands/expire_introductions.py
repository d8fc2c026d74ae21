"""Cron: `manage.py expire_introductions` closes introductions left unanswered past their date."""

from django.core.management.base import BaseCommand

from intros.services import introductions_expire


class Command(BaseCommand):
    help = "Mark unanswered introductions past their expiry date as expired."

    def handle(self, *args, **options):
        count = introductions_expire()
        self.stdout.write(f"{count} introduction(s) expired")
