"""Organizers hear of requests to join their circles and of reports to handle, operators of the
reports no circle holds: one summary per circle and hour at most, so a busy launch never sends forty
e-mails (the scheduler's hourly runs, operations/jobs.py). A summary counts; it names nobody."""

import datetime as dt
from collections import Counter

from django.urls import reverse

from circles.models import Circle, Membership, Report, Role, Status
from notifications.models import Kind
from notifications.plurals import ngettext_noop
from notifications.services import notify
from people.models import User

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


MSG_REPORTS = ngettext_noop(
    "%(count)s new report about “%(circle)s” or one of its members awaits you.",
    "%(count)s new reports about “%(circle)s” or its members await you.",
)
MSG_REPORTS_TO_OPERATORS = ngettext_noop(
    "%(count)s new report about a member awaits the operators.",
    "%(count)s new reports about members await the operators.",
)


def reports_alert(*, since: dt.datetime, until: dt.datetime) -> int:
    """Reports made in (since, until]: each circle's organizers are told how many came about their
    circle, the operators (staff) how many no circle holds. Returns how many were recorded."""
    made = Counter(
        Report.objects.filter(created_at__gt=since, created_at__lte=until).values_list("circle_id", flat=True)
    )
    if not made:
        return 0
    sent = 0
    in_circles = {circle_id: count for circle_id, count in made.items() if circle_id is not None}
    circles = Circle.objects.in_bulk(in_circles)
    organizers = Membership.objects.filter(
        circle_id__in=in_circles, role=Role.ORGANIZER, status=Status.ACTIVE, member__is_active=True
    ).select_related("member__profile")
    for organizer in organizers:
        circle = circles[organizer.circle_id]
        sent += (
            notify(
                recipient=organizer.member,
                kind=Kind.REPORTS,
                message=MSG_REPORTS,
                params={"count": in_circles[circle.pk], "circle": circle.name},
                url=reverse("circles:manage", args=[circle.slug]),
                key=f"reports:{circle.pk}:{until.isoformat()}",
            )
            is not None
        )
    if made.get(None):
        for operator in User.objects.filter(is_staff=True, is_active=True):
            sent += (
                notify(
                    recipient=operator,
                    kind=Kind.REPORTS,
                    message=MSG_REPORTS_TO_OPERATORS,
                    params={"count": made[None]},
                    url=reverse("admin:circles_report_changelist"),
                    key=f"reports:operators:{until.isoformat()}",
                )
                is not None
            )
    return sent
