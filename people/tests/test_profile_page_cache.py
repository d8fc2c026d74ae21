"""The profile page is cached by its state: a change anywhere it depends on shows on the next view."""

import html

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cercle.page_cache import CSRF_PLACEHOLDER
from circles.services import circle_create, membership_join
from intros import services as intros
from notifications.models import Kind
from notifications.services import notify
from people import services
from people.models import Level

pytestmark = pytest.mark.django_db

REASON = "Nous travaillons tous deux dans le droit des affaires à Marseille."


def _page(client, member) -> str:
    response = client.get(reverse("people:member_detail", args=[member.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _consent(profile, **levels):
    visibility = {**profile.visibility, **levels}
    services.consent_update(profile=profile, discoverability=profile.discoverability, visibility=visibility)


def test_a_profile_edit_shows_on_the_next_view(client_of, owner, member):
    client = client_of(member)
    assert "Avocate en droit des affaires" in _page(client, owner)
    services.profile_update(profile=owner.profile, headline="Médiatrice et avocate")
    page = _page(client, owner)
    assert "Médiatrice et avocate" in page and "Avocate en droit des affaires" not in page


def test_an_objective_added_elsewhere_shows_and_its_removal_too(client_of, owner, member):
    _consent(owner.profile, objectives=Level.MEMBERS)
    client = client_of(member)
    assert "Rencontrer trois juristes" not in _page(client, owner)
    objective = services.objective_add(profile=owner.profile, text="Rencontrer trois juristes")
    assert "Rencontrer trois juristes" in _page(client, owner)
    services.objective_delete(objective=objective)
    assert "Rencontrer trois juristes" not in _page(client, owner)


def test_narrowing_a_field_hides_it_at_once(client_of, owner, member):
    client = client_of(member)
    _consent(owner.profile, phone=Level.MEMBERS)
    assert "+33 6 11 22 33 44" in _page(client, owner)
    _consent(owner.profile, phone=Level.CONNECTIONS)
    assert "+33 6 11 22 33 44" not in _page(client, owner)


def test_a_connection_opens_the_connections_fields_and_a_block_closes_the_page(client_of, owner, member):
    _consent(owner.profile, phone=Level.CONNECTIONS)
    client = client_of(member)
    assert "+33 6 11 22 33 44" not in _page(client, owner)
    request = intros.connection_request_send(sender=member, recipient=owner, reason=REASON)
    assert "Your request is pending." in _page(client, owner)
    intros.connection_request_accept(request=request, recipient=owner)
    page = _page(client, owner)
    assert "+33 6 11 22 33 44" in page and "You are connected." in page

    intros.block_create(blocker=owner, blocked=member)
    response = client.get(reverse("people:member_detail", args=[owner.pk]))
    assert response.status_code == 404 and "Hélène" not in response.content.decode()


def test_a_shared_circle_opens_the_circles_fields(client_of, owner, member):
    _consent(owner.profile, phone=Level.CIRCLES)
    client = client_of(member)
    assert "+33 6 11 22 33 44" not in _page(client, owner)
    circle = circle_create(creator=owner, name="Juristes du Vieux-Port", family="business")
    membership_join(circle=circle, member=member)
    assert "+33 6 11 22 33 44" in _page(client, owner)


def test_a_request_from_the_member_shows_to_the_viewer(client_of, owner, member):
    client = client_of(member)
    assert "This member asked you to connect." not in _page(client, owner)
    member.profile.discoverability = "members"  # so that the owner may ask
    member.profile.save(update_fields=["discoverability"])
    intros.connection_request_send(sender=owner, recipient=member, reason=REASON)
    assert "This member asked you to connect." in _page(client, owner)


def test_the_bell_counts_a_new_notification_on_a_cached_page(client_of, owner, member):
    client = client_of(member)
    assert "bell-count" not in _page(client, owner)
    notify(recipient=member, kind=Kind.ANNOUNCEMENT, message="Hello %(name)s", params={"name": "Marc"})
    assert "bell-count" in _page(client, owner)


def test_hiding_from_members_and_leaving_give_404(client_of, owner, member):
    client = client_of(member)
    _page(client, owner)
    owner.profile.discoverability = "circles"
    owner.profile.save(update_fields=["discoverability"])
    assert client.get(reverse("people:member_detail", args=[owner.pk])).status_code == 404

    owner.profile.discoverability = "members"
    owner.profile.save(update_fields=["discoverability"])
    _page(client, owner)
    get_user_model().objects.filter(pk=owner.pk).update(is_active=False)
    assert client.get(reverse("people:member_detail", args=[owner.pk])).status_code == 404


def test_each_browser_gets_its_own_csrf_token_and_the_form_posts(owner, member):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(member)
    second.force_login(member)  # the same member, another browser: the same cached page
    pages = [first.get(reverse("people:member_detail", args=[owner.pk])) for _ in range(2)]
    other = second.get(reverse("people:member_detail", args=[owner.pk]))

    def token(response) -> str:
        text = response.content.decode()
        start = text.index('name="csrfmiddlewaretoken" value="') + len('name="csrfmiddlewaretoken" value="')
        return text[start : text.index('"', start)]

    assert CSRF_PLACEHOLDER not in pages[1].content.decode()  # the placeholder never leaves the server
    # The second browser's page came from the cache, with its own cookie's token in it.
    response = second.post(
        reverse("intros:request_send", args=[owner.pk]), {"reason": REASON, "csrfmiddlewaretoken": token(other)}
    )
    assert response.status_code in (200, 302)
    refused = second.post(reverse("intros:request_withdraw", args=[1]), {"csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403


def test_a_one_time_message_is_shown_once_and_not_kept(client_of, owner, member):
    client = client_of(member)
    response = client.post(
        reverse("intros:request_send", args=[owner.pk]), {"reason": REASON}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert response.redirect_chain and response.redirect_chain[-1][0].endswith(f"/members/{owner.pk}/")
    messages = [str(m) for m in response.context["messages"]]
    assert messages and messages[0] in html.unescape(response.content.decode())
    assert messages[0] not in _page(client, owner)
