"""RSVPs: seats, the waitlist first come first served, guests, one answer per member."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cercle.public_pages import new_public_version
from circles.models import Participation, Visibility
from events import selectors, services
from events.models import Event, Rsvp, RsvpStatus
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def _answer(user, event, going=True, **kwargs):
    return services.rsvp_submit(member=user, event=event, going=going, **kwargs)


def _status(user, event) -> str:
    return Rsvp.objects.get(member=user, event=event).status


def _seats(event) -> int:
    return Event.objects.get(pk=event.pk).seats_taken


def test_going_takes_a_seat_until_the_event_is_full(circle, owner, make_event, members_of):
    event = make_event(circle, owner, capacity=3)
    people = members_of(circle, 5)
    answers = [_answer(p, event) for p in people]
    assert [a.status for a in answers] == ["going"] * 3 + ["waitlist"] * 2
    assert _seats(event) == 3
    assert selectors.seats_left(Event.objects.get(pk=event.pk)) == 0
    assert all(a.waitlisted_at is not None for a in answers[3:])


def test_the_waitlist_is_first_come_first_served(circle, owner, make_event, members_of):
    event = make_event(circle, owner, capacity=1)
    first, second, third = members_of(circle, 3)
    _answer(owner, event)
    _answer(first, event)
    _answer(second, event)
    _answer(third, event)
    positions = [selectors.waitlist_position(Rsvp.objects.get(member=m, event=event)) for m in (first, second, third)]
    assert positions == [1, 2, 3]

    _answer(owner, event, going=False)
    assert [_status(m, event) for m in (first, second, third)] == ["going", "waitlist", "waitlist"]
    assert selectors.waitlist_position(Rsvp.objects.get(member=third, event=event)) == 2


def test_not_going_frees_the_seat_and_promotes_the_first_waiting(circle, owner, member, make_event, members_of):
    event = make_event(circle, owner, capacity=2)
    waiting_a, waiting_b = members_of(circle, 2)
    _answer(owner, event)
    _answer(member, event)
    _answer(waiting_a, event)
    _answer(waiting_b, event)

    _answer(member, event, going=False)

    assert _status(member, event) == "not_going"
    assert _status(waiting_a, event) == "going"
    assert _status(waiting_b, event) == "waitlist"
    assert _seats(event) == 2
    promoted = Notification.objects.get(recipient=waiting_a, kind=Kind.WAITLIST_PROMOTED)
    assert promoted.message == services.MSG_WAITLIST_PROMOTED
    assert promoted.params["title"] == event.title
    assert promoted.params["itip"] == "REQUEST"  # its e-mail puts the event in their calendar
    assert not Notification.objects.filter(recipient=waiting_b, kind=Kind.WAITLIST_PROMOTED).exists()


def test_a_freed_seat_for_two_promotes_as_many_as_now_fit(circle, owner, make_event, members_of):
    event = make_event(circle, owner, capacity=2, allow_guest=True)
    a, b, c = members_of(circle, 3)
    _answer(owner, event, with_guest=True)
    for person in (a, b, c):
        _answer(person, event)
    _answer(owner, event, going=False)
    assert [_status(p, event) for p in (a, b, c)] == ["going", "going", "waitlist"]
    assert _seats(event) == 2


def test_someone_whose_guest_does_not_fit_keeps_their_place(circle, owner, make_event, members_of):
    event = make_event(circle, owner, capacity=2, allow_guest=True)
    couple, single = members_of(circle, 2)
    other = members_of(circle, 1, prefix="o")[0]
    _answer(owner, event)
    _answer(other, event)
    _answer(couple, event, with_guest=True)
    _answer(single, event)
    _answer(other, event, going=False)  # one seat frees: the couple needs two, the next one alone fits
    assert _status(couple, event) == "waitlist"
    assert _status(single, event) == "going"
    _answer(owner, event, going=False)
    _answer(single, event, going=False)
    assert _status(couple, event) == "going"
    assert Rsvp.objects.get(member=couple, event=event).seats == 2


def test_a_guest_takes_a_seat(circle, owner, member, make_event):
    event = make_event(circle, owner, capacity=3, allow_guest=True)
    rsvp = _answer(member, event, with_guest=True, guest_name="  Léa  ")
    assert (rsvp.status, rsvp.seats, rsvp.guest_name) == ("going", 2, "Léa")
    assert _seats(event) == 2
    rsvp = _answer(owner, event, with_guest=True)
    assert rsvp.status == "waitlist"  # two seats wanted, one left
    assert _seats(event) == 2


def test_a_guest_is_refused_when_the_event_does_not_allow_guests(circle, member, owner, make_event):
    event = make_event(circle, owner, allow_guest=False)
    with pytest.raises(ValidationError) as error:
        _answer(member, event, with_guest=True, guest_name="Léa")
    assert error.value.messages == [str(services.GUEST_NOT_ALLOWED)]
    assert not Rsvp.objects.filter(event=event).exists()
    assert _seats(event) == 0


def test_adding_a_guest_needs_a_free_seat(circle, owner, member, make_event):
    event = make_event(circle, owner, capacity=2, allow_guest=True)
    _answer(member, event)
    _answer(owner, event)
    with pytest.raises(ValidationError) as error:
        _answer(member, event, with_guest=True)
    assert error.value.messages == [str(services.GUEST_NO_SEAT)]
    rsvp = Rsvp.objects.get(member=member, event=event)
    assert (rsvp.status, rsvp.seats, rsvp.with_guest) == ("going", 1, False)


def test_dropping_the_guest_frees_a_seat_for_the_waitlist(circle, owner, member, make_event, members_of):
    event = make_event(circle, owner, capacity=2, allow_guest=True)
    (waiting,) = members_of(circle, 1)
    _answer(member, event, with_guest=True)
    _answer(waiting, event)
    _answer(member, event, with_guest=False)
    assert Rsvp.objects.get(member=member, event=event).seats == 1
    assert _status(waiting, event) == "going"
    assert _seats(event) == 2


def test_a_second_answer_updates_the_first(circle, member, event):
    first = _answer(member, event)
    second = _answer(member, event, going=False)
    third = _answer(member, event)
    assert first.pk == second.pk == third.pk
    assert Rsvp.objects.filter(member=member, event=event).count() == 1
    assert third.status == "going" and _seats(event) == 1
    assert first.ticket_token == Rsvp.objects.get(pk=first.pk).ticket_token


def test_answering_going_twice_keeps_one_seat(circle, member, event):
    _answer(member, event)
    _answer(member, event)
    assert _seats(event) == 1


def test_a_waiting_member_answering_again_keeps_their_place(circle, owner, make_event, members_of):
    event = make_event(circle, owner, capacity=1)
    first, second = members_of(circle, 2)
    _answer(owner, event)
    _answer(first, event)
    _answer(second, event)
    _answer(first, event)
    assert selectors.waitlist_position(Rsvp.objects.get(member=first, event=event)) == 1


def test_not_going_from_the_waitlist_leaves_it(circle, owner, member, make_event):
    event = make_event(circle, owner, capacity=1)
    _answer(owner, event)
    _answer(member, event)
    rsvp = _answer(member, event, going=False)
    assert (rsvp.status, rsvp.waitlisted_at) == ("not_going", None)
    assert _seats(event) == 1


def test_an_event_without_limit_takes_everyone(circle, owner, make_event, members_of):
    event = make_event(circle, owner, capacity=None)
    for person in members_of(circle, 4):
        assert _answer(person, event).status == "going"
    assert _seats(event) == 4


def test_remote_followers_may_answer(make_circle, join, owner, member, make_event):
    circle = make_circle()
    join(owner, circle, role="organizer")
    join(member, circle, participation=Participation.REMOTE)
    assert _answer(member, make_event(circle, owner)).status == "going"


@pytest.mark.parametrize("status", ["invited", "requested", "left", "removed"])
def test_only_active_members_of_the_circle_answer(make_circle, join, owner, member, make_event, status):
    circle = make_circle(visibility=Visibility.PUBLIC)
    join(owner, circle, role="organizer")
    join(member, circle, status=status)
    event = make_event(circle, owner)
    with pytest.raises(ValidationError) as error:
        _answer(member, event)
    assert error.value.messages == [str(services.NOT_A_MEMBER)]


def test_strangers_do_not_answer(event, stranger):
    with pytest.raises(ValidationError):
        _answer(stranger, event)
    assert not Rsvp.objects.filter(event=event).exists()


def test_agenda_imports_take_no_rsvp(member):
    start = timezone.now() + dt.timedelta(days=3)
    event = Event.objects.create(title="Meetup", format="evening", starts_at=start, ends_at=start)
    with pytest.raises(ValidationError) as error:
        _answer(member, event)
    assert error.value.messages == [str(services.NOT_RSVPABLE)]


def test_cancelled_and_started_events_take_no_answer(circle, owner, member, make_event):
    cancelled = make_event(circle, owner)
    services.event_cancel(organizer=owner, event=cancelled)
    with pytest.raises(ValidationError) as error:
        _answer(member, cancelled)
    assert error.value.messages == [str(services.EVENT_CANCELLED)]
    started = make_event(circle, owner, in_days=-0.01)
    with pytest.raises(ValidationError) as error:
        _answer(member, started)
    assert error.value.messages == [str(services.EVENT_STARTED)]


def test_the_database_refuses_more_seats_than_capacity(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(seats_taken=event.capacity + 1)


def test_the_database_refuses_a_second_answer_row(event, member):
    Rsvp.objects.create(event=event, member=member, status=RsvpStatus.NOT_GOING)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rsvp.objects.create(event=event, member=member, status=RsvpStatus.GOING)


def test_a_higher_capacity_promotes_the_waitlist(circle, owner, member, make_event):
    event = make_event(circle, owner, capacity=1)
    _answer(owner, event)
    _answer(member, event)
    services.event_update(organizer=owner, event=event, capacity=2)
    assert _status(member, event) == "going"
    assert Notification.objects.filter(recipient=member, kind=Kind.WAITLIST_PROMOTED).exists()


def test_the_capacity_cannot_go_below_the_seats_taken(circle, owner, member, make_event):
    event = make_event(circle, owner, capacity=3)
    _answer(owner, event)
    _answer(member, event)
    with pytest.raises(ValidationError) as error:
        services.event_update(organizer=owner, event=event, capacity=1)
    assert error.value.messages == [str(services.CAPACITY_BELOW_TAKEN) % {"taken": 2}]
    assert Event.objects.get(pk=event.pk).capacity == 3


def test_deleting_an_account_frees_its_seats_and_promotes_the_waitlist(
    circle, owner, member, make_event, django_capture_on_commit_callbacks
):
    from people.services import account_delete

    event = make_event(circle, owner, capacity=1)
    _answer(member, event)
    _answer(owner, event)
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=member, password="correct horse battery")
    assert _seats(event) == 1
    assert _status(owner, event) == "going"


def test_deleting_the_event_itself_moves_nobody_up_and_tells_nobody(
    circle, owner, member, make_event, django_capture_on_commit_callbacks
):
    event = make_event(circle, owner, capacity=1)
    _answer(member, event)
    _answer(owner, event)  # waiting
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Event.objects.filter(pk=event.pk).delete()
    assert not Rsvp.objects.filter(event_id=event.pk).exists()
    # No promotion queued for an event that is gone (the public pages' version moves).
    assert [callback for callback in callbacks if callback is not new_public_version] == []
    assert not Notification.objects.filter(kind=Kind.WAITLIST_PROMOTED).exists()
