"""Organizers hear of requests to join their circles: one summary per circle and hour at most, so a
busy launch never sends forty e-mails (the scheduler's hourly run, operations/jobs.py)."""

import datetime as dt
from collections import Counter

from django.urls import reverse

from circles.models import Circle, Membership, Role, Status
from notifications.models import Kind
from notifications.plurals import ngettext_noop
from notifications.services import notify

MSG_JOIN_REQUESTS = ngettext_noop(
    "%(count)s new request to join “%(circle)s” awaits your answer.",
    "%(count)s new requests to join “%(circle)s” await your answer.",
)


def join_requests_alert(*, since: dt.datetime, until: dt.datetime) -> int:
    """Tell each organizer how many requests came in (since, until] per circle; returns how many
    notifications were recorded (once per circle and window, however often it runs)."""
    fresh = Counter(
        Membership.objects.filter(
            status=Status.REQUESTED, updated_at__gt=since, updated_at__lte=until, member__is_active=True
        ).values_list("circle_id", flat=True)
    )
    if not fresh:
        return 0
    organizers = Membership.objects.filter(
        circle_id__in=fresh, role=Role.ORGANIZER, status=Status.ACTIVE, member__is_active=True
    ).select_related("member__profile")
    circles = Circle.objects.in_bulk(fresh)
    sent = 0
    for organizer in organizers:
        circle = circles[organizer.circle_id]
        sent += (
            notify(
                recipient=organizer.member,
                kind=Kind.JOIN_REQUESTS,
                message=MSG_JOIN_REQUESTS,
                params={"count": fresh[circle.pk], "circle": circle.name},
                url=reverse("circles:manage", args=[circle.slug]),
                key=f"join_requests:{circle.pk}:{until.isoformat()}",
            )
            is not None
        )
    return sent
