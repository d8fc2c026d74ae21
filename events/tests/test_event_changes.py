"""A change is written out, old → new, in each recipient's language and time zone; a cancellation
carries the organizer's reason. Only those going or waiting are told."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from events import services
from notifications.emails import as_recipient, render_message
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
SATURDAY = dt.datetime(2027, 10, 30, 10, 0, tzinfo=PARIS)  # summer time; the clocks go back that night
MONDAY = dt.datetime(2027, 11, 1, 10, 0, tzinfo=PARIS)


@pytest.fixture
def breakfast(circle, owner, make_event):
    return make_event(
        circle, owner, starts_at=SATURDAY, ends_at=SATURDAY + dt.timedelta(hours=2), venue="Café de la Plaine"
    )


@pytest.fixture
def going(member, breakfast):
    services.rsvp_submit(member=member, event=breakfast, going=True)
    return member


def _told(member, language: str) -> str:
    notification = Notification.objects.get(recipient=member, kind=Kind.EVENT_CHANGED)
    member.profile.language = language
    with as_recipient(member):
        return render_message(notification)


def _move(owner, event, starts_at=None, **fields):
    if starts_at:
        fields |= {"starts_at": starts_at, "ends_at": starts_at + dt.timedelta(hours=2)}
    services.event_update(organizer=owner, event=event, **fields)


def test_a_new_date_is_written_out_old_to_new_in_the_members_language(owner, going, breakfast):
    _move(owner, breakfast, starts_at=MONDAY)
    assert _told(going, "fr") == (
        "« Petit-déjeuner du Vieux-Port » est déplacé du 30 octobre 2027 10:00 au 1 novembre 2027 10:00."
    )
    assert (
        _told(going, "en")
        == "“Petit-déjeuner du Vieux-Port” moves from Oct. 30, 2027, 10 a.m. to Nov. 1, 2027, 10 a.m."
    )


def test_times_are_read_in_the_members_own_time_zone(owner, going, breakfast):
    going.profile.time_zone = "America/Montreal"
    going.profile.save(update_fields=["time_zone"])
    _move(owner, breakfast, starts_at=MONDAY)
    # 10:00 in Paris is 04:00 in Montreal before both changes of hour, and 05:00 after Paris's.
    assert _told(going, "fr") == (
        "« Petit-déjeuner du Vieux-Port » est déplacé du 30 octobre 2027 04:00 au 1 novembre 2027 05:00."
    )


def test_a_new_place_is_written_out(owner, going, breakfast):
    _move(owner, breakfast, venue="Les Grandes Tables")
    assert _told(going, "fr") == (
        "« Petit-déjeuner du Vieux-Port » change de lieu : de Café de la Plaine à Les Grandes Tables."
    )


def test_a_new_date_and_place_are_written_out_together(owner, going, breakfast):
    _move(owner, breakfast, starts_at=MONDAY, venue="Les Grandes Tables")
    assert _told(going, "en") == (
        "“Petit-déjeuner du Vieux-Port” moves from Oct. 30, 2027, 10 a.m., Café de la Plaine, "
        "to Nov. 1, 2027, 10 a.m., Les Grandes Tables."
    )


def test_another_change_is_pointed_at(owner, going, breakfast):
    _move(owner, breakfast, description="Apportez vos cartes.")
    assert _told(going, "en") == "“Petit-déjeuner du Vieux-Port” has changed: check the date, time and place."


def test_those_not_going_are_not_told(owner, member, breakfast, members_of, circle):
    (declined,) = members_of(circle, 1)
    services.rsvp_submit(member=declined, event=breakfast, going=False)
    _move(owner, breakfast, starts_at=MONDAY)
    services.event_cancel(organizer=owner, event=breakfast, reason="Salle indisponible")
    assert not Notification.objects.filter(recipient=declined, kind=Kind.EVENT_CHANGED).exists()


def test_a_cancellation_carries_the_organizers_reason(owner, going, breakfast, client_of):
    response = client_of(owner).post(
        reverse("events:event_cancel", args=[breakfast.pk]), {"reason": "  La salle est\n inondée.  "}
    )
    assert response.status_code == 302
    assert _told(going, "fr") == (
        "« Petit-déjeuner du Vieux-Port » est annulé. Les organisateurs précisent : « La salle est inondée. »"
    )
    page = client_of(going).get(reverse("events:event_detail", args=[breakfast.pk])).content.decode()
    assert "La salle est inondée." in page


def test_a_cancellation_without_a_reason_says_so_plainly(owner, going, breakfast):
    services.event_cancel(organizer=owner, event=breakfast)
    assert _told(going, "en") == "“Petit-déjeuner du Vieux-Port” is cancelled."
