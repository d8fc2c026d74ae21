"""Requests, connections and blocks in the account export; deleting the account takes them away."""

import pytest

from intros import services
from intros.models import Block, Connection, ConnectionRequest
from intros.tests.conftest import REASON
from people.selectors import account_export
from people.services import account_delete

pytestmark = pytest.mark.django_db


def test_the_export_carries_requests_connections_and_blocks(owner, member, stranger, open_member, connect):
    connect(member, owner)
    declined = services.connection_request_send(sender=stranger, recipient=owner, reason=REASON)
    services.connection_request_decline(request=declined, recipient=owner)
    other = open_member()
    services.block_create(blocker=owner, blocked=other)
    data = account_export(user=owner)["intros"]
    assert data["connections"][0]["member_id"] == member.pk
    assert {r["status"] for r in data["requests_received"]} == {"accepted", "declined"}
    assert data["blocks"] == [{"member_id": other.pk, "created_at": data["blocks"][0]["created_at"]}]
    # The sender's export does not reveal the decline either.
    assert account_export(user=stranger)["intros"]["requests_sent"][0]["status"] == "pending"


def test_deleting_the_account_deletes_it_all(owner, member, stranger, connect):
    connect(member, owner)
    services.connection_request_send(sender=stranger, recipient=owner, reason=REASON)
    services.block_create(blocker=stranger, blocked=member)
    account_delete(user=owner, password="correct horse battery")
    assert not Connection.objects.exists() and not ConnectionRequest.objects.exists()
    account_delete(user=stranger, password="correct horse battery")
    assert not Block.objects.exists()


def test_the_demo_login_has_connections_and_requests_waiting(cities):
    from intros.models import Connection, ConnectionRequest
    from people.demo import DEMO_LOGIN, demo_load
    from people.models import User

    demo_load(seed=5, members=80)
    camille = User.objects.get(email=DEMO_LOGIN)
    connections = (
        Connection.objects.filter(user_low=camille).count() + Connection.objects.filter(user_high=camille).count()
    )
    assert connections == 26
    assert ConnectionRequest.objects.filter(recipient=camille, status="pending").count() == 2


def _told(user, language="en") -> list[str]:
    from notifications.emails import as_recipient, render_message

    user.profile.language = language
    with as_recipient(user):
        return [render_message(n) for n in user.notifications.order_by("pk")]


def test_a_deleted_account_leaves_no_name_in_other_members_notifications(owner, member, open_member, connect):
    leaving = open_member("Zoé Martin")
    connect(leaving, owner)
    connect(member, leaving)
    services.introduction_create(introducer=leaving, first=owner, second=member, reason=REASON)
    assert _told(owner) == [
        "Zoé Martin asks to connect with you.",
        "Zoé Martin would like to introduce you to one of their connections.",
    ]

    account_delete(user=leaving, password="correct horse battery")

    assert _told(owner) == [
        "A former member asks to connect with you.",
        "A former member would like to introduce you to one of their connections.",
    ]
    assert _told(owner, "fr")[0] == "Un ancien membre souhaite entrer en relation avec vous."
    assert _told(member) == [
        "A former member accepted your request: you are now connected.",
        "A former member would like to introduce you to one of their connections.",
    ]
    left = [str(n.params) for n in owner.notifications.all()] + [str(n.params) for n in member.notifications.all()]
    assert not any("Zoé" in params for params in left)
