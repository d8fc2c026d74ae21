"""Cron entry point of the weekly digest. Safe to run twice: a member gets one digest a week."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Queue this week's digest of every member for the task worker (one task per member; empty "
        "digests are skipped, a member gets one digest per week however often this runs)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--member", metavar="EMAIL", help="build and send one member's digest here and now")

    def handle(self, *args, member, **options):
        if member:
            from notifications.digest import digest_send
            from people.models import User

            user = User.objects.select_related("profile__city").filter(email__iexact=member.strip()).first()
            if user is None:
                raise CommandError(f"No member with the e-mail address {member!r}.")
            notification = digest_send(member=user)
            self.stdout.write("digest sent" if notification else "nothing sent (empty, turned off or already sent)")
            return
        from notifications.digest import digests_enqueue

        self.stdout.write(f"{digests_enqueue()} digests queued")
