"""My notifications and preferences in my account's data: exported to me alone, deleted with me."""

import json

import pytest
from django.urls import reverse
from django.utils.translation import gettext_noop

from notifications import services
from notifications.models import Kind, Notification, Preference
from people.services import account_delete

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(owner, member):
    services.preferences_save(member=owner, choices={Kind.DIGEST: (True, False)})
    mine = services.notify(
        recipient=owner,
        kind=Kind.INVITATION,
        message=gettext_noop("%(name)s is in your network."),
        params={"name": "Inès"},
        url="/network/",
    )
    services.notify(recipient=member, kind=Kind.INVITATION, message="Secret de Marc")
    return mine


def test_the_export_holds_my_notifications_and_preferences(client_of, owner, notes):
    response = client_of(owner).get(reverse("people:export"), HTTP_ACCEPT_LANGUAGE="en")
    data = json.loads(response.content)["notifications"]

    (exported,) = data["notifications"]
    assert exported["id"] == notes.pk and exported["kind"] == "invitation"
    assert exported["text"] == "Inès is in your network." and exported["params"] == {"name": "Inès"}
    assert exported["read_at"] is None and exported["url"] == "/network/"
    assert data["preferences"]["digest"] == {"in_app": True, "email": False}
    assert data["preferences"]["event_reminder"] == {"in_app": True, "email": True}
    assert "Secret de Marc" not in response.content.decode()


def test_deleting_the_account_deletes_its_notifications_and_preferences(owner, member, notes):
    account_delete(user=owner, password="correct horse battery")

    assert not Notification.objects.filter(pk=notes.pk).exists()
    assert not Preference.objects.exists()
    assert Notification.objects.filter(recipient=member).count() == 1
