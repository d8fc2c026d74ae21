"""Vouches in the account export; deleting an account takes them away; the demo has some."""

import pytest

from people.selectors import account_export
from people.services import account_delete
from vouches import services
from vouches.models import Status, Vouch
from vouches.tests.conftest import TEXT

pytestmark = pytest.mark.django_db


def test_the_export_carries_vouches_written_and_received(owner, open_member, vouch_for, approved):
    author, other = open_member(), open_member()
    received = approved(author, owner)
    declined = vouch_for(owner, other)
    services.vouch_remove(vouch=declined, subject=other)
    data = account_export(user=owner)["vouches"]
    (got,) = data["received"]
    assert got["from_member_id"] == author.pk and got["text"] == TEXT and got["status"] == "approved"
    assert got["started_on"] == "2021-03-15" and got["ended_on"] == "2023-06-30" and got["approved_at"]
    (wrote,) = data["written"]
    # As the author is told: the decline is not theirs to know.
    assert wrote["about_member_id"] == other.pk and wrote["status"] == "pending" and wrote["id"] == declined.pk
    # Names are not carried: only ids.
    assert "Collègue" not in str(data)
    assert account_export(user=author)["vouches"]["written"][0]["id"] == received.pk


def test_deleting_an_account_deletes_its_vouches_both_ways(owner, open_member, vouch_for, approved):
    author, subject = open_member(), open_member()
    approved(author, owner)
    vouch_for(author, subject)
    kept = approved(owner, subject)
    account_delete(user=author, password="correct horse battery")
    assert list(Vouch.objects.all()) == [kept]
    account_delete(user=subject, password="correct horse battery")
    assert not Vouch.objects.exists()


def test_the_demo_has_vouches_with_some_for_and_by_the_demo_login(cities):
    from people.demo import DEMO_LOGIN, demo_load
    from people.models import User

    demo_load(seed=5, members=120)
    camille = User.objects.get(email=DEMO_LOGIN)
    about = Vouch.objects.filter(subject=camille)
    assert about.filter(status=Status.APPROVED).count() == 6 and about.filter(status=Status.PENDING).count() == 2
    assert Vouch.objects.filter(author=camille).count() == 3
    assert Vouch.objects.count() == 11 + 120 // 4
    first = sorted(Vouch.objects.values_list("author__email", "subject__email", "status", "text"))
    demo_load(seed=5, members=120)
    assert sorted(Vouch.objects.values_list("author__email", "subject__email", "status", "text")) == first
    for vouch in Vouch.objects.all():
        assert vouch.author_id != vouch.subject_id
        assert vouch.ended_on is None or vouch.ended_on >= vouch.started_on
