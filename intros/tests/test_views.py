"""The pages: a member's profile offers to connect (with a reason), block and report; /intros/
lists what waits for me, my requests, my connections and my blocks."""

import pytest
from django.urls import reverse

from circles.models import Report
from intros import selectors, services
from intros.models import Block, ConnectionRequest, RequestStatus
from intros.tests.conftest import REASON
from people.models import Discoverability, Level
from people.services import consent_update

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    """These tests read the English wording; the French one is checked by the catalogue tests."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _profile_page(client, member) -> str:
    return client.get(reverse("people:member_detail", args=[member.pk])).content.decode()


def test_a_profile_offers_to_ask_with_a_reason(client, owner, member):
    client.force_login(member)
    page = _profile_page(client, owner)
    assert reverse("intros:request_send", args=[owner.pk]) in page and 'name="reason"' in page
    response = client.post(reverse("intros:request_send", args=[owner.pk]), {"reason": REASON}, follow=True)
    assert ConnectionRequest.objects.get().reason == REASON
    page = response.content.decode()
    assert "Your request is sent." in page and "Your request is pending." in page
    assert reverse("intros:request_send", args=[owner.pk]) not in page


def test_a_too_short_reason_is_refused_with_its_message(client, owner, member):
    client.force_login(member)
    response = client.post(reverse("intros:request_send", args=[owner.pk]), {"reason": "Salut"}, follow=True)
    assert not ConnectionRequest.objects.exists()
    assert "at least 20 characters" in response.content.decode()


def test_my_own_page_offers_nothing(client, owner):
    client.force_login(owner)
    assert reverse("intros:request_send", args=[owner.pk]) not in _profile_page(client, owner)


def test_the_recipient_reads_the_reason_and_accepts(client, owner, member):
    consent_update(profile=member.profile, discoverability=Discoverability.MEMBERS, visibility={})
    request = services.connection_request_send(
        sender=member, recipient=owner, reason="Bonjour <b>Hélène</b>, on se connaît du Panier !"
    )
    client.force_login(owner)
    page = client.get(reverse("intros:index")).content.decode()
    assert "Marc Leroy" in page and "&lt;b&gt;Hélène&lt;/b&gt;" in page and "<b>Hélène</b>" not in page
    client.post(reverse("intros:request_accept", args=[request.pk]))
    assert selectors.are_connected(owner, member)
    page = client.get(reverse("intros:index")).content.decode()
    assert "marc.leroy@example.org" in page  # the contact e-mail is at "my connections" level


def test_the_sender_name_follows_their_own_settings(client, owner, member):
    services.connection_request_send(sender=member, recipient=owner, reason=REASON)
    consent_update(
        profile=member.profile, discoverability=Discoverability.CIRCLES, visibility={"name": Level.CONNECTIONS}
    )
    client.force_login(owner)
    page = client.get(reverse("intros:index")).content.decode()
    assert "Marc Leroy" not in page and REASON in page


def test_htmx_answers_swap_the_request(client, owner, member):
    request = services.connection_request_send(sender=member, recipient=owner, reason=REASON)
    client.force_login(owner)
    response = client.post(reverse("intros:request_ignore", args=[request.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<li" in response.content.decode()
    assert ConnectionRequest.objects.get().status == RequestStatus.IGNORED


def test_the_sender_still_sees_pending_after_a_decline(client, owner, member):
    request = services.connection_request_send(sender=member, recipient=owner, reason=REASON)
    services.connection_request_decline(request=request, recipient=owner)
    client.force_login(member)
    page = client.get(reverse("intros:index")).content.decode()
    assert "Hélène Dupré" in page and "pending" in page and "eclined" not in page
    assert "Your request is pending." in _profile_page(client, owner)


def test_block_from_the_profile_then_unblock_from_the_list(client, owner, member):
    client.force_login(owner)
    consent_update(profile=member.profile, discoverability=Discoverability.MEMBERS, visibility={})
    client.post(reverse("intros:block", args=[member.pk]))
    assert Block.objects.filter(blocker=owner, blocked=member).exists()
    assert client.get(reverse("people:member_detail", args=[member.pk])).status_code == 404
    assert "Marc Leroy" in client.get(reverse("intros:index")).content.decode()
    client.post(reverse("intros:unblock", args=[member.pk]))
    assert client.get(reverse("people:member_detail", args=[member.pk])).status_code == 200


def test_report_from_the_profile(client, owner, stranger):
    client.force_login(stranger)
    client.post(reverse("intros:report", args=[owner.pk]), {"reason": "Ce profil usurpe une identité."})
    report = Report.objects.get()
    assert report.reported == owner and report.circle is None


def test_remove_a_connection(client, owner, member, connect):
    connect(member, owner)
    client.force_login(owner)
    client.post(reverse("intros:connection_remove", args=[member.pk]))
    assert not selectors.are_connected(owner, member)
    assert client.post(reverse("intros:connection_remove", args=[member.pk])).status_code == 404


def test_a_sender_who_hides_from_me_can_still_be_blocked_or_reported(client, owner, member):
    services.connection_request_send(sender=member, recipient=owner, reason=REASON)
    consent_update(profile=member.profile, discoverability=Discoverability.HIDDEN, visibility={})
    client.force_login(owner)
    assert client.get(reverse("people:member_detail", args=[member.pk])).status_code == 404
    page = client.get(reverse("intros:index")).content.decode()
    assert reverse("intros:block", args=[member.pk]) in page
    response = client.post(reverse("intros:report", args=[member.pk]), {"reason": "Démarchage commercial."})
    assert response.status_code == 302 and response["Location"] == reverse("intros:index")
    assert Report.objects.get().reported == member
    client.post(reverse("intros:block", args=[member.pk]))
    assert Block.objects.filter(blocker=owner, blocked=member).exists()
    assert not ConnectionRequest.objects.exists()
