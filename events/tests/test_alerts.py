"""Organizers' hourly summaries: requests to join their circles, answers to their events — one per
circle or event and hour, to organizers only, in their language, as their preferences say."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from circles.alerts import join_requests_alert
from circles.models import Membership, Participation, Role, Status
from events import services
from events.alerts import new_events_alert, rsvp_activity_alert
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
        "New answers to “Petit-déjeuner du Vieux-Port” since the last summary — going: 2, moved up from the "
        "waitlist: 0, waitlist: 1, not going: 1."
    )
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert not Notification.objects.filter(recipient__in=people, kind=Kind.RSVP_ACTIVITY).exists()


def test_waitlist_moves_are_listed_apart_from_new_answers(owner, circle, event, members_of, hour):
    event.capacity = 1
    event.save(update_fields=["capacity"])
    first, second = members_of(circle, 2)
    services.rsvp_submit(member=first, event=event, going=True)
    services.rsvp_submit(member=second, event=event, going=True)  # waitlisted
    earlier = hour["since"] - dt.timedelta(minutes=10)
    type(first.rsvps.get()).objects.update(updated_at=earlier)  # both answered during the previous hour

    services.rsvp_submit(member=first, event=event, going=False)  # frees the seat: the waitlist moves up
    rsvp_activity_alert(**hour)
    assert _told(owner, Kind.RSVP_ACTIVITY, "fr") == [
        "Nouvelles réponses à « Petit-déjeuner du Vieux-Port » depuis le dernier récapitulatif — participent : 0, "
        "sortis de la liste d’attente : 1, liste d’attente : 0, ne participent pas : 1."
    ]


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


# --- New events, to the circle's members ----------------------------------------------------------


def test_members_hear_of_the_new_events_of_their_circles_in_one_message(owner, member, circle, make_event, hour, sent):
    make_event(circle, owner, title="Apéro Tech", in_days=3)
    make_event(circle, owner, title="Atelier pitch", in_days=10)
    mail.outbox.clear()

    assert sent(lambda: new_events_alert(**hour)) == 1  # the member; not the organizer who created them
    [told] = _told(member, Kind.NEW_EVENTS, "fr")
    assert told.startswith("2 nouveaux événements dans vos cercles : « Apéro Tech » (")
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "/notifications/unsubscribe/" in mail.outbox[0].extra_headers["List-Unsubscribe"]
    assert sent(lambda: new_events_alert(**hour)) == 0  # once per window


def test_a_long_list_of_new_events_shows_the_first_five(owner, member, circle, make_event, hour):
    for day in range(1, 8):
        make_event(circle, owner, title=f"Déjeuner {day}", in_days=day)
    new_events_alert(**hour)
    [told] = _told(member, Kind.NEW_EVENTS)
    assert told.startswith("7 new events in your circles: “Déjeuner 1” (")
    assert "Déjeuner 5" in told and "Déjeuner 6" not in told and told.endswith(", ….")


def test_a_series_is_announced_once(owner, member, circle, make_event, hour):
    make_event(circle, owner, title="Petit-déj du mardi", recurrence="weekly")
    new_events_alert(**hour)
    assert _told(member, Kind.NEW_EVENTS) == [f"A new event in your circles: “Petit-déj du mardi” ({circle.name})."]


def test_followers_from_afar_are_not_nagged_unless_they_chose_it(owner, circle, make_event, make_member, join, hour):
    follower = make_member("loin@example.org")
    join(follower, circle, participation=Participation.REMOTE)
    make_event(circle, owner, title="Apéro Tech")

    new_events_alert(**hour)
    assert not follower.notifications.exists()

    preferences_save(member=follower, choices={Kind.NEW_EVENTS_FOLLOWED: (True, True)})
    pitch = make_event(circle, owner, title="Atelier pitch")
    next_hour = {"since": hour["until"], "until": hour["until"] + dt.timedelta(hours=1)}
    type(pitch).objects.filter(pk=pitch.pk).update(created_at=hour["until"] + dt.timedelta(minutes=5))
    new_events_alert(**next_hour)
    assert _told(follower, Kind.NEW_EVENTS_FOLLOWED) == [
        f"A new event in your circles: “Atelier pitch” ({circle.name})."
    ]


def test_strangers_and_members_of_other_circles_hear_nothing(owner, stranger, circle, make_event, hour):
    make_event(circle, owner, title="Apéro Tech")
    new_events_alert(**hour)
    assert not stranger.notifications.exists()


# --- Reports, to organizers and operators -----------------------------------------------------------


def test_organizers_are_told_how_many_reports_came_without_names(owner, member, circle, make_member, join, hour):
    from circles.alerts import reports_alert
    from circles.services import report_create

    reporter = make_member("temoin@example.org")
    join(reporter, circle)
    report_create(circle=circle, reporter=reporter, reported=member, reason="Démarchage insistant.")
    report_create(circle=circle, reporter=reporter, about="Un message", reason="Hors charte.")

    assert reports_alert(**hour) == 1
    [told] = _told(owner, Kind.REPORTS, "fr")
    assert told == f"2 nouveaux signalements concernant « {circle.name} » ou ses membres vous attendent."
    assert member.email not in told and "Démarchage" not in told
    assert not Notification.objects.filter(recipient__in=[member, reporter], kind=Kind.REPORTS).exists()


def test_reports_no_circle_holds_go_to_the_operators(owner, member, make_member, hour):
    from circles.alerts import reports_alert
    from circles.models import Report

    operator = make_member("ops@example.org")
    operator.is_staff = True
    operator.save(update_fields=["is_staff"])
    Report.objects.create(circle=None, reporter=owner, reported=member, reason="Spam.")

    assert reports_alert(**hour) == 1
    assert _told(operator, Kind.REPORTS) == ["1 new report about a member awaits the operators."]
