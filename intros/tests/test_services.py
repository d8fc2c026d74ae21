"""Requests, connections, blocks and reports through intros.services."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from circles import services as circles_services
from circles.models import Report
from intros import selectors, services
from intros.models import Block, Connection, ConnectionRequest, RequestStatus
from intros.tests.conftest import REASON
from network.models import Contact
from network.services import contact_create
from people.models import Discoverability

pytestmark = pytest.mark.django_db


def _refused(message, **kwargs):
    with pytest.raises(ValidationError) as exc:
        services.connection_request_send(**kwargs)
    assert exc.value.messages == [str(message)]


def test_a_request_carries_its_reason(owner, member):
    request = services.connection_request_send(sender=member, recipient=owner, reason=f"  {REASON}  ")
    assert request.status == RequestStatus.PENDING and request.reason == REASON
    assert list(selectors.incoming_requests(owner)) == [request]
    assert list(selectors.outgoing_requests(member)) == [request]


@pytest.mark.parametrize("reason", ["", "Salut !", "Bonjour,connectons-nous", "a b c"])
def test_it_refuses_a_reason_shorter_than_a_sentence(owner, member, reason):
    _refused(services.REASON_TOO_SHORT, sender=member, recipient=owner, reason=reason)


def test_it_refuses_asking_yourself(owner):
    _refused(services.CANNOT_ASK_YOURSELF, sender=owner, recipient=owner, reason=REASON)


def test_it_refuses_a_member_already_connected(owner, member, connect):
    connect(member, owner)
    _refused(services.ALREADY_CONNECTED, sender=member, recipient=owner, reason=REASON)
    _refused(services.ALREADY_CONNECTED, sender=owner, recipient=member, reason=REASON)


def test_it_refuses_a_second_request_while_one_is_pending(owner, member):
    services.connection_request_send(sender=member, recipient=owner, reason=REASON)
    _refused(services.ALREADY_ASKED, sender=member, recipient=owner, reason=REASON)


def test_it_tells_the_sender_to_accept_the_request_they_received(owner, member):
    member.profile.discoverability = Discoverability.MEMBERS
    member.profile.save(update_fields=["discoverability"])
    services.connection_request_send(sender=owner, recipient=member, reason=REASON)
    _refused(services.THEY_ASKED_YOU, sender=member, recipient=owner, reason=REASON)


def test_the_database_holds_one_pending_request_per_pair(owner, member):
    ConnectionRequest.objects.create(sender=member, recipient=owner, reason=REASON)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConnectionRequest.objects.create(sender=member, recipient=owner, reason=REASON)


@pytest.mark.parametrize("who_blocks", ["recipient", "sender"])
def test_a_block_either_way_is_not_revealed(owner, member, who_blocks):
    if who_blocks == "recipient":
        services.block_create(blocker=owner, blocked=member)
    else:
        services.block_create(blocker=member, blocked=owner)
    _refused(services.NOT_POSSIBLE, sender=member, recipient=owner, reason=REASON)


def test_a_member_you_may_not_find_cannot_be_asked(owner, member):
    owner.profile.discoverability = Discoverability.HIDDEN
    owner.profile.save(update_fields=["discoverability"])
    _refused(services.NOT_POSSIBLE, sender=member, recipient=owner, reason=REASON)


def test_it_caps_pending_outgoing_requests_at_twenty(member, open_member):
    others = [open_member() for _ in range(services.MAX_PENDING_OUTGOING + 1)]
    for other in others[:-1]:
        services.connection_request_send(sender=member, recipient=other, reason=REASON)
    _refused(services.TOO_MANY_PENDING, sender=member, recipient=others[-1], reason=REASON)
    with translation.override("en"):
        assert "quality over quantity" in str(services.TOO_MANY_PENDING).lower()
    # A declined request still counts (the sender cannot tell); withdrawing one frees a place.
    first = ConnectionRequest.objects.filter(sender=member).order_by("id").first()
    services.connection_request_decline(request=first, recipient=first.recipient)
    _refused(services.TOO_MANY_PENDING, sender=member, recipient=others[-1], reason=REASON)
    services.connection_request_withdraw(request=first, sender=member)
    services.connection_request_send(sender=member, recipient=others[-1], reason=REASON)


@pytest.mark.parametrize("answer", ["decline", "ignore"])
def test_a_decline_or_an_ignore_looks_pending_to_the_sender(owner, member, answer):
    request = services.connection_request_send(sender=member, recipient=owner, reason=REASON)
    getattr(services, f"connection_request_{answer}")(request=request, recipient=owner)
    assert list(selectors.incoming_requests(owner)) == []
    assert [r.pk for r in selectors.outgoing_requests(member)] == [request.pk]
    assert selectors.relationship(member, owner).i_asked
    _refused(services.ALREADY_ASKED, sender=member, recipient=owner, reason=REASON)


def test_only_the_recipient_answers_and_only_once(owner, member, stranger):
    request = services.connection_request_send(sender=member, recipient=owner, reason=REASON)
    with pytest.raises(ValidationError):
        services.connection_request_accept(request=request, recipient=stranger)
    services.connection_request_decline(request=request, recipient=owner)
    with pytest.raises(ValidationError) as exc:
        services.connection_request_accept(request=request, recipient=owner)
    assert exc.value.messages == [str(services.REQUEST_ANSWERED)]
    assert not Connection.objects.exists()


def test_accepting_connects_the_pair_once_smaller_id_first(owner, member, connect):
    connection = connect(member, owner)
    assert connection.user_low_id == min(owner.pk, member.pk)
    assert selectors.are_connected(owner, member) and selectors.are_connected(member, owner)
    assert selectors.connected_ids(owner) == {member.pk}
    with pytest.raises(IntegrityError), transaction.atomic():
        Connection.objects.create(user_low_id=max(owner.pk, member.pk), user_high_id=min(owner.pk, member.pk))


def test_accepting_links_each_one_to_their_contact_in_the_other_private_network(owner, member, connect):
    mine = contact_create(owner=owner, full_name="Marc L.", emails=["MARC.LEROY@example.org"])
    other = contact_create(owner=owner, full_name="Marc homonyme", emails=["marc@ailleurs.example"])
    member.profile.contact_email = "marc@cabinet-leroy.example"
    member.profile.save(update_fields=["contact_email"])
    theirs = contact_create(owner=member, full_name="Hélène", emails=["helene.dupre@example.org"])
    connect(member, owner)
    assert Contact.objects.get(pk=mine.pk).member_id == member.pk
    assert Contact.objects.get(pk=other.pk).member_id is None
    assert Contact.objects.get(pk=theirs.pk).member_id == owner.pk


def test_a_contact_matches_the_profile_contact_email_too(owner, member, connect):
    member.profile.contact_email = "marc@cabinet-leroy.example"
    member.profile.save(update_fields=["contact_email"])
    contact = contact_create(owner=owner, full_name="Marc", emails=["marc@cabinet-leroy.example"])
    connect(member, owner)
    assert Contact.objects.get(pk=contact.pk).member_id == member.pk


def test_removing_a_connection_lets_them_ask_again(owner, member, connect):
    connect(member, owner)
    services.connection_remove(member=owner, other=member)
    assert not selectors.are_connected(owner, member)
    services.connection_request_send(sender=member, recipient=owner, reason=REASON)


def test_a_block_ends_the_connection_and_the_requests(owner, member, stranger, connect):
    connect(member, owner)
    stranger_request = services.connection_request_send(sender=stranger, recipient=owner, reason=REASON)
    services.block_create(blocker=owner, blocked=member)
    services.block_create(blocker=owner, blocked=member)  # twice is harmless
    assert not selectors.are_connected(owner, member)
    assert Block.objects.filter(blocker=owner).count() == 1
    assert ConnectionRequest.objects.filter(pk=stranger_request.pk).exists()  # others are untouched
    services.block_remove(blocker=owner, blocked=member)
    assert not selectors.is_blocked_between(owner, member)


def test_a_block_deletes_a_pending_request_either_way(owner, member):
    services.connection_request_send(sender=member, recipient=owner, reason=REASON)
    services.block_create(blocker=owner, blocked=member)
    assert not ConnectionRequest.objects.exists()


def test_nobody_blocks_themselves(owner):
    with pytest.raises(ValidationError):
        services.block_create(blocker=owner, blocked=owner)


def test_a_report_goes_to_the_organizers_of_shared_circles(owner, member, cities):
    circle = circles_services.circle_create(
        creator=owner, name="Déjeuners du Panier", family="business", city=cities["Marseille"]
    )
    circles_services.membership_join(circle=circle, member=member)
    (report,) = services.member_report(reporter=owner, reported=member, reason="Messages insistants.")
    assert report.circle == circle and report.reported == member


def test_a_report_without_a_shared_circle_goes_to_the_operators(owner, stranger):
    (report,) = services.member_report(reporter=stranger, reported=owner, reason="Faux profil.")
    assert report.circle is None and Report.objects.get().reporter == stranger
    with pytest.raises(ValidationError):
        services.member_report(reporter=stranger, reported=owner, reason="  ")
