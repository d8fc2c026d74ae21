"""Organizers hear of requests to join their circles and of reports to handle, operators of the
reports no circle holds: one summary per circle and hour at most, so a busy launch never sends forty
e-mails (the scheduler's hourly runs, operations/jobs.py). A summary counts; it names nobody."""

import datetime as dt
from collections import Counter, defaultdict

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


def organizers_by_circle(circle_ids) -> dict[int, list[User]]:
    """The active organizers of each of these circles (with their profiles, for their language)."""
    found: dict[int, list[User]] = defaultdict(list)
    for membership in Membership.objects.filter(
        circle_id__in=circle_ids, role=Role.ORGANIZER, status=Status.ACTIVE, member__is_active=True
    ).select_related("member__profile"):
        found[membership.circle_id].append(membership.member)
    return found


def _tell_organizers(*, counts: Counter, kind: str, message, name: str, until: dt.datetime) -> int:
    """Each circle's organizers get its count, once per window (the key)."""
    circles = Circle.objects.in_bulk(counts)
    sent = 0
    for circle_id, organizers in organizers_by_circle(counts).items():
        circle = circles[circle_id]
        for organizer in organizers:
            notification = notify(
                recipient=organizer,
                kind=kind,
                message=message,
                params={"count": counts[circle_id], "circle": circle.name},
                url=reverse("circles:manage", args=[circle.slug]),
                key=f"{name}:{circle_id}:{until.isoformat()}",
            )
            sent += notification is not None
    return sent


def join_requests_alert(*, since: dt.datetime, until: dt.datetime) -> int:
    """Tell each organizer how many requests came in (since, until] per circle; returns how many
    notifications were recorded (once per circle and window, however often it runs)."""
    fresh = Counter(
        Membership.objects.filter(
            status=Status.REQUESTED, updated_at__gt=since, updated_at__lte=until, member__is_active=True
        ).values_list("circle_id", flat=True)
    )
    return _tell_organizers(
        counts=fresh, kind=Kind.JOIN_REQUESTS, message=MSG_JOIN_REQUESTS, name="join_requests", until=until
    )


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
    in_circles = Counter({circle_id: count for circle_id, count in made.items() if circle_id is not None})
    sent = _tell_organizers(counts=in_circles, kind=Kind.REPORTS, message=MSG_REPORTS, name="reports", until=until)
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
