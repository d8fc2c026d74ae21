"""Cron entry point of the event reminders (the day before). Safe to run every hour."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Remind members going to tomorrow's events (their own day and time zone; never remote followers "
        "of the circle). Idempotent: run it every hour, each reminder leaves once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the work for the task worker instead of doing it here"
        )

    def handle(self, *args, enqueue, **options):
        if enqueue:
            from notifications.tasks import send_event_reminders

            result = send_event_reminders.enqueue()
            self.stdout.write(f"reminders queued (task {result.id})")
            return
        from notifications.reminders import reminders_send

        count = reminders_send()
        # The e-mails themselves leave through the task worker.
        self.stdout.write(f"{count} reminders recorded")
