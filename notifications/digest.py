"""The weekly digest: one member's week, in their language, as an e-mail and an in-app notification.

What it holds, for the next seven days from the member's point of view:
- upcoming events in their circles (remote followers included), then in their city (events of
  unlisted circles only for their members);
- members who joined their circles in the past week and share their values — only those the
  privacy selector lets this member find, named and showing values to them;
- up to five contacts due for news from their private network (their own data).

An empty digest is not sent. A digest goes out once per member and ISO week, however many times
the task runs (`key`). "Joined in the past week" reads Membership.created_at: for a request or an
invitation accepted later, that is when it was made, not when it was accepted.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from notifications.emails import (
    absolute,
    as_recipient,
    language_of,
    time_zone_of_name,
    unsubscribe_headers,
    unsubscribe_url,
)
from notifications.models import Kind, Notification
from notifications.reminders import url_of
from notifications.services import notify, wants

DIGEST_MESSAGE = gettext_noop(
    "Your weekly digest: upcoming events: %(events)s · new members who share your values: %(people)s"
    " · people to reconnect with: %(contacts)s."
)
HORIZON = dt.timedelta(days=7)
MAX_EVENTS = 10
MAX_NEW_MEMBERS = 10
MAX_RECONNECT = 5


@dataclass(frozen=True)
class DigestEvent:
    title: str
    starts_at: dt.datetime
    venue: str
    city: str
    circle: str
    url: str


@dataclass(frozen=True)
class NewMember:
    name: str
    circle: str
    shared_values: list[str]
    url: str


@dataclass(frozen=True)
class Reconnect:
    name: str
    due_on: dt.date | None
    url: str


@dataclass(frozen=True)
class Digest:
    key: str
    built_at: dt.datetime
    circle_events: list[DigestEvent] = field(default_factory=list)
    city_events: list[DigestEvent] = field(default_factory=list)
    city: str = ""
    new_members: list[NewMember] = field(default_factory=list)
    reconnect: list[Reconnect] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.circle_events or self.city_events or self.new_members or self.reconnect)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "events": len(self.circle_events) + len(self.city_events),
            "people": len(self.new_members),
            "contacts": len(self.reconnect),
        }


def digest_key(local_day: dt.date) -> str:
    year, week, _weekday = local_day.isocalendar()
    return f"digest:{year}-W{week:02d}"


def _as_digest_event(event) -> DigestEvent:
    return DigestEvent(
        title=event.title,
        starts_at=event.starts_at,
        venue=event.venue,
        city=event.city.name if event.city_id else "",
        circle=event.circle.name if event.circle_id else "",
        url=url_of(event),
    )


def _new_like_minded_members(member, circle_ids: list[int], since: dt.datetime) -> list[NewMember]:
    from circles.models import Membership, Status
    from people import vocab
    from privacy.selectors import visible_profile

    my_values = {str(v).casefold() for v in member.profile.values}
    if not my_values or not circle_ids:
        return []
    joins = (
        Membership.objects.filter(
            circle_id__in=circle_ids, status=Status.ACTIVE, created_at__gte=since, member__is_active=True
        )
        .exclude(member=member)
        .select_related("circle", "member__profile__city")
        .order_by("-created_at", "-id")
    )
    found: dict[int, NewMember] = {}
    for join in joins:
        if join.member_id in found or len(found) >= MAX_NEW_MEMBERS:
            continue
        profile = getattr(join.member, "profile", None)
        if profile is None:
            continue
        shared = [v for v in profile.values if str(v).casefold() in my_values]
        if not shared:
            continue
        # Named only if they let this member find them and see their name and values.
        seen = visible_profile(member, join.member)
        if seen is None or not seen.name or "values" not in seen.visible_fields:
            continue
        found[join.member_id] = NewMember(
            name=seen.name,
            circle=join.circle.name,
            shared_values=[vocab.value_label(v) for v in shared],
            url=reverse("people:member_detail", args=[join.member_id]),
        )
    return list(found.values())


def digest_for(*, member, now: dt.datetime | None = None) -> Digest:
    """The digest of this member's coming week. Labels come in the active language: build it
    inside `as_recipient(member)` (as `digest_send` does)."""
    from circles.models import Membership, Status, Visibility
    from events.models import Event
    from network.selectors import contacts_due

    now = now or timezone.now()
    today = timezone.localdate(now)
    profile = member.profile
    circle_ids = list(
        Membership.objects.filter(member=member, status=Status.ACTIVE).values_list("circle_id", flat=True)
    )
    coming = Event.objects.filter(
        state=Event.State.SCHEDULED, starts_at__gte=now, starts_at__lt=now + HORIZON
    ).select_related("circle", "city")
    circle_events = list(coming.filter(circle_id__in=circle_ids).order_by("starts_at", "id")[:MAX_EVENTS])
    city_events = []
    if profile.city_id:
        city_events = list(
            coming.filter(city_id=profile.city_id)
            .exclude(circle_id__in=circle_ids)
            # Events of unlisted circles appear in no listing for non-members.
            .filter(Q(circle__isnull=True) | Q(circle__visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS]))
            .order_by("starts_at", "id")[:MAX_EVENTS]
        )
    reconnect = [
        Reconnect(
            name=contact.full_name,
            due_on=contact.next_due_on,
            url=reverse("network:contact_detail", args=[contact.pk]),
        )
        for contact in contacts_due(owner=member, today=today)[:MAX_RECONNECT]
    ]
    return Digest(
        key=digest_key(today),
        built_at=now,
        circle_events=[_as_digest_event(e) for e in circle_events],
        city_events=[_as_digest_event(e) for e in city_events],
        city=profile.city.name if profile.city_id else "",
        new_members=_new_like_minded_members(member, circle_ids, now - HORIZON),
        reconnect=reconnect,
    )


def digest_send(*, member, now: dt.datetime | None = None) -> Notification | None:
    """This week's digest for one member: in-app and by e-mail as they chose; nothing if empty."""
    if not member.is_active or not hasattr(member, "profile"):
        return None
    in_app, email = wants(member=member, kind=Kind.DIGEST)
    if not (in_app or email):
        return None
    with as_recipient(member):
        digest = digest_for(member=member, now=now)
    if digest.is_empty:
        return None
    return notify(
        recipient=member,
        kind=Kind.DIGEST,
        message=DIGEST_MESSAGE,
        # built_at: the e-mail, rendered by the worker, shows the same week.
        params={**digest.counts, "built_at": digest.built_at.isoformat()},
        url=reverse("notifications:digest"),
        key=digest.key,
    )


