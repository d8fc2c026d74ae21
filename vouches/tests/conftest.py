"""Personas for vouches: the owner, a member and a stranger (root conftest), more members who
all may find each other, and a vouch written the way the pages do it."""

import datetime

import pytest
from django.urls import reverse

from people.models import Discoverability
from vouches import services
from vouches.models import Relation

TEXT = "Nous avons mené ensemble la refonte du site de notre client pendant huit mois : rigueur et bonne humeur."
STARTED = datetime.date(2021, 3, 15)
ENDED = datetime.date(2023, 6, 30)


@pytest.fixture
def open_member(make_member):
    """A member every member may find."""
    counter = {"n": 0}

    def make(name: str = "", **fields):
        counter["n"] += 1
        n = counter["n"]
        return make_member(
            f"collegue{n}@example.org",
            display_name=name or f"Collègue {n}",
            discoverability=Discoverability.MEMBERS,
            **fields,
        )

    return make


def write_vouch(author, subject, **fields):
    data = {
        "worked_with": True,
        "relation": Relation.CLIENT,
        "started_on": STARTED,
        "ended_on": ENDED,
        "text": TEXT,
    } | fields
    return services.vouch_write(author=author, subject=subject, **data)


@pytest.fixture
def vouch_for():
    return write_vouch


@pytest.fixture
def approved(vouch_for):
    """A vouch by `author` about `subject`, approved by the subject."""

    def make(author, subject, **fields):
        vouch = vouch_for(author, subject, **fields)
        return services.vouch_approve(vouch=vouch, subject=subject)

    return make


def profile_page(client, viewer, member, **headers) -> str:
    """The member's profile page as the viewer gets it (in English unless headers say otherwise)."""
    client.force_login(viewer)
    response = client.get(
        reverse("people:member_detail", args=[member.pk]), **{"HTTP_ACCEPT_LANGUAGE": "en", **headers}
    )
    assert response.status_code == 200
    return response.content.decode()
