"""Cron: `manage.py expire_introductions` closes introductions and introduction asks left
unanswered past their date."""

from django.core.management.base import BaseCommand

from intros.services import introduction_asks_expire, introductions_expire


class Command(BaseCommand):
    help = "Mark unanswered introductions and introduction asks past their expiry date as expired."

    def handle(self, *args, **options):
        count = introductions_expire()
        asks = introduction_asks_expire()
        self.stdout.write(f"{count} introduction(s) and {asks} ask(s) expired")
