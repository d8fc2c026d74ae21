"""Import an iCal feed (a file or an address) into the agenda of a city or into a circle."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from events.feeds import feed_address, feed_import, feed_record, feed_refresh, fetch_url
from events.ical import MAX_FEED_BYTES, TOO_LARGE, FeedRejected
from places.text import fold

COUNTS = ("created", "updated", "unchanged", "cancelled", "rejected")


class Command(BaseCommand):
    help = (
        "Import an iCal feed into the agenda of a city (public, circle-less events) or into a circle: "
        "events are upserted by UID, those gone from the feed are marked cancelled; all or nothing. "
        "With --registered, fetch every feed registered on the site instead (for a scheduler)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", help="an .ics file, or its https:// (webcal://) address")
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--city", help="the city's name, e.g. Marseille (the most populated one of that name)")
        target.add_argument("--circle", help="the circle's address (slug)")
        parser.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
        parser.add_argument("--registered", action="store_true", help="fetch every registered feed now")

    def handle(self, *args, source, city, circle, dry_run, registered, **options):
        if registered:
            if source or city or circle or dry_run:
                raise CommandError("--registered takes no source, --city, --circle or --dry-run.")
            return self._refresh_registered()
        if not source or not (city or circle):
            raise CommandError("Give a file or an address, and --city <name> or --circle <slug>.")
        target = {"city": self._city(city)} if city else {"circle": self._circle(circle)}
        url, data = self._read(source)
        from events.models import IcalFeed

        now = timezone.now()
        with transaction.atomic():
            feed, _created = IcalFeed.objects.select_related("city", "circle__city").get_or_create(url=url, **target)
            try:
                result = feed_import(feed=feed, data=data, now=now, dry_run=dry_run)
            except FeedRejected as rejected:
                if dry_run:
                    transaction.set_rollback(True)
                else:
                    feed_record(feed=feed, result=None, error=rejected, now=now)
                self._print_counts(dict.fromkeys(COUNTS, 0) | {"rejected": "feed"})
                error = rejected
            else:
                error = None
                if dry_run:
                    transaction.set_rollback(True)
                else:
                    feed_record(feed=feed, result=result, error=None, now=now)
        if error is not None:
            # Outside the transaction: the rejection is recorded on the feed, nothing else written.
            raise CommandError(f"rejected: {error.english()}")
        self._print_counts(result.counts())
        if result.beyond_limit:
            self.stdout.write(f"  beyond the limit (not imported): {result.beyond_limit}")
        for problem in result.problems:
            self.stdout.write(f"  skipped: {problem}")
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {url}"))

    def _print_counts(self, counts: dict) -> None:
        for name in COUNTS:
            self.stdout.write(f"  {name + ':':<11}{counts.get(name, 0)}")

    def _city(self, name: str):
        from places.models import City

        found = City.objects.filter(search_name=fold(name)).order_by("-population").first()
        if found is None:
            raise CommandError(f"No city called {name!r}.")
        return found

    def _circle(self, slug: str):
        from circles.models import Circle

        found = Circle.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"No circle with the address {slug!r}.")
        return found

    def _read(self, source: str) -> tuple[str, bytes]:
        if source.lower().startswith(("http://", "https://", "webcal://")):
            url = feed_address(url=source)
            try:
                # An operator at a terminal may import from a private network.
                return url, fetch_url(url=url, allow_private=True)
            except FeedRejected as rejected:
                raise CommandError(f"rejected: {rejected.english()}") from None
        path = Path(source)
        if not path.is_file():
            raise CommandError(f"No such file: {source}")
        if path.stat().st_size > MAX_FEED_BYTES:  # refused before reading it
            raise CommandError(f"rejected: {FeedRejected(TOO_LARGE, max_mb=MAX_FEED_BYTES // 2**20).english()}")
        return path.resolve().as_uri(), path.read_bytes()

    def _refresh_registered(self) -> None:
        from events.models import IcalFeed

        feeds = IcalFeed.objects.select_related("city", "circle__city", "created_by").filter(url__startswith="http")
        for feed in feeds.order_by("pk"):
            result = feed_refresh(feed=feed)
            outcome = (
                "rejected: " + feed.last_error
                if result is None
                else ", ".join(f"{name} {result.counts()[name]}" for name in COUNTS)
            )
            self.stdout.write(f"{feed.url}: {outcome}")
