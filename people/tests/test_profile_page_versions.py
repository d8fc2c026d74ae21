"""The profile page is cached under versions that services bump (people.profile_page): each change it
depends on moves a version, and shows on the next view."""

import html

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

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

    assert token(pages[1]) != token(other)
    # The second browser's page body came from the cache, with its own cookie's token around it.
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


def _relations_version(user) -> int:
    user.profile.refresh_from_db(fields=["relations_version"])
    return user.profile.relations_version


def test_connecting_blocking_and_joining_move_the_relations_versions(owner, member):
    before = _relations_version(owner), _relations_version(member)
    request = intros.connection_request_send(sender=member, recipient=owner, reason=REASON)
    intros.connection_request_accept(request=request, recipient=owner)
    connected = _relations_version(owner), _relations_version(member)
    assert connected[0] > before[0] and connected[1] > before[1]

    circle = circle_create(creator=owner, name="Juristes du Vieux-Port", family="business")
    joined_owner = _relations_version(owner)
    membership_join(circle=circle, member=member)
    assert _relations_version(member) > connected[1] and _relations_version(owner) == joined_owner

    intros.block_create(blocker=owner, blocked=member)
    assert _relations_version(owner) > joined_owner


def _lookups(client, member) -> str:
    """The page's lookups of the relations and the body (the sections' own follow)."""
    response = client.get(reverse("people:member_detail", args=[member.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    lookups = response["X-Cercle-Cache"].split(", ")
    return ", ".join(lookup for lookup in lookups if lookup.startswith(("relations=", "profile-body=")))


@override_settings(MIDDLEWARE=["cercle.versioned_cache.CacheStatusMiddleware", *settings.MIDDLEWARE])
def test_the_body_is_shared_by_viewers_of_one_audience_and_relations_are_kept_per_member(
    client_of, owner, member, stranger
):
    # The lookups: the viewer's relations, the member's relations, the body.
    assert _lookups(client_of(member), owner) == "relations=miss, relations=miss, profile-body=miss"
    # Another member with the same audience: their own relations, the member's and the body shared.
    assert _lookups(client_of(stranger), owner) == "relations=miss, relations=hit, profile-body=hit"
    assert _lookups(client_of(stranger), owner) == "relations=hit, relations=hit, profile-body=hit"
    # A profile edit is a new body for everyone; a connection, new relations for the two.
    services.profile_update(profile=owner.profile, headline="Médiatrice")
    assert _lookups(client_of(stranger), owner) == "relations=hit, relations=hit, profile-body=miss"
    request = intros.connection_request_send(sender=stranger, recipient=owner, reason=REASON)
    intros.connection_request_accept(request=request, recipient=owner)
    assert _lookups(client_of(stranger), owner) == "relations=miss, relations=miss, profile-body=miss"
    # The member's relations for the owner's new version were read by the last view.
    assert _lookups(client_of(member), owner) == "relations=hit, relations=hit, profile-body=hit"


def test_a_declined_request_leaves_the_recipients_view_and_still_looks_pending_to_its_sender(client_of, owner, member):
    member.profile.discoverability = "members"
    member.profile.save(update_fields=["discoverability"])
    request = intros.connection_request_send(sender=member, recipient=owner, reason=REASON)
    assert "This member asked you to connect." in _page(client_of(owner), member)
    assert "Your request is pending." in _page(client_of(member), owner)
    intros.connection_request_decline(request=request, recipient=owner)
    assert "This member asked you to connect." not in _page(client_of(owner), member)
    assert "Your request is pending." in _page(client_of(member), owner)
