"""The event brief (whom to meet, and why) and "who did you meet?" after the event."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from events import selectors, services
from events.tests.conftest import past
from network import tallies
from network.models import Contact, Interaction, Source
from network.services import contact_create
from people.models import Level
from people.services import consent_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def attendees(make_member, join, circle, event, owner):
    """The owner (Hélène: values openness and direct talk, learning growth marketing, skills in
    contract law and negotiation) is going with four others."""

    def person(email, name, **fields):
        user = make_member(email, display_name=name, **fields)
        join(user, circle)
        return user

    people = {
        "camille": person(
            "camille@example.org", "Camille Martin", values=["openness", "curiosity"],
            skills=["Growth Marketing", "SEO"], learning=["négociation"], headline="Growth marketer",
        ),
        "paul": person("paul@example.org", "Paul Girard", values=["openness"], skills=["comptabilité"]),
        "nina": person("nina@example.org", "Nina Hidden", values=["openness", "direct_talk"]),
        "zed": person("zed@example.org", "Zed Nothing", values=["ambition"], skills=["plomberie"]),
    }  # fmt: skip
    # Paul keeps his values to himself; Nina keeps even her name to herself.
    consent_update(profile=people["paul"].profile, discoverability="members", visibility={"values": Level.ONLY_ME})
    consent_update(profile=people["nina"].profile, discoverability="members", visibility={"name": Level.ONLY_ME})
    for user in [owner, *people.values()]:
        services.rsvp_submit(member=user, event=event, going=True)
    return people


def test_the_brief_names_the_few_to_meet_and_why(owner, event, attendees):
    with translation.override("en"):
        brief = selectors.event_brief(owner, event)
    assert [entry.person.name for entry in brief] == ["Camille Martin"]
    # The matching engine's reasons, in words (matching.reasons)
    assert brief[0].reasons == [
        "You share openness",
        "Camille Martin can teach you growth marketing, which you want to learn",
    ]


def test_the_brief_uses_only_what_each_attendee_shows(owner, event, attendees):
    brief_names = {entry.person.name for entry in selectors.event_brief(owner, event)}
    assert "Paul Girard" not in brief_names  # his only common ground, his values, is private
    assert "Nina Hidden" not in brief_names and None not in brief_names


def test_the_brief_reasons_are_translated(owner, event, attendees):
    with translation.override("fr"):
        reasons = selectors.event_brief(owner, event)[0].reasons
    with translation.override("fr"):
        expected = translation.gettext("You share %(values)s") % {"values": "ouverture"}
    assert expected in reasons and expected != "You share ouverture"


def test_the_event_page_shows_the_brief_to_those_going(client_of, owner, event, attendees):
    page = client_of(owner).get(reverse("events:event_detail", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "People to meet there" in text and "Camille Martin can teach you growth marketing" in text


def test_no_brief_for_those_who_did_not_answer(client_of, member, event, attendees):
    text = client_of(member).get(reverse("events:event_detail", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "People to meet there" not in text.content.decode()


def test_the_attendees_list_follows_each_ones_settings(client_of, member, event, attendees, client):
    text = client_of(member).get(reverse("events:event_detail", args=[event.pk])).content.decode()
    assert "Camille Martin" in text and "Nina Hidden" not in text
    client.logout()
    anonymous = client.get(reverse("events:event_detail", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Camille Martin" not in anonymous and "5 people going" in anonymous


# --- Who did you meet? ---------------------------------------------------------------------------


def _met(owner, event, *people):
    return services.event_met_record(member=owner, event=event, met_ids=[p.pk for p in people])


def test_who_did_you_meet_makes_contacts_and_an_interaction(owner, event, attendees):
    past(event)
    contacts = _met(owner, event, attendees["camille"], attendees["paul"])
    day = timezone.localtime(event.starts_at).date()
    assert {c.full_name for c in contacts} == {"Camille Martin", "Paul Girard"}
    for contact in contacts:
        assert contact.owner == owner and contact.source == Source.EVENT
        assert contact.met_on == day and event.title in contact.how_met
        assert contact.member in (attendees["camille"], attendees["paul"])
    interaction = Interaction.objects.get(owner=owner)
    assert interaction.kind == "event" and interaction.occurred_on == day
    assert set(interaction.contacts.all()) == set(contacts)


def test_answering_twice_creates_no_duplicate(owner, event, attendees):
    past(event)
    _met(owner, event, attendees["camille"])
    _met(owner, event, attendees["camille"], attendees["paul"])
    assert Contact.objects.filter(owner=owner).count() == 2
    assert Interaction.objects.filter(owner=owner).count() == 2  # Camille once, then Paul alone
    camille = Contact.objects.get(owner=owner, member=attendees["camille"])
    assert camille.interactions.count() == 1
    assert tallies.check(owner) == []  # the dashboard's running totals count both


def test_a_contact_already_linked_to_that_member_is_reused(owner, event, attendees):
    known = contact_create(owner=owner, full_name="Camille (agence)", member=attendees["camille"], notes="cliente")
    past(event)
    contacts = _met(owner, event, attendees["camille"])
    assert contacts == [known]
    assert Contact.objects.filter(owner=owner).count() == 1
    known.refresh_from_db()
    assert known.notes == "cliente" and known.last_interaction_on == timezone.localtime(event.starts_at).date()


def test_only_fellow_attendees_can_be_picked(owner, event, attendees, stranger):
    past(event)
    for picked in (stranger, attendees["nina"]):  # not going / name not visible
        with pytest.raises(ValidationError) as error:
            _met(owner, event, picked)
        assert error.value.messages == [str(services.NOT_A_FELLOW_ATTENDEE)]
    assert not Contact.objects.filter(owner=owner).exists()


def test_only_after_the_event_and_only_for_those_who_went(owner, member, event, attendees):
    with pytest.raises(ValidationError) as error:
        _met(owner, event, attendees["camille"])
    assert error.value.messages == [str(services.EVENT_NOT_OVER)]
    past(event)
    with pytest.raises(ValidationError) as error:
        _met(member, event, attendees["camille"])
    assert error.value.messages == [str(services.NOT_AN_ATTENDEE)]


def test_the_page_asks_who_you_met_after_the_event(client_of, owner, event, attendees):
    past(event)
    client = client_of(owner)
    page = client.get(reverse("events:event_detail", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Who did you meet?" in page and "People to meet there" not in page
    response = client.post(reverse("events:event_met", args=[event.pk]), {"met": [attendees["camille"].pk]})
    assert response.status_code == 302
    assert Contact.objects.filter(owner=owner, member=attendees["camille"], source="event").exists()


def test_those_not_going_cannot_post_who_they_met(client_of, member, event, attendees):
    past(event)
    response = client_of(member).post(reverse("events:event_met", args=[event.pk]), {"met": [attendees["paul"].pk]})
    assert response.status_code == 404
    assert not Contact.objects.filter(owner=member).exists()
