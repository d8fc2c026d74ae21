"""Run the keep-in-touch reminders now (the scheduler runs them every hour). Safe to run again."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Tell members whose contacts become due to reconnect today (from 08:00 in their own time zone). "
        "Idempotent: a member hears once a day at most, only on a day a contact becomes due."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the work for the task worker instead of doing it here"
        )

    def handle(self, *args, enqueue, **options):
        if enqueue:
            from notifications.tasks import send_reconnect_reminders

            result = send_reconnect_reminders.enqueue()
            self.stdout.write(f"reconnect reminders queued (task {result.id})")
            return
        from notifications.reconnect import reconnect_reminders_send

        count = reconnect_reminders_send()
        # The e-mails themselves leave through the task worker.
        self.stdout.write(f"{count} reconnect reminders recorded")
