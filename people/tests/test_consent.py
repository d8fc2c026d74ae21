"""The consent page: who can find me, and who sees each field."""

import html
import re

import pytest
from django.urls import reverse

from people.models import DEFAULT_VISIBILITY, Discoverability, Level

pytestmark = pytest.mark.django_db


def _consent_form(profile, **changes) -> dict:
    """What the page posts: discoverability and one level per field, as they stand, with changes."""
    data = {"discoverability": profile.discoverability}
    data.update({f"level_{field}": profile.level_of(field) for field in DEFAULT_VISIBILITY})
    data.update(changes)
    return data


def test_the_page_shows_the_current_choices(client_of, owner):
    page = client_of(owner).get(reverse("people:consent")).content.decode()
    checked = re.findall(r'<input type="radio" name="discoverability" value="(\w+)"[^>]*\bchecked', page)
    assert checked == ["members"]
    for field in DEFAULT_VISIBILITY:
        select = re.search(rf'<select name="level_{field}".*?</select>', page, re.S).group(0)
        assert re.findall(r'<option value="(\w+)" selected>', select) == [owner.profile.level_of(field)]


def test_saving_stores_discoverability_and_each_fields_level(client_of, owner):
    client = client_of(owner)
    response = client.post(
        reverse("people:consent"),
        _consent_form(
            owner.profile,
            discoverability=Discoverability.HIDDEN,
            level_phone=Level.CONNECTIONS,
            level_city=Level.ONLY_ME,
            level_website=Level.MEMBERS,
        ),
        follow=True,
    )
    assert "Vos paramètres de confidentialité sont enregistrés." in html.unescape(response.content.decode())

    owner.profile.refresh_from_db()
    assert owner.profile.discoverability == Discoverability.HIDDEN
    assert owner.profile.level_of("phone") == Level.CONNECTIONS
    assert owner.profile.level_of("city") == Level.ONLY_ME
    assert owner.profile.level_of("website") == Level.MEMBERS
    assert owner.profile.level_of("name") == Level.LINK  # untouched fields keep their level


def test_a_saved_level_takes_effect_for_other_members_at_once(client_of, owner, member):
    client = client_of(owner)
    client.post(reverse("people:consent"), _consent_form(owner.profile, level_skills=Level.ONLY_ME))
    client.force_login(member)
    page = client.get(reverse("people:member_detail", args=[owner.pk])).content.decode()
    assert "négociation" not in page
    assert "Hélène Dupré" in page


def test_an_unknown_level_is_refused_and_nothing_changes(client_of, owner):
    before = dict(owner.profile.visibility)
    response = client_of(owner).post(
        reverse("people:consent"),
        _consent_form(owner.profile, discoverability=Discoverability.HIDDEN, level_phone="everyone"),
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide. everyone n’en fait pas partie." in response.content.decode()
    owner.profile.refresh_from_db()
    assert owner.profile.visibility == before
    assert owner.profile.discoverability == Discoverability.MEMBERS


def test_an_unknown_discoverability_is_refused_and_nothing_changes(client_of, owner):
    before = dict(owner.profile.visibility)
    response = client_of(owner).post(
        reverse("people:consent"), _consent_form(owner.profile, discoverability="everybody", level_phone=Level.LINK)
    )
    assert response.status_code == 200
    owner.profile.refresh_from_db()
    assert owner.profile.discoverability == Discoverability.MEMBERS
    assert owner.profile.visibility == before


def test_a_missing_level_is_refused(client_of, owner):
    data = _consent_form(owner.profile, level_phone=Level.LINK)
    del data["level_objectives"]
    assert client_of(owner).post(reverse("people:consent"), data).status_code == 200
    owner.profile.refresh_from_db()
    assert owner.profile.level_of("phone") == Level.ONLY_ME
