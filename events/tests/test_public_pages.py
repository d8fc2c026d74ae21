"""Anonymous visitors' event, circle and agenda pages are kept whole under one public version
(cercle/public_pages.py): each write they show moves it, a browser holding the page's ETag gets a
304, and every visitor gets their own CSRF token."""

import datetime as dt
import html

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from freezegun import freeze_time

from cercle.public_pages import CSRF_PLACEHOLDER
from circles import services as circles
from events import services

pytestmark = pytest.mark.django_db

WITH_STATUS = override_settings(MIDDLEWARE=["cercle.versioned_cache.CacheStatusMiddleware", *settings.MIDDLEWARE])


def _page(client, url) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@WITH_STATUS
def test_a_second_visit_comes_from_the_cache_and_the_etag_gets_a_304(client, event):
    url = reverse("events:event_detail", args=[event.pk])
    with freeze_time(event.starts_at - dt.timedelta(days=1, seconds=30)):
        _within_one_minute(client, url)
    # A minute later, the page is rendered again (what moves with the clock is never late).
    with freeze_time(event.starts_at - dt.timedelta(days=1, seconds=-30)):
        assert client.get(url)["X-Cercle-Cache"] == "public-page=miss"


def _within_one_minute(client, url):
    first = client.get(url)
    assert first.status_code == 200 and first["X-Cercle-Cache"] == "public-page=miss"
    second = client.get(url)
    assert second["X-Cercle-Cache"] == "public-page=hit" and second["ETag"] == first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 304
    # In another language, another page.
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en")["X-Cercle-Cache"] == "public-page=miss"


def test_an_edit_and_an_answer_show_on_the_next_anonymous_view(
    client, event, owner, member, django_capture_on_commit_callbacks
):
    url = reverse("events:event_detail", args=[event.pk])
    page = _page(client, url)
    assert "Petit-déjeuner du Vieux-Port" in page and "10 seats left of 10" in page
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(organizer=owner, event=event, title="Apéro des juristes")
    assert "Apéro des juristes" in _page(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_submit(member=member, event=event, going=True)
    page = _page(client, url)
    assert "9 seats left of 10" in page and "1 person going" in page
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(organizer=owner, event=event)
    assert "This event is cancelled." in _page(client, url)


def test_the_circle_page_and_the_agenda_follow_their_writes(
    client, circle, owner, make_event, django_capture_on_commit_callbacks
):
    circle_url = reverse("circles:detail", args=[circle.slug])
    agenda_url = reverse("agenda:agenda")
    assert "Apéro des juristes" not in _page(client, agenda_url)
    with django_capture_on_commit_callbacks(execute=True):
        circles.circle_update(circle=circle, organizer=owner, description="Chaque jeudi, au Vieux-Port.")
        make_event(circle, owner, title="Apéro des juristes")
    assert "Chaque jeudi, au Vieux-Port." in _page(client, circle_url)
    assert "Apéro des juristes" in _page(client, agenda_url)


def test_each_visitor_gets_their_own_csrf_token_in_a_cached_page(event):
    url = reverse("events:event_detail", args=[event.pk])

    def token(client) -> str:
        text = client.get(url).content.decode()
        assert CSRF_PLACEHOLDER not in text
        start = text.index('name="csrfmiddlewaretoken" value="') + len('name="csrfmiddlewaretoken" value="')
        return text[start : text.index('"', start)]

    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_token, second_token = token(first), token(second)  # the second page comes from the cache
    assert first_token != second_token
    # The language switch of the cached page posts with the visitor's own token.
    answer = second.post(reverse("people:set_language"), {"language": "en", "csrfmiddlewaretoken": second_token})
    assert answer.status_code == 302
    assert (
        first.post(reverse("people:set_language"), {"language": "en", "csrfmiddlewaretoken": "x" * 64}).status_code
        == 403
    )


def test_a_signed_in_member_never_gets_the_anonymous_page(client_of, client, event, member):
    url = reverse("events:event_detail", args=[event.pk])
    _page(client, url)
    page = _page(client_of(member), url)
    assert "Log out" in page and "Sign up" not in page
