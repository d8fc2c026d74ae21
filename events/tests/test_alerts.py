"""Organizers' hourly summaries: requests to join their circles, answers to their events — one per
circle or event and hour, to organizers only, in their language, as their preferences say."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from circles.alerts import join_requests_alert
from circles.models import Membership, Role, Status
from events import services
from events.alerts import rsvp_activity_alert
from notifications.emails import as_recipient, render_message
from notifications.models import Kind, Notification
from notifications.services import preferences_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def hour():
    """The window of the hourly run that just ended."""
    until = timezone.now() + dt.timedelta(seconds=1)
    return {"since": until - dt.timedelta(hours=1), "until": until}


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    def run(block):
        with django_capture_on_commit_callbacks(execute=True):
            return block()

    return run


def _told(member, kind, language="en") -> list[str]:
    member.profile.language = language
    with as_recipient(member):
        return [render_message(n) for n in Notification.objects.filter(recipient=member, kind=kind)]


def _request(circle, people):
    for person in people:
        Membership.objects.create(circle=circle, member=person, status=Status.REQUESTED)


def test_requests_to_join_come_as_one_summary_per_circle_and_hour(owner, member, circle, make_member, hour, sent):
    _request(circle, [make_member(f"candidate{n}@example.org") for n in range(5)])

    assert sent(lambda: join_requests_alert(**hour)) == 1
    assert _told(owner, Kind.JOIN_REQUESTS) == [f"5 new requests to join “{circle.name}” await your answer."]
    assert _told(owner, Kind.JOIN_REQUESTS, "fr") == [
        f"5 nouvelles demandes pour rejoindre « {circle.name} » attendent votre réponse."
    ]
    assert not Notification.objects.filter(recipient=member, kind=Kind.JOIN_REQUESTS).exists()  # not an organizer
    [email] = mail.outbox
    assert email.to == [owner.email] and "/notifications/unsubscribe/" in email.extra_headers["List-Unsubscribe"]
    assert sent(lambda: join_requests_alert(**hour)) == 0  # the same hour again: nothing new


def test_one_request_is_said_in_the_singular(owner, circle, make_member, hour):
    _request(circle, [make_member("candidate@example.org")])
    join_requests_alert(**hour)
    assert _told(owner, Kind.JOIN_REQUESTS, "fr") == [
        f"1 nouvelle demande pour rejoindre « {circle.name} » attend votre réponse."
    ]


def test_requests_outside_the_window_wait_for_their_own_hour(owner, circle, make_member, hour):
    _request(circle, [make_member("candidate@example.org")])
    earlier = {"since": hour["since"] - dt.timedelta(hours=1), "until": hour["since"]}
    assert join_requests_alert(**earlier) == 0


def test_answers_to_an_event_come_as_one_summary_per_hour(owner, member, circle, event, members_of, hour, sent):
    event.capacity = 2
    event.save(update_fields=["capacity"])
    people = members_of(circle, 4)
    for person in people[:3]:
        services.rsvp_submit(member=person, event=event, going=True)
    services.rsvp_submit(member=people[3], event=event, going=False)
    services.rsvp_submit(member=owner, event=event, going=True)  # the organizer's own answer: not news to them
    mail.outbox.clear()

    assert sent(lambda: rsvp_activity_alert(**hour)) == 1
    [summary] = _told(owner, Kind.RSVP_ACTIVITY)
    assert summary == (
        "New answers to “Petit-déjeuner du Vieux-Port” since the last summary — going: 2, waitlist: 1, not going: 1."
    )
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert not Notification.objects.filter(recipient__in=people, kind=Kind.RSVP_ACTIVITY).exists()


def test_an_organizer_who_turned_the_summaries_off_gets_none(owner, circle, event, members_of, hour, sent):
    preferences_save(member=owner, choices={Kind.RSVP_ACTIVITY: (False, False), Kind.JOIN_REQUESTS: (False, False)})
    (person,) = members_of(circle, 1)
    services.rsvp_submit(member=person, event=event, going=True)
    (candidate,) = members_of(circle, 1, prefix="r")
    Membership.objects.filter(circle=circle, member=candidate).update(status=Status.REQUESTED)
    mail.outbox.clear()

    assert sent(lambda: rsvp_activity_alert(**hour) + join_requests_alert(**hour)) == 0
    assert mail.outbox == []


def test_every_organizer_of_the_circle_gets_it(owner, circle, event, make_member, join, members_of, hour):
    co_organizer = make_member("co@example.org")
    join(co_organizer, circle, role=Role.ORGANIZER)
    (person,) = members_of(circle, 1)
    services.rsvp_submit(member=person, event=event, going=True)

    assert rsvp_activity_alert(**hour) == 2
