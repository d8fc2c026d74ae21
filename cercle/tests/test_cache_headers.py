"""What a member sees is never stored by a browser or a proxy; public pages keep their caching."""

import pytest
from django.urls import reverse

from circles.models import Circle, Visibility
from events.ical import calendar_token_renew
from people.services import api_token_create

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_a_signed_in_page_and_its_htmx_fragment_are_not_stored(client_of, owner):
    client = client_of(owner)
    page = client.get(reverse("network:dashboard"))
    fragment = client.get(reverse("agenda:agenda"), {"city_query": "x"}, HTTP_HX_REQUEST="true")
    assert page.status_code == fragment.status_code == 200
    assert _no_store(page) and _no_store(fragment)


def test_an_api_answer_is_not_stored(client, owner):
    token = api_token_create(user=owner, name="t").key
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and _no_store(response)


def test_a_private_calendar_feed_is_not_stored(client, owner):
    response = client.get(reverse("agenda:my_ics", args=[calendar_token_renew(owner=owner).token]))
    assert response.status_code == 200 and _no_store(response)


def test_public_pages_keep_their_caching(client, client_of, owner):
    assert "Cache-Control" not in client.get(reverse("agenda:agenda"))  # anonymous: unchanged
    circle = Circle.objects.create(name="Ouvert", slug="ouvert", family="business", visibility=Visibility.PUBLIC)
    feed = client_of(owner).get(reverse("agenda:circle_ics", args=[circle.slug]))  # the same for everyone
    assert feed["Cache-Control"] == "public, max-age=600"