def digest_send_to(*, member_id: int) -> bool:
    from people.models import User

    member = User.objects.select_related("profile__city").filter(pk=member_id).first()
    return member is not None and digest_send(member=member) is not None


DIGEST_WEEKDAY = 0  # Monday
DIGEST_HOUR = 7


def digest_time_zones_between(since: dt.datetime, until: dt.datetime, zones: list[str]) -> list[str]:
    """The time zones among `zones` whose Monday 07:00 (of the week `until` falls in there) is in (since, until]."""
    due = []
    for name in zones:
        zone = time_zone_of_name(name)
        local = until.astimezone(zone)
        monday = local.date() - dt.timedelta(days=(local.weekday() - DIGEST_WEEKDAY) % 7)
        if since < dt.datetime.combine(monday, dt.time(DIGEST_HOUR), tzinfo=zone) <= until:
            due.append(name)
    return due


def digests_enqueue(*, between: tuple[dt.datetime, dt.datetime] | None = None) -> int:
    """One task per active member: each builds and sends that member's digest.

    With `between` (the scheduler's hourly run: since its previous run, until now), only the members
    whose Monday 07:00 fell in it, in their own time zone; without it, everyone now (an operator's
    `send_digests`). A member gets one digest a week however often this runs (its key).
    """
    from notifications.tasks import send_member_digest
    from people.models import Profile, User

    members = User.objects.filter(is_active=True, profile__isnull=False)
    if between is not None:
        zones = list(Profile.objects.order_by().values_list("time_zone", flat=True).distinct())
        members = members.filter(profile__time_zone__in=digest_time_zones_between(*between, zones))
    count = 0
    for member_id in members.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2000):
        send_member_digest.enqueue(member_id=member_id)
        count += 1
    return count


def digest_email(notification: Notification) -> EmailMultiAlternatives | None:
    """The digest e-mail (text and HTML) of a digest notification, in the recipient's language."""
    member = notification.recipient
    built_at = notification.params.get("built_at")
    now = dt.datetime.fromisoformat(built_at) if built_at else notification.created_at
    with as_recipient(member):
        digest = digest_for(member=member, now=now)
        if digest.is_empty:
            return None
        stop = unsubscribe_url(member_id=member.pk, kind=Kind.DIGEST)
        context = {
            "digest": digest,
            "site_url": settings.SITE_URL,
            "unsubscribe_url": stop,
            "digest_url": absolute(reverse("notifications:digest")),
            "preferences_url": absolute(reverse("notifications:preferences")),
            "LANGUAGE_CODE": language_of(member),
        }
        text = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
        subject = "[Cercle] " + _("Your week on Cercle")
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[member.email],
        headers=unsubscribe_headers(stop),
    )
    message.attach_alternative(html, "text/html")
    return message
