"""The event brief ranks the other attendees by the matching engine's score and gives the engine's
reasons in words; the brief and the attendee list honour discoverability, per-field visibility,
blocks and dismissals."""

import pytest
from django.urls import reverse
from django.utils import translation

from events import selectors, services
from intros import services as intros_services
from matching import arrays as matching_arrays
from matching import services as matching_services
from people.models import Discoverability, Level
from people.services import consent_update

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_arrays():
    matching_arrays._memo = None
    yield
    matching_arrays._memo = None


@pytest.fixture
def going(make_member, join, circle, event, owner):
    """Make a member of the circle who is going to the event (the owner goes too)."""
    services.rsvp_submit(member=owner, event=event, going=True)

    def make(email, name, discoverability=Discoverability.MEMBERS, **fields):
        user = make_member(email, display_name=name, discoverability=discoverability, **fields)
        join(user, circle)
        services.rsvp_submit(member=user, event=event, going=True)
        return user

    return make


@pytest.fixture
def three(going, cities):
    """For the owner (Marseille, values openness and direct talk, learning growth marketing, likes
    breakfasts): Alice has it all, Bruno shares the values from Lyon, Chloé only likes breakfasts."""
    return {
        "alice": going(
            "alice@example.org", "Alice Abeille", city=cities["Marseille"], values=["openness", "direct_talk"],
            skills=["growth marketing"], formats=["breakfast"],
        ),
        "bruno": going("bruno@example.org", "Bruno Brun", city=cities["Lyon"], values=["openness", "direct_talk"]),
        "chloe": going("chloe@example.org", "Chloé Chêne", formats=["breakfast"]),
    }  # fmt: skip


def _names(viewer, event):
    return [entry.person.name for entry in selectors.event_brief(viewer, event)]


def test_the_brief_follows_the_engines_score(owner, event, three):
    brief = selectors.event_brief(owner, event)
    assert [entry.person.name for entry in brief] == ["Alice Abeille", "Bruno Brun", "Chloé Chêne"]
    assert brief[0].score > brief[1].score > brief[2].score


def test_the_viewers_weights_change_the_order(owner, event, three):
    matching_services.weights_update(member=owner, spirit=0.0, availability=3.0)
    assert _names(owner, event) == ["Alice Abeille", "Chloé Chêne", "Bruno Brun"]


def test_the_reasons_are_the_engines_in_words(owner, event, three):
    with translation.override("en"):
        alice = selectors.event_brief(owner, event)[0].reasons
    assert alice == [
        "You share direct talk and openness",
        "Alice Abeille can teach you growth marketing, which you want to learn",
        "In your city",
        "You both like breakfast",
    ]
    with translation.override("fr"):
        assert "Dans votre ville" in selectors.event_brief(owner, event)[0].reasons


def test_those_the_viewer_may_not_find_never_appear(owner, event, three, going, cities):
    perfect = {"city": cities["Marseille"], "values": ["openness", "direct_talk"], "skills": ["growth marketing"]}
    going("hugo@example.org", "Hugo Caché", discoverability=Discoverability.HIDDEN, **perfect)
    blocker = going("berenice@example.org", "Bérénice Bloque", **perfect)
    intros_services.block_create(blocker=blocker, blocked=owner)
    blocked = going("boris@example.org", "Boris Bloqué", **perfect)
    intros_services.block_create(blocker=owner, blocked=blocked)
    going("clara@example.org", "Clara Cercle", discoverability=Discoverability.CIRCLES, **perfect)
    names = _names(owner, event)
    assert "Clara Cercle" in names  # she shows herself to her circles, and this is one of them
    for kept_out in ("Hugo Caché", "Bérénice Bloque", "Boris Bloqué"):
        assert kept_out not in names
    attendees = [p.name for p in selectors.attendees_for(owner, event)]
    assert "Clara Cercle" in attendees and attendees.count(None) == 3
    page = _event_page_of(owner, event)
    assert "Clara Cercle" in page and "8 people going" in page
    for kept_out in ("Hugo", "Bérénice", "Boris"):
        assert kept_out not in page


def test_a_dismissed_attendee_is_left_out_of_the_brief_not_the_list(owner, event, three):
    matching_services.suggestion_dismiss(member=owner, dismissed=three["alice"])
    assert _names(owner, event) == ["Bruno Brun", "Chloé Chêne"]
    assert "Alice Abeille" in [p.name for p in selectors.attendees_for(owner, event)]


def test_a_field_kept_to_oneself_gives_no_reason_and_is_not_shown(owner, event, going, cities):
    teacher = going("tess@example.org", "Tess Tuteur", skills=["growth marketing", "SEO"], values=["openness"])
    selectors.event_brief(owner, event)  # the engine's arrays, built while her skills were visible to all
    consent_update(profile=teacher.profile, discoverability="members", visibility={"skills": Level.ONLY_ME})
    with translation.override("en"):
        [entry] = selectors.event_brief(owner, event)
    assert entry.reasons == ["You share openness"]
    assert "growth marketing" not in _event_page_of(owner, event) and "SEO" not in _event_page_of(owner, event)


def test_a_name_kept_to_oneself_is_never_in_the_brief(owner, event, going, cities):
    going("noname@example.org", "Nora Nom", values=["openness", "direct_talk"], city=cities["Marseille"])
    consent_update(
        profile=going("x@example.org", "Xavier Anonyme", values=["openness"]).profile,
        discoverability="members",
        visibility={"name": Level.ONLY_ME},
    )
    assert _names(owner, event) == ["Nora Nom"]
    assert "Xavier" not in _event_page_of(owner, event)


def test_the_list_hides_an_attendee_from_a_circle_mate_they_may_not_be_found_by(member, event, going):
    going("hugo@example.org", "Hugo Caché", discoverability=Discoverability.HIDDEN)
    going("clara@example.org", "Clara Cercle", discoverability=Discoverability.CIRCLES)
    attendees = [p.name for p in selectors.attendees_for(member, event)]
    assert "Clara Cercle" in attendees and "Hugo Caché" not in attendees and None in attendees


def _event_page_of(user, event) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get(reverse("events:event_detail", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
