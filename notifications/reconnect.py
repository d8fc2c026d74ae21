"""Keep-in-touch reminders: the day contacts of my network become due to reconnect, I am told.

"Today" is the member's own calendar day (their profile's time zone, Europe/Paris by default), and
a reminder leaves from RECONNECT_FROM_HOUR of it. Run it every hour (the scheduler does): a
reminder is keyed by the member's local date, so a day sends one at most, and only a day when a
contact becomes due. It names the contacts due that no reminder named since they became due: a
contact left overdue is not named again day after day; one due anew (after an exchange or a
snooze) is.
"""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from network.models import Contact
from network.selectors import contacts_due
from notifications.emails import time_zone_of
from notifications.models import Kind, Notification
from notifications.plurals import Plural, ngettext_noop
from notifications.services import notify
from people.models import User

RECONNECT_FROM_HOUR = 8
NAMED_AT_MOST = 3
# The names are the owner's own contacts, and the notification goes to the owner alone.
MESSAGES = {
    1: gettext_noop("Time to reconnect with %(first)s."),
    2: gettext_noop("Time to reconnect with %(first)s and %(second)s."),
    3: gettext_noop("Time to reconnect with %(first)s, %(second)s and %(third)s."),
}
MORE = ngettext_noop(
    "Time to reconnect with %(first)s, %(second)s, %(third)s and %(more)s more.",
    "Time to reconnect with %(first)s, %(second)s, %(third)s and %(more)s more.",
    "more",
)


@dataclass(frozen=True)
class ReconnectDue:
    member: User
    key: str
    contacts: list[Contact]  # most overdue first, never empty


def reconnect_key(local_day: dt.date) -> str:
    return f"reconnect:{local_day.isoformat()}"


def _day_of(key: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(key.removeprefix("reconnect:"))
    except ValueError:
        return None


def _not_yet_named(member, today: dt.date) -> list[Contact]:
    """The member's contacts due today or earlier that no reminder named since their due date."""
    with_cadence = contacts_due(owner=member, today=today).filter(cadence_days__isnull=False)
    due = list(with_cadence.only("full_name", "next_due_on"))
    if not due:
        return []
    # Keys hold the local date in ISO form: their order is the dates' order, in every collation.
    earlier = Notification.objects.filter(
        recipient=member, kind=Kind.RECONNECT, key__gte=reconnect_key(due[0].next_due_on), key__lt=reconnect_key(today)
    ).values_list("key", "params")
    named_on: dict[int, dt.date] = {}  # contact id -> the last day a reminder named them
    for key, params in earlier:
        day = _day_of(key)
        if day is None or not isinstance(params, dict):
            continue
        for contact_id in params.get("contacts", []):
            named_on[contact_id] = max(day, named_on.get(contact_id, day))
    return [c for c in due if c.pk not in named_on or named_on[c.pk] < c.next_due_on]


def reconnect_due(*, now: dt.datetime) -> list[ReconnectDue]:
    """The members to remind now: past 08:00 on a day when one of their contacts becomes due,
    not reminded yet that day, with the contacts to name."""
    # Today, in any time zone, is within a day of today in UTC.
    utc_day = now.astimezone(dt.UTC).date()
    becoming_due = Contact.objects.filter(
        owner__is_active=True,
        archived=False,
        cadence_days__isnull=False,
        next_due_on__range=(utc_day - dt.timedelta(days=1), utc_day + dt.timedelta(days=1)),
    )
    due_days: dict[int, set[dt.date]] = {}
    for owner_id, day in becoming_due.values_list("owner_id", "next_due_on").distinct():
        due_days.setdefault(owner_id, set()).add(day)
    members = User.objects.filter(pk__in=becoming_due.values("owner_id")).select_related("profile")
    candidates = []
    for member in members.order_by("pk"):
        local_now = now.astimezone(time_zone_of(member))
        if local_now.hour >= RECONNECT_FROM_HOUR and local_now.date() in due_days.get(member.pk, ()):
            candidates.append((member, reconnect_key(local_now.date()), local_now.date()))
    sent = set(
        Notification.objects.filter(
            recipient_id__in=[member.pk for member, _, _ in candidates], key__in={key for _, key, _ in candidates}
        ).values_list("recipient_id", "key")
    )
    reminders = []
    for member, key, today in candidates:
        if (member.pk, key) in sent:
            continue
        contacts = _not_yet_named(member, today)
        if contacts:
            reminders.append(ReconnectDue(member=member, key=key, contacts=contacts))
    return reminders


def reconnect_message(contacts: list[Contact]) -> tuple[str | Plural, dict]:
    """The msgid and its parameters: up to three names, then how many more. The ids of every
    contact counted are kept, so a later reminder knows whom this one named."""
    names = [contact.full_name for contact in contacts[:NAMED_AT_MOST]]
    params: dict = dict(zip(("first", "second", "third"), names, strict=False))
    more = len(contacts) - len(names)
    if more == 0:
        message = MESSAGES[len(names)]
    else:
        message = MORE
        params["more"] = more
    params["contacts"] = [contact.pk for contact in contacts]
    return message, params


def reconnect_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind every member due a keep-in-touch reminder now; returns how many were recorded."""
    now = now or timezone.now()
    url = reverse("network:due_list")
    count = 0
    for due in reconnect_due(now=now):
        message, params = reconnect_message(due.contacts)
        notification = notify(
            recipient=due.member, kind=Kind.RECONNECT, message=message, params=params, url=url, key=due.key
        )
        count += notification is not None
    return count
